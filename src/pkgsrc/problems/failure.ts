// What a failed package's log says, in one call: the failing phase's log matched within a
// byte bound, its first error line (where an editor should open it), the errors that are
// causes rather than consequences, and the pbulk logs of the meta directory as problems.
import { join } from 'node:path';
import type { Problem } from '../problem';
import { LOG_MATCHERS } from './matchers';
import { matchLogFile, type LogFileMatch } from './read';
import { firstErrorLine, logProblemToProblem } from './scan';
import type { LogProblem, LogSection } from './types';

export interface FailureAnalysis {
  log: string;
  /** 0-based line to open the log at; undefined when no error was recognised. */
  firstErrorLine?: number;
  /** Errors that are causes (compiler, fetch, missing dependency ...), in log order; at most `maxErrors`. */
  errors: LogProblem[];
  /** Every problem found, warnings included. */
  problems: LogProblem[];
  sections: LogSection[];
  /** True when the log exceeded the byte bound and its middle was skipped. */
  truncated: boolean;
}

const consequences = new Set(LOG_MATCHERS.filter((m) => m.consequence).map((m) => m.code));

/** Reads and matches one failing log (a phase log of a failed package). */
export async function analyzeFailureLog(log: string, opts: { maxBytes?: number; maxErrors?: number } = {}): Promise<FailureAnalysis> {
  const m: LogFileMatch = await matchLogFile(log, { sources: ['log'], ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}) });
  const errors = m.problems.filter((p) => p.severity === 'error');
  const causes = errors.filter((p) => !consequences.has(p.code));
  const first = firstErrorLine(m);
  return {
    log,
    ...(first !== undefined ? { firstErrorLine: first } : {}),
    errors: (causes.length > 0 ? causes : errors).slice(0, opts.maxErrors ?? 5),
    problems: m.problems,
    sections: m.sections,
    truncated: m.log.skipped !== undefined,
  };
}

/** The files in a bulklog's meta directory that pbulk's tools write their complaints to. */
export const PBULK_META_LOGS = ['presolve-err.log', 'pscan.stderr'] as const;

/** Problems from meta/presolve-err.log and meta/pscan.stderr, located in those files. */
export async function metaLogProblems(metaDir: string): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const name of PBULK_META_LOGS) {
    const path = join(metaDir, name);
    let m: LogFileMatch;
    try {
      m = await matchLogFile(path, { sources: ['pbulk'] });
    } catch {
      continue; // Not written by this run (limited builds have no pscan.stderr).
    }
    for (const p of m.problems) out.push(logProblemToProblem(p, path));
  }
  return out;
}
