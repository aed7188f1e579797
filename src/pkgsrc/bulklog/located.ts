// Small helpers to build located problems for the bulklog readers.
import { range, type Problem, type Severity } from '../problem';

export function lineProblem(file: string, line: number, severity: Severity, code: string, message: string, lineText = ''): Problem {
  return { file, range: range(line, 0, line, lineText.length), severity, code, message };
}

/** A problem about a whole file (no better position known): line 1, column 1. */
export function fileProblem(file: string, severity: Severity, code: string, message: string): Problem {
  return { file, range: range(0, 0), severity, code, message };
}

/** Text lines of a file, plus whether its last line lacked a newline (a torn write). */
export function fileLines(text: string): { lines: string[]; tornLast: boolean } {
  if (text === '') return { lines: [], tornLast: false };
  const lines = text.split('\n');
  const tornLast = lines[lines.length - 1] !== '';
  if (!tornLast) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return { lines, tornLast };
}
