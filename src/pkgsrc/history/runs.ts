// Every run a bulklog has known, oldest first: the runs of its history, then the one the
// bulklog holds now (current). What `history` lists, `diff` picks from and the editor shows.
import { join } from 'node:path';
import { summarizeBulklog } from './current';
import { listRuns, readRunSummary, type StoredRun } from './store';
import type { RunInfo, RunSummary } from './summary';

export interface KnownRun {
  info: RunInfo;
  /** The run in the bulklog itself. */
  current: boolean;
  /** Its entry in the history (absent for the current run). */
  stored?: StoredRun;
  summary(): Promise<RunSummary>;
}

export async function knownRuns(store: string, bulklog: string, metaDir = join(bulklog, 'meta')): Promise<{ runs: KnownRun[]; problems: string[] }> {
  const [{ runs, problems }, current] = await Promise.all([listRuns(store), summarizeBulklog(bulklog, metaDir)]);
  const out: KnownRun[] = runs.map((r) => ({ info: r.info, current: false, stored: r, summary: () => readRunSummary(r) }));
  if (current) out.push({ info: current.run, current: true, summary: async () => current });
  return { runs: out, problems };
}

/** Where a package's failing log of a run is: in the bulklog, or gzipped in the history entry. */
export function logPath(run: KnownRun, bulklog: string, pkgname: string, phase: string | undefined): string | undefined {
  if (!phase) return undefined;
  if (run.current) return join(bulklog, pkgname, `${phase}.log`);
  if (run.stored && !run.stored.pending) return join(run.stored.dir, 'files', pkgname, `${phase}.log.gz`);
  return undefined;
}
