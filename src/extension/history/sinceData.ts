// The "since the previous run" part of the report view's data: a diff of two runs cut to what a
// page shows (each list capped), with whether each package has a log to link to. Pure.
import type { BreaksChange, PackageChange, RunDiff, TimeChange } from '../../pkgsrc/history/diff';
import { diffCounts } from '../../pkgsrc/history/diff';
import type { RunInfo } from '../../pkgsrc/history/summary';

/** Rows per list the page gets; the counts are always whole. */
const SINCE_LIMIT = 500;

export interface SinceRow extends PackageChange {
  hasLog: boolean;
}

export interface SinceData {
  /** The earlier run; absent when there is none to compare with (`none` says why). */
  from?: { id: string; startedAt?: number; kind: string; total: number; finished: boolean };
  to?: { id: string; current: boolean };
  none?: string;
  counts?: ReturnType<typeof diffCounts>;
  newFailures: SinceRow[];
  fixed: SinceRow[];
  stillFailing: SinceRow[];
  newlyBroken: BreaksChange[];
  versions: SinceRow[];
  added: SinceRow[];
  removed: SinceRow[];
  otherStates: SinceRow[];
  times: TimeChange[];
}

export function noSince(why: string): SinceData {
  return { none: why, newFailures: [], fixed: [], stillFailing: [], newlyBroken: [], versions: [], added: [], removed: [], otherStates: [], times: [] };
}

function brief(r: RunInfo) {
  return { id: r.id, ...(r.startedAt !== undefined ? { startedAt: r.startedAt } : {}), kind: r.kind, total: r.total, finished: r.finished };
}

export function sinceData(d: RunDiff, current: boolean, hasLog: (pkgname: string) => boolean): SinceData {
  const rows = (l: PackageChange[]) => l.slice(0, SINCE_LIMIT).map((c) => ({ ...c, hasLog: c.after !== undefined && hasLog(c.pkgname) }));
  return {
    from: brief(d.from),
    to: { id: d.to.id, current },
    counts: diffCounts(d),
    newFailures: rows(d.newFailures),
    fixed: rows(d.fixed),
    stillFailing: rows(d.stillFailing),
    newlyBroken: d.newlyBroken.slice(0, SINCE_LIMIT),
    versions: rows(d.versions),
    added: rows(d.added),
    removed: rows(d.removed),
    otherStates: rows(d.otherStates),
    times: d.times.slice(0, SINCE_LIMIT),
  };
}
