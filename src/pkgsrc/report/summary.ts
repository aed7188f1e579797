// The structured summary behind the extension's report view and `pkgsrc-bulk report --json`:
// totals, the failed packages breaking the most, and every unsuccessful package with what a
// user needs to act on it (log path, failing phase, culprits, reasons). Plain JSON data.
import { FINAL_STATES, type Bulklog, type BuildState, type Phase } from '../bulklog';
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
  indirectPrefailed: SummaryPackage[];
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
  const sorted = [...b.packages].sort(
    (x, y) => byteCompare(x.location ?? '', y.location ?? '') || byteCompare(x.pkgname, y.pkgname),
  );
  const of = (s: BuildState) => sorted.filter((p) => p.state === s);
  const failed: SummaryFailure[] = of('failed').map((p) => ({
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
      .map(({ pkgname, location, maintainer, state, breaks }) => ({ pkgname, ...(location !== undefined ? { location } : {}), ...(maintainer !== undefined ? { maintainer } : {}), state, breaks })),
    failed,
    indirectFailed: of('indirect-failed').map((p) => ({ ...base(p), culprits: p.culprits ?? [] })),
    prefailed: of('prefailed').map((p) => ({ ...base(p), reasons: p.reasons ?? [] })),
    indirectPrefailed: of('indirect-prefailed').map(base),
    pending: [...of('in_processing'), ...of('open')].map(base),
    problemCount: b.problems.length,
  };
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

/** A few lines for a terminal: totals and the failures with their failing phase. */
export function formatSummaryText(s: ReportSummary): string {
  const lines = [
    `${s.bulklog}: ${s.platform ?? 'unknown platform'}${s.buildStart ? `, started ${s.buildStart}` : ''}${s.buildEnd ? `, ended ${s.buildEnd}` : s.finished ? '' : ' (not finished)'}`,
    `${s.total} packages: ${s.totals.done} done, ${s.totals.failed} failed, ${s.totals['indirect-failed']} indirect-failed, ${s.totals.prefailed} prefailed, ${s.totals['indirect-prefailed']} indirect-prefailed` +
      (s.totals.open + s.totals.in_processing > 0 ? `; ${s.totals.in_processing} in processing, ${s.totals.open} open` : ''),
  ];
  if (s.failed.length > 0) {
    lines.push('', 'Failed:');
    const w = Math.max(...s.failed.map((f) => (f.location ?? f.pkgname).length));
    for (const f of s.failed) {
      const breaks = f.breaks > 0 ? `, breaks ${f.breaks}` : '';
      lines.push(`  ${(f.location ?? f.pkgname).padEnd(w)}  ${f.pkgname} (${f.phase ?? 'no log'}${breaks})${f.log ? `  ${f.log}` : ''}`);
      if (f.firstError) {
        const msg = f.firstError.message.length > 120 ? `${f.firstError.message.slice(0, 117)}...` : f.firstError.message;
        lines.push(`  ${''.padEnd(w)}    ${f.log ? `${f.log.slice(f.log.lastIndexOf('/') + 1)}:${f.firstError.line + 1}: ` : ''}${msg}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
