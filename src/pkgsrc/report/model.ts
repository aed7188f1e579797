// What the report writers need to know about each package, taken from a read bulklog. The
// writers work on this plain data so that the engine can also feed them directly.
import type { Bulklog, BulklogStatus, BuildState, Phase } from '../bulklog';

export interface ReportPackage {
  pkgname: string;
  location: string;
  maintainer: string;
  state: BuildState;
  /** PKG_DEPTH; undefined when unknown. */
  depth?: number;
  /** Resolved dependencies (DEPENDS=). */
  depends: string[];
  /** Raw PKG_FAIL_REASON= value. */
  failReason: string;
  /** Phases whose log exists in the package's log directory. */
  phases: Phase[];
  /** For indirect-failed packages: the failed packages behind it. */
  culprits: string[];
  /** The record lines meta/report repeats (without PKG_DEPTH=/BUILD_STATUS= lines). */
  recordLines: string[];
}

export interface ReportInput {
  status: BulklogStatus;
  packages: ReportPackage[];
}

/** Lines that create-report adds to a presolve record; dropped when re-reading meta/report. */
const REPORT_KEYS = ['PKG_DEPTH=', 'BUILD_STATUS=', 'RESTRICTED_SUBSET='];

export function reportInput(b: Bulklog): ReportInput {
  const packages: ReportPackage[] = b.packages.map((p) => ({
    pkgname: p.pkgname,
    location: p.location ?? '',
    maintainer: p.maintainer ?? '',
    state: p.state,
    ...(p.depth !== undefined ? { depth: p.depth } : {}),
    depends: p.depends,
    failReason: p.failReason ?? '',
    phases: p.logs.flatMap((l) => (l.phase ? [l.phase] : [])),
    culprits: p.culprits ?? [],
    recordLines: (p.record?.lines ?? []).filter((l) => !REPORT_KEYS.some((k) => l.startsWith(k))),
  }));
  return { status: b.status, packages };
}

/** "Breaks N": the number of packages depending on this one (PKG_DEPTH - 1). */
export function breaksOf(p: { depth?: number | undefined }): number {
  return p.depth === undefined ? 0 : Math.max(0, p.depth - 1);
}

const ASTRAL_OR_HIGH = /[\uD800-\uFFFF]/;

/** Byte-wise comparison of the UTF-8 forms, as sort(1) compares in the C locale. */
export function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 code unit order equals UTF-8 byte order below U+D800, the common case.
  if (!ASTRAL_OR_HIGH.test(a) && !ASTRAL_OR_HIGH.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Order of `sort -rn` over "N text" lines: N descending, then (GNU sort's last-resort
 * comparison, reversed too) the whole line descending.
 */
export function compareBreaksDesc(a: { n: number; key: string }, b: { n: number; key: string }): number {
  return b.n - a.n || byteCompare(b.key, a.key);
}
