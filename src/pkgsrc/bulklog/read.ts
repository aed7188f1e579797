// One model of a bulklog from whatever files exist: a finished pbulk bulklog, a live one with
// only presolve + success/error, an aborted one, or one copied from another machine.
//
// Sources, best first:
//  - records: meta/presolve, else the records of meta/report, else meta/pscan;
//  - states: computed from presolve (or pscan) + success + error as pbulk-build does (a
//    package still open with a log directory, or in_processing in meta/pbuild, is in_processing),
//    else meta/pbuild, else BUILD_STATUS of meta/report, else success/error alone;
//  - logs: the package directories.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Problem } from '../problem';
import { computeStates, failedCulprits } from './compute';
import { buildGraph, type DependencyGraph } from './graph';
import { readTextFile } from './files';
import { fileProblem, lineProblem } from './located';
import { listLogDirs, readPackageLogs, type LogFile } from './logs';
import { parsePbuild, type PbuildEntry } from './pbuild';
import type { Phase } from './phases';
import { parsePkgList, type PkgList } from './pkglist';
import { splitReasons } from './reasons';
import { parseRecords, recordDepends, recordForStates, type BulkRecord } from './records';
import { parseMetaReport, type MetaReportEntry } from './parse-meta-report';
import { emptyTotals, type BuildState } from './states';
import { parseStatus, type BulklogStatus } from './status';

export interface BulklogPackage {
  pkgname: string;
  /** PKG_LOCATION (PKGPATH), e.g. `lang/perl5`. */
  location?: string;
  state: BuildState;
  /** PKG_DEPTH: 1 + the number of packages depending on this one. */
  depth?: number;
  /** Packages this one breaks if it fails: depth - 1. */
  breaks?: number;
  maintainer?: string;
  multiVersion?: string;
  /** Resolved dependencies (DEPENDS=). */
  depends: string[];
  /** Last phase log in phase order: where a failed package failed. */
  failingPhase?: Phase;
  failingLog?: string;
  logDir?: string;
  logs: LogFile[];
  /** For indirect-failed packages: the failed packages behind it. */
  culprits?: string[];
  /** Raw PKG_FAIL_REASON= / PKG_SKIP_REASON= values (shell-quoted lists). */
  failReason?: string;
  skipReason?: string;
  /** The decoded fail and skip reasons, one entry per reason. */
  reasons?: string[];
  /** The scan record (raw lines, for writing meta/report), with where it was read. */
  record?: BulkRecord;
  recordFile?: string;
}

export type RecordSource = 'presolve' | 'report' | 'pscan' | 'none';
export type StateSource = 'computed' | 'pbuild' | 'report' | 'lists';

export interface Bulklog {
  dir: string;
  metaDir: string;
  status: BulklogStatus;
  packages: BulklogPackage[];
  byName: Map<string, BulklogPackage>;
  totals: Record<BuildState, number>;
  sources: { records: RecordSource; states: StateSource };
  /** True when meta/pbuild exists, i.e. pbulk-build (or the engine) finished writing. */
  finished: boolean;
  /** Every inconsistency found, located in the file concerned. */
  problems: Problem[];
}

export class BulklogError extends Error {}

export interface ReadBulklogOptions {
  /** The meta directory (`loc` in pbulk.conf); default `<dir>/meta`. */
  metaDir?: string;
  /** Skip listing the package log directories (faster for huge bulklogs). */
  skipLogs?: boolean;
}

export async function readBulklog(dir: string, opts: ReadBulklogOptions = {}): Promise<Bulklog> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new BulklogError(`${dir}: not a directory`);
  } catch (e) {
    if (e instanceof BulklogError) throw e;
    throw new BulklogError(`${dir}: cannot open bulklog directory: ${(e as Error).message}`);
  }
  const metaDir = opts.metaDir ?? join(dir, 'meta');
  const meta = (name: string) => join(metaDir, name);
  const problems: Problem[] = [];

  const [statusF, successF, errorF, pbuildF] = await Promise.all(['status', 'success', 'error', 'pbuild'].map((n) => readTextFile(meta(n))));
  for (const f of [statusF, successF, errorF, pbuildF]) problems.push(...f!.problems);

  const st = parseStatus(statusF!.text, meta('status'));
  problems.push(...st.problems);
  if (!statusF!.exists) problems.push(fileProblem(meta('status'), 'information', 'missing-file', 'no meta/status: platform and build times unknown'));

  // Records.
  let recordSource: RecordSource = 'none';
  let records: BulkRecord[] = [];
  let reportEntries: MetaReportEntry[] = [];
  let recordFile = '';
  // Only the first of these that exists is read: each can be tens of megabytes.
  for (const src of ['presolve', 'report', 'pscan'] as const) {
    const f = await readTextFile(meta(src));
    problems.push(...f.problems);
    if (!f.exists) continue;
    recordFile = meta(src);
    if (src === 'report') {
      const parsed = parseMetaReport(f.text, recordFile);
      problems.push(...parsed.problems);
      reportEntries = parsed.entries;
      records = parsed.entries.map((e) => e.record);
    } else {
      const parsed = parseRecords(f.text, recordFile, src);
      problems.push(...parsed.problems);
      records = parsed.records;
    }
    recordSource = src;
    break;
  }

  const success = parsePkgList(successF!.text, meta('success'));
  const error = parsePkgList(errorF!.text, meta('error'));
  problems.push(...success.problems, ...error.problems);
  const pbuild = pbuildF!.exists ? parsePbuild(pbuildF!.text, meta('pbuild')) : undefined;
  if (pbuild) problems.push(...pbuild.problems);
  const pbuildBy = new Map<string, PbuildEntry>((pbuild?.entries ?? []).map((e) => [e.pkgname, e]));

  const packages: BulklogPackage[] = [];
  const byName = new Map<string, BulklogPackage>();
  const add = (p: BulklogPackage) => {
    if (byName.has(p.pkgname)) return;
    packages.push(p);
    byName.set(p.pkgname, p);
  };
  for (const r of records) add(packageFromRecord(r, recordFile));

  let stateSource: StateSource;
  let graph: DependencyGraph | undefined;
  if (recordSource === 'presolve' || (recordSource === 'pscan' && !pbuild)) {
    // pscan records have no DEPENDS: prefailed packages are still known, dependents and depths not.
    stateSource = 'computed';
    graph = applyComputedStates(packages, records, recordFile, success, error, problems, meta, recordSource === 'presolve');
  } else if (pbuild) {
    stateSource = 'pbuild';
    for (const e of pbuild.entries) {
      const p = byName.get(e.pkgname);
      if (p) {
        p.state = e.state;
        p.depth = e.depth;
      } else {
        add({ pkgname: e.pkgname, state: e.state, depth: e.depth, depends: [], logs: [] });
      }
    }
  } else if (recordSource === 'report') {
    stateSource = 'report';
    for (const e of reportEntries) {
      const p = byName.get(e.record.pkgname);
      if (!p) continue;
      if (e.state) p.state = e.state;
      if (e.depth !== undefined) p.depth = e.depth;
    }
  } else {
    stateSource = 'lists';
  }

  // Packages known only from success/error (no records, or names that match no record).
  for (const n of success.names) if (!byName.has(n)) add({ pkgname: n, state: 'done', depends: [], logs: [] });
  for (const n of error.names) {
    const p = byName.get(n);
    if (!p) add({ pkgname: n, state: 'failed', depends: [], logs: [] });
    else if (stateSource === 'lists') p.state = 'failed';
  }

  // pbuild's depth where nothing better is known; in_processing from an aborted run.
  for (const p of packages) {
    const e = pbuildBy.get(p.pkgname);
    if (e && p.depth === undefined) p.depth = e.depth;
    if (e && e.state === 'in_processing' && p.state === 'open') p.state = 'in_processing';
  }
  if (pbuild && stateSource === 'computed') {
    for (const p of packages) {
      const e = pbuildBy.get(p.pkgname);
      if (e && e.state !== p.state && e.state !== 'open' && e.state !== 'in_processing') {
        problems.push(
          lineProblem(
            meta('pbuild'),
            e.line,
            'information',
            'stale-pbuild',
            `meta/pbuild says ${e.state} for ${p.pkgname}, meta/success and meta/error say ${p.state}; using ${p.state}`,
          ),
        );
      }
    }
  }

  // Log directories.
  if (!opts.skipLogs) {
    const dirs = await listLogDirs(dir, basename(metaDir));
    const logs = await Promise.all(dirs.map((d) => readPackageLogs(dir, d)));
    logs.forEach((l, k) => {
      if (!l) return;
      let p = byName.get(dirs[k]!);
      if (!p) {
        // A log directory of a package no file names: a build under way or a stray directory.
        p = { pkgname: dirs[k]!, state: 'in_processing', depends: [], logs: [] };
        add(p);
      } else if (p.state === 'open') {
        p.state = 'in_processing';
      }
      p.logDir = l.dir;
      p.logs = l.files;
      if (l.failingPhase) p.failingPhase = l.failingPhase;
      if (l.failingLog) p.failingLog = l.failingLog;
    });
  }

  addCulprits(packages, records, graph);
  for (const p of packages) if (p.depth !== undefined) p.breaks = Math.max(0, p.depth - 1);
  const totals = emptyTotals();
  for (const p of packages) totals[p.state]++;
  return {
    dir,
    metaDir,
    status: st.status,
    packages,
    byName,
    totals,
    sources: { records: recordSource, states: stateSource },
    finished: pbuild !== undefined,
    problems,
  };
}

function packageFromRecord(r: BulkRecord, file: string): BulklogPackage {
  const v = (k: string) => r.values.get(k);
  const p: BulklogPackage = { pkgname: r.pkgname, state: 'open', depends: recordDepends(r) ?? [], logs: [], record: r, recordFile: file };
  const loc = v('PKG_LOCATION');
  if (loc !== undefined) p.location = loc;
  const m = v('MAINTAINER');
  if (m !== undefined) p.maintainer = m;
  const mv = v('MULTI_VERSION');
  if (mv !== undefined && mv !== '') p.multiVersion = mv.trim();
  const fail = v('PKG_FAIL_REASON');
  const skip = v('PKG_SKIP_REASON');
  if (fail) p.failReason = fail;
  if (skip) p.skipReason = skip;
  if (fail || skip) p.reasons = [...splitReasons(fail ?? ''), ...splitReasons(skip ?? '')];
  return p;
}

function applyComputedStates(
  packages: BulklogPackage[],
  records: BulkRecord[],
  recordFile: string,
  success: PkgList,
  error: PkgList,
  problems: Problem[],
  meta: (n: string) => string,
  withDepth: boolean,
): DependencyGraph {
  const inputs = records.map(recordForStates);
  const c = computeStates(inputs, success.names, error.names);
  for (const issue of c.issues) {
    // The record parser already reports records without reason lines and duplicate names.
    if (issue.kind === 'invalid-record' || issue.kind === 'duplicate-package') continue;
    const r = records[issue.record]!;
    let line = r.line;
    let text = r.lines[0] ?? '';
    if (issue.kind === 'missing-dependency') {
      const k = r.lines.findIndex((l) => l.startsWith('DEPENDS='));
      if (k >= 0) {
        line = r.line + k;
        text = r.lines[k]!;
      }
    }
    problems.push(lineProblem(recordFile, line, 'error', issue.kind, issue.message, text));
  }
  const unknown = (list: PkgList, names: string[], file: string, what: string) => {
    const set = new Set(names);
    list.names.forEach((n, k) => {
      if (set.has(n)) problems.push(lineProblem(file, list.lines[k]!, 'error', 'unknown-package', `Package from ${what} build log doesn't exist: ${n}`, n));
    });
  };
  unknown(success, c.unknownSuccess, meta('success'), 'successful');
  unknown(error, c.unknownError, meta('error'), 'failing');
  for (const p of packages) {
    const i = c.graph.index.get(p.pkgname);
    if (i === undefined) continue;
    p.state = c.states[i]!;
    if (withDepth) p.depth = c.graph.depth[i]!;
  }
  return c.graph;
}

/** The failed packages behind each indirect-failed one, whatever source gave the states. */
function addCulprits(packages: BulklogPackage[], records: BulkRecord[], known?: DependencyGraph): void {
  if (!packages.some((p) => p.state === 'indirect-failed')) return;
  const byName = new Map(packages.map((p) => [p.pkgname, p]));
  const graph = known ?? buildGraph(records.map((r) => ({ pkgname: r.pkgname, depends: recordDepends(r) }))).graph;
  const states = graph.names.map((n) => byName.get(n)?.state ?? 'open');
  for (const [i, names] of failedCulprits(graph, states)) byName.get(graph.names[i]!)!.culprits = names;
}
