// What changed since the previous run, for the bulklog the views show: the run in it (from the
// bulklog the controller has read, so nothing is read twice) against the newest earlier run of
// its history store (for a run opened from the history: the run before it). The report view,
// the Packages view's marks and the Problems lens read it; it is computed again whenever the
// shown bulklog changes.
import * as vscode from 'vscode';
import { readRunStateInfo } from '../../pkgsrc/history/current';
import { diffRuns, type RunDiff } from '../../pkgsrc/history/diff';
import { listRuns, readRunSummary, type StoredRun } from '../../pkgsrc/history/store';
import { summarize, type RunSummary } from '../../pkgsrc/history/summary';
import type { BuildController } from '../builds/controller';
import { noSince, sinceData, type SinceData } from './sinceData';
import { extractedRun, storeFor } from './stores';

export type PackageChangeMark = 'new-failure' | 'fixed';

export class RunHistory implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The diff (or its absence) changed. */
  readonly onDidChange = this.emitter.event;
  diff: RunDiff | undefined;
  previous: StoredRun | undefined;
  store: string | undefined;
  /** Why there is no diff. */
  none = 'no build shown';
  /** PKGNAMEs failing now that did not before. */
  newFailures: ReadonlySet<string> = new Set();
  private marks = new Map<string, PackageChangeMark>();
  private readonly summaries = new Map<string, RunSummary>();
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private busy = false;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly controller: BuildController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.sub = controller.onDidChange(() => this.update());
    this.update();
  }

  private settingsFile(): string | undefined {
    return vscode.workspace.getConfiguration('pkgsrcBulk').get<string>('engine.settingsFile', '').trim() || undefined;
  }

  /** Computes again (once more after the one under way, if any); during a build at most every two seconds. */
  update(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    const pause = this.controller.building ? new Promise((r) => setTimeout(r, 2000)) : Promise.resolve();
    this.running = pause
      .then(() => this.compute())
      .catch((e: unknown) => this.log.warn(`run history: ${(e as Error).message}`))
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.update();
        }
      });
  }

  /** Resolves when no computation is under way or asked for. */
  async settled(): Promise<void> {
    while (this.busy) await this.running;
  }

  private async summaryOf(r: StoredRun): Promise<RunSummary> {
    const key = `${r.dir}\0${r.info.id}`;
    let s = this.summaries.get(key);
    if (!s) {
      s = await readRunSummary(r);
      this.summaries.set(key, s);
    }
    return s;
  }

  private set(diff: RunDiff | undefined, none: string, previous?: StoredRun, store?: string): void {
    this.diff = diff;
    this.none = none;
    this.previous = previous;
    this.store = store;
    this.newFailures = new Set(diff?.newFailures.map((c) => c.pkgname) ?? []);
    const marks = new Map<string, PackageChangeMark>();
    for (const c of diff?.fixed ?? []) if (c.location) marks.set(c.location, 'fixed');
    // A location with a new failure and a fixed variant shows the failure.
    for (const c of diff?.newFailures ?? []) if (c.location) marks.set(c.location, 'new-failure');
    this.marks = marks;
    this.emitter.fire();
  }

  private async compute(): Promise<void> {
    const c = this.controller;
    const dir = c.shownBulklog;
    const metaDir = c.shownMetaDir;
    const b = c.bulklog;
    if (!dir || !metaDir || !b || b.packages.length === 0) return this.set(undefined, 'no build in the bulklog shown');
    const store = storeFor(dir, this.settingsFile());
    const ext = extractedRun(dir);
    const current = summarize(b, { state: ext ? undefined : await readRunStateInfo(metaDir), timeline: c.timeline });
    if (ext) current.run.id = ext.id;
    const { runs } = await listRuns(store);
    const k = ext ? runs.findIndex((r) => r.info.id === ext.id) : -1;
    const earlier = ext ? runs.slice(0, Math.max(0, k)) : runs.filter((r) => r.info.id !== current.run.id);
    const previous = earlier[earlier.length - 1];
    if (!previous) return this.set(undefined, `no earlier run in ${store}`, undefined, store);
    const diff = diffRuns(await this.summaryOf(previous), current);
    if (c.shownBulklog !== dir) return; // Something else is shown meanwhile; its update follows.
    this.set(diff, '', previous, store);
  }

  /** The mark of a package location: a new failure or fixed since the previous run. */
  mark(location: string): PackageChangeMark | undefined {
    return this.marks.get(location);
  }

  markedLocations(): ReadonlyMap<string, PackageChangeMark> {
    return this.marks;
  }

  /** The report view's section. */
  reportSection(): SinceData {
    if (!this.diff) return noSince(this.none);
    const b = this.controller.bulklog;
    return sinceData(this.diff, extractedRun(this.controller.shownBulklog ?? '') === undefined, (n) => (b?.byName.get(n)?.logs.length ?? 0) > 0);
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
