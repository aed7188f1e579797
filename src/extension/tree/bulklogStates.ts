// Build states from an existing bulklog (the `pkgsrcBulk.bulklog` setting), read with the
// bulklog library: a finished pbulk run, one in progress, or one copied from another machine.
// meta/ is watched, so a run that is still writing shows up as it goes.
import * as vscode from 'vscode';
import { BulklogError, readBulklog } from '../../pkgsrc/bulklog';
import { formatTotal } from '../../pkgsrc/states';
import { statesOf } from './stateMap';
import type { LocationState } from './stateMap';
import type { BuildStateSource } from './states';

export class BulklogStateSource implements BuildStateSource {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private map = new Map<string, LocationState>();
  private summary: string | undefined;
  private readonly watcher: vscode.FileSystemWatcher;
  private timer?: NodeJS.Timeout;
  private loading = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), 'meta/{success,error,pbuild,report,presolve,status}'));
    const later = () => this.scheduleLoad();
    this.watcher.onDidChange(later);
    this.watcher.onDidCreate(later);
    this.watcher.onDidDelete(later);
    this.loading = this.load();
  }

  /** Resolves once the current read is done (for callers that need the states now). */
  ready(): Promise<void> {
    return this.loading;
  }

  private scheduleLoad(): void {
    clearTimeout(this.timer);
    // Lines are appended one by one during a build: read once things settle a little.
    this.timer = setTimeout(() => (this.loading = this.load()), 300);
  }

  private async load(): Promise<void> {
    try {
      const log = await readBulklog(this.dir, { skipLogs: false });
      this.map = statesOf(log);
      this.summary = `Bulklog ${this.dir} — ${formatTotal(log.totals)}`;
      if (log.packages.some((p) => !p.location)) this.log.warn(`bulklog ${this.dir}: some packages have no PKG_LOCATION and cannot be placed in the tree`);
    } catch (e) {
      this.map = new Map();
      this.summary = `Bulklog ${this.dir}: ${e instanceof BulklogError ? e.message : `cannot be read: ${(e as Error).message}`}`;
      this.log.error(this.summary);
    }
    this.emitter.fire();
  }

  states(): ReadonlyMap<string, LocationState> {
    return this.map;
  }

  describe(): string | undefined {
    return this.summary;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher.dispose();
    this.emitter.dispose();
  }
}
