// The structured summary behind the extension's report view and `pkgsrc-bulk report --json`:
// totals, the failed packages breaking the most, and every unsuccessful package with what a
// user needs to act on it (log path, failing phase, culprits, reasons). Plain JSON data.
import type { Bulklog, Phase } from '../bulklog';
import { FINAL_STATES, State, formatTotal, stateWord, type BuildState } from '../states';
import { analyzeFailureLog } from '../problems';
import { byteCompare } from './model';

export interface SummaryPackage {
  pkgname: string;
  location?: string;
  maintainer?: string;
  state: BuildState;
  breaks: number;
}

export interface SummaryFailure extends SummaryPackage {
  phase?: Phase;
  /** Absolute path of the failing phase's log. */
  log?: string;
  /** Every log file of the package, absolute paths. */
  logs: string[];
  /** The first error the failing log shows (0-based line), once withFirstErrors ran. */
  firstError?: { line: number; message: string; code: string };
}

export interface ReportSummary {
  bulklog: string;
  platform?: string;
  compiler?: string;
  buildStart?: string;
  buildEnd?: string;
  finished: boolean;
  /** Packages in the five counted classes (open and in_processing excluded, as pbulk). */
  total: number;
  totals: Record<BuildState, number>;
  /** Failed packages by breaks, most first (at most `topCount`). */
  topBreakers: SummaryPackage[];
  failed: SummaryFailure[];
  indirectFailed: (SummaryPackage & { culprits: string[] })[];
  prefailed: (SummaryPackage & { reasons: string[] })[];
  /** Culprits: the broken packages behind it. */
  indirectPrefailed: (SummaryPackage & { culprits: string[] })[];
  /** Packages not finished: open or in_processing. */
  pending: SummaryPackage[];
  /** Number of problems found while reading the bulklog. */
  problemCount: number;
}

export function buildSummary(b: Bulklog, topCount = 10): ReportSummary {
  const base = (p: Bulklog['packages'][number]): SummaryPackage => ({
    pkgname: p.pkgname,
    ...(p.location !== undefined ? { location: p.location } : {}),
    ...(p.maintainer !== undefined ? { maintainer: p.maintainer } : {}),
    state: p.state,
    breaks: p.breaks ?? 0,
  });
  const sorted = [...b.packages].sort((x, y) => byteCompare(x.location ?? '', y.location ?? '') || byteCompare(x.pkgname, y.pkgname));
  const of = (s: BuildState) => sorted.filter((p) => p.state === s);
  const failed: SummaryFailure[] = of(State.Failed).map((p) => ({
    ...base(p),
    ...(p.failingPhase ? { phase: p.failingPhase } : {}),
    ...(p.failingLog ? { log: p.failingLog } : {}),
    logs: p.logs.map((l) => l.path),
  }));
  const s = b.status;
  return {
    bulklog: b.dir,
    ...(s.platform !== undefined ? { platform: s.platform } : {}),
    ...(s.compiler !== undefined ? { compiler: s.compiler } : {}),
    ...(s.buildStartIso !== undefined ? { buildStart: s.buildStartIso } : {}),
    ...(s.buildEndIso !== undefined ? { buildEnd: s.buildEndIso } : {}),
    finished: b.finished,
    total: FINAL_STATES.reduce((a, k) => a + b.totals[k], 0),
    totals: { ...b.totals },
    topBreakers: failed
      .filter((p) => p.breaks > 0)
      .sort((x, y) => y.breaks - x.breaks || byteCompare(x.pkgname, y.pkgname))
      .slice(0, topCount)
      .map(({ pkgname, location, maintainer, state, breaks }) => ({
        pkgname,
        ...(location !== undefined ? { location } : {}),
        ...(maintainer !== undefined ? { maintainer } : {}),
        state,
        breaks,
      })),
    failed,
    indirectFailed: of(State.DependsOnFailed).map((p) => ({ ...base(p), culprits: p.culprits ?? [] })),
    prefailed: of(State.Broken).map((p) => ({ ...base(p), reasons: p.reasons ?? [] })),
    indirectPrefailed: of(State.DependsOnBroken).map((p) => ({ ...base(p), culprits: brokenCulprits(b, p.pkgname) })),
    pending: [...of(State.Building), ...of(State.Queued)].map(base),
    problemCount: b.problems.length,
  };
}

/** The broken packages a package depending on broken ones comes from, through its dependencies. */
function brokenCulprits(b: Bulklog, pkgname: string): string[] {
  const found = new Set<string>();
  const seen = new Set<string>([pkgname]);
  const todo = [pkgname];
  while (todo.length > 0) {
    for (const d of b.byName.get(todo.pop()!)?.depends ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      const st = b.byName.get(d)?.state;
      if (st === State.Broken) found.add(d);
      else if (st === State.DependsOnBroken) todo.push(d);
    }
  }
  return [...found].sort(byteCompare);
}

/**
 * Fills `firstError` of every failure from its failing log, reading at most `maxBytes` of
 * each (default 1 MiB: the tail, where builds fail) and `concurrency` logs at a time.
 */
export async function withFirstErrors(s: ReportSummary, opts: { maxBytes?: number; concurrency?: number } = {}): Promise<ReportSummary> {
  const todo = s.failed.filter((f) => f.log !== undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const f = todo[next++]!;
      try {
        const a = await analyzeFailureLog(f.log!, { maxBytes: opts.maxBytes ?? 1024 * 1024, maxErrors: 1 });
        const e = a.errors[0];
        if (e) f.firstError = { line: e.logLine, message: e.message, code: e.code };
      } catch {
        // The log vanished or is unreadable: the failure is still listed, without its error.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  return s;
}

/** Most broken or dependent packages a section of the text summary names; --json has them all. */
const LISTED = 25;

/**
 * A few lines for a terminal: the count breakdown, every failed package with its failing phase,
 * log and first error, then the broken packages with their reason and the ones depending on a
 * failed or broken package with the packages behind it.
 */
export function formatSummaryText(s: ReportSummary): string {
  const lines = [
    `${s.bulklog}: ${s.platform ?? 'unknown platform'}${s.buildStart ? `, started ${s.buildStart}` : ''}${s.buildEnd ? `, ended ${s.buildEnd}` : s.finished ? '' : ' (not finished)'}`,
    formatTotal(s.totals),
  ];
  const where = (p: SummaryPackage) => p.location ?? p.pkgname;
  if (s.failed.length > 0) {
    lines.push('', `${sectionTitle(State.Failed)}:`);
    const w = Math.max(...s.failed.map((f) => where(f).length));
    for (const f of s.failed) {
      const breaks = f.breaks > 0 ? `, breaks ${f.breaks}` : '';
      lines.push(`  ${where(f).padEnd(w)}  ${f.pkgname} (${f.phase ?? 'no log'}${breaks})${f.log ? `  ${f.log}` : ''}`);
      if (f.firstError) {
        const msg = f.firstError.message.length > 120 ? `${f.firstError.message.slice(0, 117)}...` : f.firstError.message;
        lines.push(`  ${''.padEnd(w)}    ${f.log ? `${f.log.slice(f.log.lastIndexOf('/') + 1)}:${f.firstError.line + 1}: ` : ''}${msg}`);
      }
    }
  }
  lines.push(...formatNotBuilt(notBuilt(s), LISTED));
  return `${lines.join('\n')}\n`;
}

/** A package that was not built, with why: a broken one's reasons, or the packages behind a dependent one. */
export interface NotBuilt {
  pkgname: string;
  location?: string;
  state: BuildState;
  because: string[];
}

/** The broken packages, then the ones depending on a failed one, then on a broken one. */
export function notBuilt(s: ReportSummary): NotBuilt[] {
  const one = (p: SummaryPackage, because: string[]): NotBuilt => ({
    pkgname: p.pkgname,
    ...(p.location !== undefined ? { location: p.location } : {}),
    state: p.state,
    because,
  });
  return [
    ...s.prefailed.map((p) => one(p, p.reasons)),
    ...s.indirectFailed.map((p) => one(p, p.culprits)),
    ...s.indirectPrefailed.map((p) => one(p, p.culprits)),
  ];
}

/** One section per state (`Broken:`, `Depending on failed:` ...), at most `limit` packages each. */
export function formatNotBuilt(list: readonly NotBuilt[], limit: number): string[] {
  const lines: string[] = [];
  for (const state of [State.Broken, State.DependsOnFailed, State.DependsOnBroken] as const) {
    const of = list.filter((p) => p.state === state);
    if (of.length === 0) continue;
    lines.push('', `${sectionTitle(state)}:`);
    const shown = of.slice(0, limit);
    const w = Math.max(...shown.map((p) => (p.location ?? p.pkgname).length));
    for (const p of shown) {
      const why = p.because.length === 0 ? '' : state === State.Broken ? `: ${p.because.join(' ')}` : `: because of ${p.because.join(', ')}`;
      lines.push(`  ${(p.location ?? p.pkgname).padEnd(w)}  ${p.pkgname}${why}`);
    }
    if (of.length > shown.length) lines.push(`  ... and ${of.length - shown.length} more`);
  }
  return lines;
}

/** `Depending on failed` */
function sectionTitle(state: BuildState): string {
  const w = stateWord(state);
  return `${w.charAt(0).toUpperCase()}${w.slice(1)}`;
}
