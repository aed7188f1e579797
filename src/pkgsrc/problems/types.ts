// Problems found in log text (phase logs, pbulk's own stderr logs, bulkbuild console output).
// Positions are 0-based like everything in src/pkgsrc; add 1 to print them.
import type { Severity } from '../problem';

export interface LogProblem {
  severity: Severity;
  message: string;
  /** Code of the matcher that found it, e.g. `compiler-error`. */
  code: string;
  /** 0-based line of the log where the problem starts. */
  logLine: number;
  /** 0-based last line when the message spans several lines (continuations, cascades). */
  logEndLine: number;
  /** Source file named by the message, as printed (compiler paths are relative to WRKSRC). */
  file?: string;
  /** 0-based line in `file`. */
  line?: number;
  /** 0-based column in `file`. */
  column?: number;
  /** How many identical messages were merged into this one (e.g. one fetch failure per mirror). */
  count?: number;
  /** Details some matchers extract, for diagnostics that point at a Makefile line. */
  data?: ProblemData;
}

export interface ProblemData {
  /** A dependency pattern, e.g. `perl>=5.10`. */
  pattern?: string;
  /** A package location (PKGPATH), e.g. `lang/perl5`. */
  pkgpath?: string;
  pkgname?: string;
  distfile?: string;
  algorithm?: string;
  exitCode?: number;
  /** Directory make stopped in. */
  dir?: string;
  /** Makefile target that failed. */
  target?: string;
}

/** A section of a log between two phase banners (`===> Configuring for foo-1.0`). */
export interface LogSection {
  /** Banner text without `===> `, or `(start)` for lines before the first banner. */
  title: string;
  /** 0-based first line (the banner line itself). */
  startLine: number;
  /** 0-based last line, inclusive. */
  endLine: number;
  /** The package the banner names. */
  pkgname?: string;
}
