// Filing a finished run away before a fresh run empties the bulklog, in two steps so the next
// build is not kept waiting:
//  1. stage (before the bulklog changes): the bulklog's files are *moved* (renames, instant on
//     one file system) into `<store>/.filing-<id>/bulklog/`, then the `moved` mark is made;
//  2. complete (in the background, while the new run scans): each file is gzipped into
//     `.filing-<id>/entry/`, with the run's summary and run.json, and the entry is renamed to
//     `<store>/<id>` in one step; the staging directory goes to the trash; old runs are pruned.
// kill -9 anywhere leaves either a staging without its mark (moved back into the bulklog by
// recover(): the old state), or one with it (listed as pending, completed by the next engine),
// or the complete entry: never a torn run.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { isArchive } from '../../pkgsrc/bulklog/phases';
import { writeFileAtomic } from '../../pkgsrc/bulklog/write';
import { CURRENT_SUMMARY, readRunStateInfo, summarizeBulklog } from '../../pkgsrc/history/current';
import { formatSummary } from '../../pkgsrc/history/format';
import { pbulkRunId } from '../../pkgsrc/history/summary';
import {
  ENTRY_FILES,
  ENTRY_SUMMARY,
  ENTRY_INFO,
  entryInfoText,
  filesUnder,
  listRuns,
  STAGED_BULKLOG,
  STAGED_MARK,
  STAGING_PREFIX,
  TRASH_PREFIX,
} from '../../pkgsrc/history/store';
import type { EngineConfig } from '../config/types';
import { LOCK_NAME } from '../lock';
import { historyOptions, type HistoryOptions } from './options';

/** The run in the bulklog cannot be filed away (the store is not writable ...): nothing was changed. */
export class HistoryError extends Error {}

/** Files compressed at a time: zlib runs on libuv's threads, off the event loop. */
const WORKERS = 4;

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/** rename, or copy and remove across file systems. */
async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await cp(from, to, { recursive: true, errorOnExist: true, force: false });
    await rm(from, { recursive: true, force: true });
  }
}

/** Whether the meta directory holds build results worth keeping (a scan alone is not a run). */
async function holdsResults(metaDir: string): Promise<boolean> {
  for (const f of ['success', 'error']) {
    const s = await stat(join(metaDir, f)).catch(() => undefined);
    if (s && s.size > 0) return true;
  }
  return exists(join(metaDir, 'pbuild'));
}

/** A run id for a bulklog without meta/engine.json: pbulk's BUILD_START_DIR. */
async function pbulkId(metaDir: string): Promise<string> {
  const text = await readFile(join(metaDir, 'status'), 'utf8').catch(() => '');
  return pbulkRunId(/^BUILD_START_DIR=(.*)$/m.exec(text)?.[1]);
}

export class RunFiler {
  readonly opts: HistoryOptions;

  constructor(
    private readonly cfg: EngineConfig,
    private readonly warn: (message: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.opts = historyOptions(cfg);
  }

  get store(): string {
    return this.opts.dir;
  }

  private async names(): Promise<string[]> {
    return readdir(this.store).catch(() => []);
  }

  /**
   * Puts back what an interrupted stage moved (its mark missing), so the bulklog is as it was;
   * removes the trash. Pending stagings (marked) are left for complete().
   */
  async recover(): Promise<void> {
    for (const n of await this.names()) {
      const dir = join(this.store, n);
      if (n.startsWith(TRASH_PREFIX)) {
        await rm(dir, { recursive: true, force: true });
      } else if (n.startsWith(STAGING_PREFIX) && !(await exists(join(dir, STAGED_MARK)))) {
        const stuck = await this.moveBack(join(dir, STAGED_BULKLOG));
        if (stuck.length > 0) {
          // The bulklog has files of those names again: keep the moved ones as a run.
          this.warn(`${dir}: ${stuck.join(', ')} could not be put back into ${this.cfg.bulklog} (it has them again); kept as a run of the history`);
          await writeFile(join(dir, STAGED_MARK), '');
        } else {
          await this.trash(dir);
        }
      }
    }
  }

  private async moveBack(staged: string): Promise<string[]> {
    const stuck: string[] = [];
    const put = async (from: string, to: string) => {
      if (await exists(to)) stuck.push(relative(staged, from));
      else await move(from, to);
    };
    const names = await readdir(staged).catch(() => [] as string[]);
    for (const n of names) {
      if (n === 'meta') {
        await mkdir(this.cfg.metaDir, { recursive: true });
        for (const m of await readdir(join(staged, n))) await put(join(staged, n, m), join(this.cfg.metaDir, m));
      } else {
        await put(join(staged, n), join(this.cfg.bulklog, n));
      }
    }
    return stuck;
  }

  private async trash(dir: string): Promise<void> {
    const t = join(this.store, `${TRASH_PREFIX}${basename(dir)}-${randomBytes(3).toString('hex')}`);
    await rename(dir, t);
    await rm(t, { recursive: true, force: true });
  }

  /**
   * Moves the run the bulklog holds into a staging directory of the store (nothing when it
   * holds no build results or history is off). `keep`: paths under the bulklog that stay (the
   * engine's socket). On failure everything is put back and a HistoryError says why.
   */
  async stage(keep: string[] = []): Promise<string | undefined> {
    const { bulklog, metaDir } = this.cfg;
    if (this.opts.keepRuns === 0 || !(await holdsResults(metaDir))) return undefined;
    const rel = relative(bulklog, this.store);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      throw new HistoryError(
        `historyDir ${this.store} is inside the bulklog ${bulklog}, which a fresh run empties: put it beside the bulklog (the default is ${bulklog.replace(/\/+$/, '')}.history)`,
      );
    }
    const state = await readRunStateInfo(metaDir);
    const base = (state?.runId ?? (await pbulkId(metaDir))).replace(/[^0-9A-Za-z._-]/g, '') || 'run';
    let id = base;
    const taken = new Set((await this.names()).map((n) => (n.startsWith(STAGING_PREFIX) ? n.slice(STAGING_PREFIX.length) : n)));
    for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
    const dir = join(this.store, `${STAGING_PREFIX}${id}`);
    const staged = join(dir, STAGED_BULKLOG);
    try {
      await mkdir(join(staged, 'meta'), { recursive: true });
    } catch (e) {
      throw new HistoryError(
        `cannot file the run in ${bulklog} away into ${this.store}: ${(e as Error).message} (set historyKeepRuns to 0 in the engine settings to keep no history)`,
      );
    }
    const kept = new Set([LOCK_NAME, ...keep.map((k) => relative(bulklog, k))]);
    const metaRel = relative(bulklog, metaDir);
    try {
      for (const m of await readdir(metaDir)) {
        if (kept.has(join(metaRel, m))) continue;
        const st = await stat(join(metaDir, m));
        if (st.isFile() || st.isDirectory()) await move(join(metaDir, m), join(staged, 'meta', m));
      }
      for (const e of await readdir(bulklog)) {
        if (kept.has(e) || e === metaRel || e.startsWith('.')) continue;
        await move(join(bulklog, e), join(staged, e));
      }
      await writeFile(join(dir, STAGED_MARK), '');
    } catch (e) {
      await this.moveBack(staged).catch(() => undefined);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw new HistoryError(`cannot file the run in ${bulklog} away into ${this.store}: ${(e as Error).message} (the bulklog is unchanged)`);
    }
    return dir;
  }

  /** Compresses every staged run into its entry, then applies the retention settings. */
  async complete(): Promise<string[]> {
    const filed: string[] = [];
    const names = await this.names();
    for (const n of names) {
      if (!n.startsWith(STAGING_PREFIX)) continue;
      const dir = join(this.store, n);
      if (!(await exists(join(dir, STAGED_MARK)))) continue; // being moved (or for recover())
      const id = n.slice(STAGING_PREFIX.length);
      if (!names.includes(id)) {
        if (!(await this.fileEntry(dir, id))) {
          this.warn(`${dir}: the moved bulklog holds no packages; nothing kept`);
        } else {
          filed.push(id);
        }
      }
      await this.trash(dir);
    }
    await this.prune();
    return filed;
  }

  private async fileEntry(dir: string, id: string): Promise<boolean> {
    const staged = join(dir, STAGED_BULKLOG);
    const summary = await summarizeBulklog(staged);
    if (!summary) return false;
    summary.run.id = id;
    const entry = join(dir, 'entry');
    await rm(entry, { recursive: true, force: true });
    await mkdir(join(entry, ENTRY_FILES), { recursive: true });
    const files = (await filesUnder(staged)).filter((f) => !isArchive(basename(f)) && basename(f) !== CURRENT_SUMMARY);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++]!;
        const out = join(entry, ENTRY_FILES, `${relative(staged, f)}.gz`);
        await mkdir(dirname(out), { recursive: true });
        await pipeline(createReadStream(f), createGzip(), createWriteStream(out));
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await writeFileAtomic(join(entry, ENTRY_SUMMARY), gzipSync(formatSummary(summary)));
    let bytes = 0;
    for (const f of await filesUnder(entry)) bytes += (await stat(f)).size;
    await writeFileAtomic(join(entry, ENTRY_INFO), entryInfoText(summary.run, this.now(), bytes));
    await rename(entry, join(this.store, id));
    return true;
  }

  /** Removes the runs beyond historyKeepRuns (oldest first) and those older than historyKeepDays. */
  async prune(): Promise<string[]> {
    const { runs } = await listRuns(this.store);
    const done = runs.filter((r) => !r.pending);
    const gone = new Set(done.slice(0, Math.max(0, done.length - this.opts.keepRuns)));
    if (this.opts.keepDays !== undefined) {
      const limit = this.now() - this.opts.keepDays * 86_400_000;
      for (const r of done) if ((r.info.finishedAt ?? r.info.startedAt ?? r.filedAt ?? 0) < limit) gone.add(r);
    }
    for (const r of gone) await this.trash(r.dir);
    return [...gone].map((r) => r.info.id);
  }
}
