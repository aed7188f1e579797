// The history store beside a bulklog (`<bulklog>.history/`), read side. One directory per run,
// put in place by a single rename once complete, so a reader sees a run whole or not at all:
//
//   <id>/run.json           what the run was (RunInfo), when it was filed, how big it is
//   <id>/summary.json.gz    its RunSummary (format.ts), all a diff reads
//   <id>/files/...gz        its bulklog as it was (meta/ files, the logs of unsuccessful
//                           packages), each file gzipped, in the bulklog's own layout
//   .filing-<id>/           a run being filed: its bulklog moved here (bulklog/), `moved` once
//                           all of it is, the entry being written (entry/)
//   .trash-*                being deleted
//
// A run being filed whose bulklog was completely moved is listed too (pending), read from the
// moved files, so no run is ever out of sight while it is compressed.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { summarizeBulklog } from './current';
import { parseSummary } from './format';
import type { RunInfo, RunSummary } from './summary';

export const ENTRY_INFO = 'run.json';
export const ENTRY_SUMMARY = 'summary.json.gz';
export const ENTRY_FILES = 'files';
export const STAGING_PREFIX = '.filing-';
export const TRASH_PREFIX = '.trash-';
export const STAGED_BULKLOG = 'bulklog';
export const STAGED_MARK = 'moved';
const ENTRY_FORMAT = 'pkgsrc-bulk-history/1';

export function defaultHistoryDir(bulklog: string): string {
  return `${bulklog.replace(/\/+$/, '')}.history`;
}

export interface StoredRun {
  info: RunInfo;
  /** The entry's directory (a pending run: its staging directory). */
  dir: string;
  filedAt?: number;
  /** Compressed size of the entry in bytes. */
  bytes?: number;
  /** Moved out of the bulklog, not yet compressed. */
  pending?: boolean;
}

const entryInfoSchema = z.object({
  format: z.literal(ENTRY_FORMAT),
  run: z.object({ id: z.string(), kind: z.enum(['full', 'limited', 'unknown']), finished: z.boolean(), total: z.number() }).passthrough(),
  filedAt: z.number(),
  bytes: z.number().optional(),
});

export function entryInfoText(run: RunInfo, filedAt: number, bytes: number): string {
  return JSON.stringify({ format: ENTRY_FORMAT, run, filedAt, bytes }, null, 2) + '\n';
}

/** Sort key of a run: when it started, else when it was filed. */
function when(r: StoredRun): number {
  return r.info.startedAt ?? r.filedAt ?? 0;
}

/** The runs of a store, oldest first; entries that cannot be read are named in problems. */
export async function listRuns(store: string): Promise<{ runs: StoredRun[]; problems: string[] }> {
  let names: string[];
  try {
    names = await readdir(store);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { runs: [], problems: [] };
    throw e;
  }
  const runs: StoredRun[] = [];
  const problems: string[] = [];
  const complete = new Set(names.filter((n) => !n.startsWith('.')));
  await Promise.all(
    names.map(async (n) => {
      const dir = join(store, n);
      if (complete.has(n)) {
        const file = join(dir, ENTRY_INFO);
        try {
          const r = entryInfoSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
          if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
          runs.push({ info: r.data.run as unknown as RunInfo, dir, filedAt: r.data.filedAt, ...(r.data.bytes !== undefined ? { bytes: r.data.bytes } : {}) });
        } catch (e) {
          problems.push(`${file}: not a run of the history: ${(e as Error).message}`);
        }
        return;
      }
      if (!n.startsWith(STAGING_PREFIX) || complete.has(n.slice(STAGING_PREFIX.length))) return;
      const pending = await readPending(dir).catch(() => undefined);
      if (pending) runs.push(pending);
    }),
  );
  runs.sort((a, b) => when(a) - when(b) || (a.info.id < b.info.id ? -1 : 1));
  return { runs, problems };
}

async function readPending(dir: string): Promise<StoredRun | undefined> {
  await stat(join(dir, STAGED_MARK));
  const s = await summarizeBulklog(join(dir, STAGED_BULKLOG));
  return s ? { info: s.run, dir, pending: true } : undefined;
}

export async function readRunSummary(r: StoredRun): Promise<RunSummary> {
  if (r.pending) {
    const s = await summarizeBulklog(join(r.dir, STAGED_BULKLOG));
    if (!s) throw new Error(`${r.dir}: the run being filed holds no packages`);
    return s;
  }
  const file = join(r.dir, ENTRY_SUMMARY);
  return parseSummary(gunzipSync(await readFile(file)).toString('utf8'), file);
}

/** Every regular file under a directory, depth first. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Writes a stored run's bulklog (meta/ and logs) into `dest`, which becomes a pbulk bulklog. */
export async function extractRun(r: StoredRun, dest: string): Promise<void> {
  if (r.pending) throw new Error(`${r.info.id} is still being filed; try again in a moment`);
  const root = join(r.dir, ENTRY_FILES);
  for (const f of await filesUnder(root)) {
    if (!f.endsWith('.gz')) continue;
    const out = join(dest, relative(root, f).slice(0, -3));
    await mkdir(dirname(out), { recursive: true });
    await pipeline(createReadStream(f), createGunzip(), createWriteStream(out));
  }
}

/**
 * A run named on the command line: its id, a unique prefix of it (4 characters at least),
 * `~N` (N runs before the newest), or `current`/`previous`. `runs` is oldest first and ends
 * with the bulklog's own run when it has one.
 */
export function findRun<T extends { info: { id: string } }>(runs: readonly T[], ref: string): T | string {
  const n = runs.length;
  if (ref === 'current' || ref === 'latest') return runs[n - 1] ?? `no run in the history or the bulklog`;
  if (ref === 'previous') return runs[n - 2] ?? `no run before the latest one`;
  const back = /^~(\d+)$/.exec(ref);
  if (back) return runs[n - 1 - Number(back[1])] ?? `${ref}: only ${n} run(s) known`;
  const exact = runs.find((r) => r.info.id === ref);
  if (exact) return exact;
  const hits = ref.length >= 4 ? runs.filter((r) => r.info.id.startsWith(ref)) : [];
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) return `${ref}: ambiguous, matches ${hits.map((h) => h.info.id).join(', ')}`;
  return `${ref}: no such run (pkgsrc-bulk history lists them)`;
}
