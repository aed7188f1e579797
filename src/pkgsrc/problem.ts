// Shared shape of everything that can go wrong in a file we read: a Makefile, a pbulk.conf, a
// limited_list, a scan record, a log. Positions are 0-based (line, UTF-16 column) so they map
// onto LSP and VS Code ranges unchanged; the CLI prints them 1-based.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Problem {
  /** Absolute path, or a label such as `<stdin>` when the text has no file. */
  file: string;
  range: Range;
  severity: Severity;
  message: string;
  /** Stable identifier of the check, e.g. `unknown-variable`. */
  code: string;
}

export function range(line: number, startChar: number, endLine: number = line, endChar: number = startChar): Range {
  return { start: { line, character: startChar }, end: { line: endLine, character: endChar } };
}

/** `file:line:col: severity: message [code]`, 1-based, as compilers print it. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message} [${p.code}]`;
}
