// What pbulk-resolve says on stderr, as data: the exact text (for meta/presolve-err.log and
// for diffing against pbulk), plus where it comes from so editors can point at the record.
import { range, type Problem, type Severity } from '../problem';
import type { ScanRecord } from '../scan/record';

export type ResolveCode =
  /** -v: the best match is not at the location the dependency names. */
  | 'best-match-differs'
  /** -vv: more than one record matches. */
  | 'multiple-matches'
  /** No record matches a dependency (global and partial modes). */
  | 'no-match'
  /** An ALL_DEPENDS item not of the form pattern:../../location. */
  | 'incorrect-dependency'
  /** Fatal: a record without ALL_DEPENDS. */
  | 'no-all-depends'
  /** Fatal: a pattern pkg_install cannot use (unbalanced braces). */
  | 'bad-pattern'
  /** Fatal: a record pbulk-resolve cannot read (bad PKGNAME, no PKG_LOCATION). */
  | 'invalid-input';

export interface ResolveMessage {
  code: ResolveCode;
  severity: Severity;
  /** pbulk-resolve's text, without the `pbulk-resolve: ` prefix. */
  message: string;
  /** Set for messages that stop pbulk-resolve at once. */
  fatal?: boolean;
  /** The package whose dependencies were being resolved. */
  pkgname?: string;
  pattern?: string;
  /** The location the dependency names (without ../../). */
  location?: string;
  /** Our explanation where pbulk's words say little ("Invalid input"). */
  detail?: string;
  /** The record concerned, and where in it (0-based line, columns), when known. */
  record?: ScanRecord;
  at?: { line: number; start: number; end: number };
}

/** The stderr line pbulk-resolve prints for a message. */
export function messageLine(m: ResolveMessage): string {
  return `pbulk-resolve: ${m.message}`;
}

/** A message as a located problem in the file the records came from. */
export function messageProblem(m: ResolveMessage, file: string): Problem {
  const r = m.at ? range(m.at.line, m.at.start, m.at.line, m.at.end) : range(m.record?.line ?? 0, 0);
  const message = m.detail ? `${m.message}: ${m.detail}` : m.message;
  return { file, range: r, severity: m.severity, message, code: m.code };
}
