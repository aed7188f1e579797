// Which bulklog the views show, and keeping them current: the running build's, else one opened
// from disk, the `pkgsrcBulk.bulklog` setting or the active pbulk.conf's. Its meta/ is watched,
// so a pbulk run outside VS Code updates the views too, and read again when it changes; while a
// build runs, no more often than reading takes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { BulklogError, readBulklog, readTimeline, type Bulklog } from '../../pkgsrc/bulklog';
import type { TimelineEntry } from '../../pkgsrc/bulklog/timeline';
import { expandSetting } from '../tree/locate';
import type { ConfInfo } from './confInfo';

export interface Shown {
  dir: string;
  metaDir: string;
  why: 'engine' | 'opened' | 'setting' | 'config';
}

/** The meta/ files whose change means the views are out of date. */
const WATCHED = '{success,error,pbuild,presolve,status,timeline,engine.json,presolve-err.log,pscan.stderr}';

/** What to show, first match wins: the running build's conf, an opened bulklog, the setting, the active conf. */
export function chooseShown(o: { building?: ConfInfo | undefined; opened?: Shown | undefined; active?: ConfInfo | undefined }): Shown | undefined {
  if (o.building?.bulklog && o.building.metaDir) return { dir: o.building.bulklog, metaDir: o.building.metaDir, why: 'engine' };
  if (o.opened) return o.opened;
  const setting = vscode.workspace.getConfiguration('pkgsrcBulk').get<string>('bulklog', '').trim();
  if (setting) {
    const dir = expandSetting(setting);
    return { dir, metaDir: join(dir, 'meta'), why: 'setting' };
  }
  if (o.active?.bulklog && o.active.metaDir) return { dir: o.active.bulklog, metaDir: o.active.metaDir, why: 'config' };
  return undefined;
}

/** The bulklog and its timeline; undefined (logged) when the directory holds no bulklog yet. */
export async function readShownFiles(shown: Shown, log: vscode.LogOutputChannel): Promise<{ bulklog: Bulklog | undefined; timeline: TimelineEntry[] }> {
  let b: Bulklog | undefined;
  try {
    b = await readBulklog(shown.dir, { metaDir: shown.metaDir });
  } catch (e) {
    if (!(e instanceof BulklogError)) throw e;
    log.info(`bulklog ${shown.dir}: ${e.message}`);
  }
  const tl = b ? await readTimeline(shown.metaDir) : { entries: [], problems: [] };
  return { bulklog: b, timeline: tl.entries };
}

/** An unfinished run in meta/ that Resume can carry on (its locations; none: a full build). */
export async function readResumable(metaDir: string): Promise<{ locations?: string[] } | undefined> {
  try {
    const s = JSON.parse(await readFile(join(metaDir, 'engine.json'), 'utf8')) as { stage?: unknown; locations?: unknown };
    if (s.stage === 'done' || typeof s.stage !== 'string') return undefined;
    return Array.isArray(s.locations) ? { locations: s.locations.filter((l): l is string => typeof l === 'string') } : {};
  } catch {
    return undefined;
  }
}

export interface ShownBulklogDeps {
  /** Reads what is shown into the views; true when it read it to the end (the time counts for pacing). */
  read(shown: Shown | undefined): Promise<boolean>;
  building(): boolean;
  log: vscode.LogOutputChannel;
}

/** The shown bulklog's watcher and its reads, one after the other. */
export class ShownBulklog implements vscode.Disposable {
  private current: Shown | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readTimer: NodeJS.Timeout | undefined;
  private readChain: Promise<void> = Promise.resolve();
  /** Settles when the read the timer is set for is done. */
  private pending: { promise: Promise<void>; resolve: () => void } | undefined;
  private lastReadMs = 0;

  constructor(private readonly deps: ShownBulklogDeps) {}

  get shown(): Shown | undefined {
    return this.current;
  }

  /** Shows `next` (watching it when it is another one) and reads it at once; true when it is another one. */
  show(next: Shown | undefined): boolean {
    const same = next && this.current && next.dir === this.current.dir && next.metaDir === this.current.metaDir;
    this.current = next;
    if (!same) {
      this.watcher?.dispose();
      this.watcher = undefined;
      if (next) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(next.metaDir), WATCHED));
        const later = () => this.scheduleRead();
        w.onDidChange(later);
        w.onDidCreate(later);
        w.onDidDelete(later);
        this.watcher = w;
      }
    }
    this.scheduleRead(0);
    return !same;
  }

  /** Reads the shown bulklog soon; while a build runs, no more often than reading takes. */
  scheduleRead(delay?: number): void {
    const d = delay ?? (this.deps.building() ? Math.max(500, 3 * this.lastReadMs) : 300);
    if (this.readTimer) {
      if (delay !== 0) return;
      clearTimeout(this.readTimer);
    }
    if (!this.pending) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      this.pending = { promise, resolve };
    }
    this.readTimer = setTimeout(() => {
      this.readTimer = undefined;
      const done = this.pending;
      this.pending = undefined;
      this.readChain = this.readChain
        .then(async () => {
          const t0 = Date.now();
          if (await this.deps.read(this.current)) this.lastReadMs = Date.now() - t0;
        })
        .catch((e: unknown) => this.deps.log.error(`reading the bulklog: ${(e as Error).stack ?? String(e)}`))
        .finally(() => done?.resolve());
    }, d);
  }

  /** Done when the read scheduled now (or, with none scheduled, the one under way) is. */
  nextRead(): Promise<void> {
    return this.pending?.promise ?? this.readChain;
  }

  /** Waits for reads under way or scheduled. */
  async settled(): Promise<void> {
    while (this.readTimer) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.readChain;
  }

  dispose(): void {
    clearTimeout(this.readTimer);
    this.pending?.resolve();
    this.watcher?.dispose();
  }
}
