// What changed between two runs, as a pkgsrc developer asks it after a build: which packages
// fail now that did not (new failures), which failed and build now (fixed), which fail in both,
// which failed package breaks more packages than before (and which ones), PKGNAME changes,
// packages that entered or left the build, and builds that got much slower or faster. Pure.
//
// A package is the same package in both runs when its PKGNAME without the version is (so
// py27-foo and py33-foo of one location stay apart, and a version bump is a version change).
import { isBroken, type BuildState } from '../bulklog/states';
import type { PackageRow, RunInfo, RunSummary } from './summary';

export interface DiffOptions {
  /** A build-time change counts when after/before or before/after is at least this. */
  timeRatio?: number;
  /** ... and the difference is at least this many milliseconds. */
  timeMinMs?: number;
}

export const DEFAULT_TIME_RATIO = 1.5;
export const DEFAULT_TIME_MIN_MS = 60_000;

export interface PackageChange {
  /** PKGNAME in the later run (in the earlier one for a removed package). */
  pkgname: string;
  /** PKGNAME in the earlier run when it differs. */
  was?: string;
  location?: string;
  /** State in the earlier run; absent: not in that build. */
  before?: BuildState;
  /** State in the later run; absent: not in that build. */
  after?: BuildState;
  /** Failing phase in the later run (or the earlier one for a fixed package). */
  phase?: string;
  breaks: number;
}

export interface BreaksChange {
  pkgname: string;
  location?: string;
  before: number;
  after: number;
  /** Packages depending on it that fail because of it now and did not fail before. */
  newlyBroken: string[];
}

export interface TimeChange {
  pkgname: string;
  location?: string;
  beforeMs: number;
  afterMs: number;
}

export interface RunDiff {
  from: RunInfo;
  to: RunInfo;
  newFailures: PackageChange[];
  fixed: PackageChange[];
  stillFailing: PackageChange[];
  newlyBroken: BreaksChange[];
  versions: PackageChange[];
  added: PackageChange[];
  removed: PackageChange[];
  /** Every other change of state (e.g. built before, depending on a failure now). */
  otherStates: PackageChange[];
  times: TimeChange[];
}

/** PKGNAME without its version: what stays the same across a version bump. */
export function pkgbase(pkgname: string): string {
  const i = pkgname.lastIndexOf('-');
  return i > 0 ? pkgname.slice(0, i) : pkgname;
}

function keyed(rows: readonly PackageRow[]): Map<string, PackageRow> {
  const m = new Map<string, PackageRow>();
  for (const p of rows) {
    let k = pkgbase(p.pkgname);
    // Two packages of one base in one run (pbulk warns about these): keep them apart by location.
    if (m.has(k)) k = `${k}@${p.location ?? p.pkgname}`;
    m.set(k, p);
  }
  return m;
}

const byName = (x: { pkgname: string }, y: { pkgname: string }) => (x.pkgname < y.pkgname ? -1 : x.pkgname > y.pkgname ? 1 : 0);
const byBreaks = (x: PackageChange, y: PackageChange) => y.breaks - x.breaks || byName(x, y);

function change(a: PackageRow | undefined, b: PackageRow | undefined): PackageChange {
  const p = (b ?? a)!;
  const c: PackageChange = { pkgname: p.pkgname, breaks: b?.breaks ?? 0 };
  if (a && b && a.pkgname !== b.pkgname) c.was = a.pkgname;
  if (p.location !== undefined) c.location = p.location;
  if (a) c.before = a.state;
  if (b) c.after = b.state;
  const phase = b?.state === 'failed' ? b.phase : a?.phase;
  if (phase !== undefined) c.phase = phase;
  return c;
}

export function diffRuns(from: RunSummary, to: RunSummary, opts: DiffOptions = {}): RunDiff {
  const ratio = opts.timeRatio ?? DEFAULT_TIME_RATIO;
  const minMs = opts.timeMinMs ?? DEFAULT_TIME_MIN_MS;
  const A = keyed(from.packages);
  const B = keyed(to.packages);
  const d: RunDiff = {
    from: from.run,
    to: to.run,
    newFailures: [],
    fixed: [],
    stillFailing: [],
    newlyBroken: [],
    versions: [],
    added: [],
    removed: [],
    otherStates: [],
    times: [],
  };
  // Packages failing only because of a package, in the earlier run (to tell what is newly broken).
  const brokeBefore = new Set<string>();
  for (const a of A.values()) if (isBroken(a.state)) brokeBefore.add(pkgbase(a.pkgname));
  const newlyBrokenBy = new Map<string, string[]>();

  for (const [k, b] of B) {
    const a = A.get(k);
    if (!a) d.added.push(change(undefined, b));
    else if (a.pkgname !== b.pkgname) d.versions.push(change(a, b));
    if (b.state === 'failed') {
      (a?.state === 'failed' ? d.stillFailing : d.newFailures).push(change(a, b));
    } else if (a && isBroken(a.state) && b.state === 'done') {
      d.fixed.push(change(a, b));
    } else if (a && a.state !== b.state) {
      d.otherStates.push(change(a, b));
    }
    if (isBroken(b.state) && b.state !== 'failed' && b.state !== 'prefailed' && !brokeBefore.has(pkgbase(b.pkgname))) {
      for (const c of b.culprits ?? []) {
        const l = newlyBrokenBy.get(c);
        if (l) l.push(b.pkgname);
        else newlyBrokenBy.set(c, [b.pkgname]);
      }
    }
    if (a && a.state === 'done' && b.state === 'done' && a.ms !== undefined && b.ms !== undefined && a.ms > 0 && b.ms > 0) {
      const hi = Math.max(a.ms, b.ms);
      const lo = Math.min(a.ms, b.ms);
      if (hi / lo >= ratio && hi - lo >= minMs)
        d.times.push({ pkgname: b.pkgname, ...(b.location !== undefined ? { location: b.location } : {}), beforeMs: a.ms, afterMs: b.ms });
    }
  }
  for (const [k, a] of A) if (!B.has(k)) d.removed.push(change(a, undefined));

  const toByName = new Map(to.packages.map((p) => [p.pkgname, p]));
  for (const b of to.packages) {
    if (b.state !== 'failed' && b.state !== 'prefailed') continue;
    const a = A.get(pkgbase(b.pkgname));
    const before = a && (a.state === 'failed' || a.state === 'prefailed') ? a.breaks : 0;
    if (b.breaks <= before) continue;
    const newly = (newlyBrokenBy.get(b.pkgname) ?? []).filter((n) => toByName.has(n)).sort();
    d.newlyBroken.push({ pkgname: b.pkgname, ...(b.location !== undefined ? { location: b.location } : {}), before, after: b.breaks, newlyBroken: newly });
  }

  d.newFailures.sort(byBreaks);
  d.stillFailing.sort(byBreaks);
  d.newlyBroken.sort((x, y) => y.after - y.before - (x.after - x.before) || byName(x, y));
  for (const l of [d.fixed, d.versions, d.added, d.removed, d.otherStates]) l.sort(byName);
  d.times.sort((x, y) => Math.abs(y.afterMs - y.beforeMs) - Math.abs(x.afterMs - x.beforeMs) || byName(x, y));
  return d;
}

/** The counts a diff is summed up with (CLI lines, the report view's header). */
export function diffCounts(
  d: RunDiff,
): Record<'newFailures' | 'fixed' | 'stillFailing' | 'newlyBroken' | 'versions' | 'added' | 'removed' | 'otherStates' | 'times', number> {
  return {
    newFailures: d.newFailures.length,
    fixed: d.fixed.length,
    stillFailing: d.stillFailing.length,
    newlyBroken: d.newlyBroken.length,
    versions: d.versions.length,
    added: d.added.length,
    removed: d.removed.length,
    otherStates: d.otherStates.length,
    times: d.times.length,
  };
}
