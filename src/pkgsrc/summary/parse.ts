// Reader of pkg_summary files (the uncompressed text of pkg_summary.gz/.bz2). Lenient as
// pkgin is: unknown variables are kept, several empty lines between records are one
// separator. Nothing throws: a line that is no VARIABLE=VALUE, a record without PKGNAME, a
// single-valued variable given twice, a multi-line variable split by others, a missing
// required variable, a duplicate package, NUL bytes or CR LF line ends become problems with
// their line, and every record that can be recognised is still returned.
import { range, type Problem, type Severity } from '../problem';
import { MULTI_LINE, REQUIRED, type SummaryRecord } from './record';

export interface ParseSummaryOptions {
  /** Path or label used in problems. */
  file?: string;
  /** Report missing required variables (default true). */
  checkRequired?: boolean;
  /** Problems listed at most (the rest are counted in a final one); default 1000. */
  maxProblems?: number;
}

export interface SummaryParse {
  records: SummaryRecord[];
  problems: Problem[];
  /** Number of error problems, including those not listed. */
  errors: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parsePkgSummary(text: string, opts: ParseSummaryOptions = {}): SummaryParse {
  const file = opts.file ?? '<pkg_summary>';
  const max = opts.maxProblems ?? 1000;
  const problems: Problem[] = [];
  let errors = 0;
  let omitted = 0;
  const lines = text.split('\n');
  // A final newline ends the last line; it does not start another.
  const tornLast = lines.length > 0 && lines[lines.length - 1] !== '';
  if (!tornLast) lines.pop();
  const report = (severity: Severity, code: string, message: string, line: number, start = 0, end?: number): void => {
    if (severity === 'error') errors++;
    if (problems.length >= max) {
      omitted++;
      return;
    }
    const len = (lines[line] ?? '').length;
    const s = Math.min(start, len);
    problems.push({ file, range: range(line, s, line, Math.max(s, Math.min(end ?? len, len))), severity, code, message });
  };

  const records: SummaryRecord[] = [];
  let cur: SummaryRecord | undefined;
  let crlf = false;
  const close = (): void => {
    if (!cur) return;
    const r = cur;
    cur = undefined;
    records.push(r);
    if (r.pkgname === '') {
      if (!r.fields.some((f) => f.key === 'PKGNAME')) report('error', 'no-pkgname', 'record without a PKGNAME= line', r.line);
      return;
    }
    const seen = new Map<string, number>();
    let prevKey = '';
    for (const f of r.fields) {
      const at = seen.get(f.key);
      if (at !== undefined) {
        if (!MULTI_LINE.has(f.key))
          report(
            'warning',
            'repeated-variable',
            `${f.key} given again in the record of ${r.pkgname} (first at line ${at + 1}); readers take the first`,
            f.line,
            0,
            f.key.length,
          );
        else if (prevKey !== f.key)
          report('warning', 'split-variable', `${f.key} lines of ${r.pkgname} are not consecutive (first at line ${at + 1})`, f.line, 0, f.key.length);
      } else {
        seen.set(f.key, f.line);
      }
      prevKey = f.key;
    }
    if (opts.checkRequired !== false) {
      const missing = REQUIRED.filter((k) => !seen.has(k));
      if (missing.length > 0)
        report('warning', 'missing-variable', `the record of ${r.pkgname} has no ${missing.join(', ')} (required by pkg_summary(5))`, r.line);
    }
  };

  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    if (l.endsWith('\r')) {
      if (!crlf) report('warning', 'crlf', 'line ends in CR LF; the CR is dropped', i, l.length - 1, l.length);
      crlf = true;
      l = l.slice(0, -1);
    }
    const nul = l.indexOf('\0');
    if (nul >= 0) report('error', 'nul-byte', 'NUL byte in pkg_summary', i, nul, nul + 1);
    if (l === '') {
      close();
      continue;
    }
    const eq = l.indexOf('=');
    const key = eq < 0 ? '' : l.slice(0, eq);
    if (eq < 0 || !KEY.test(key)) {
      report('error', 'not-variable', 'not a VARIABLE=VALUE line', i);
      continue;
    }
    const value = l.slice(eq + 1);
    if (!cur) cur = { pkgname: '', line: i, fields: [] };
    cur.fields.push({ key, value, line: i });
    if (key === 'PKGNAME' && cur.pkgname === '') {
      cur.pkgname = value;
      if (value === '') report('error', 'no-pkgname', 'empty PKGNAME', i);
    }
  }
  if (tornLast) report('warning', 'no-final-newline', 'the last line has no newline (the file is cut short?)', lines.length - 1);
  close();

  const first = new Map<string, number>();
  for (const r of records) {
    if (r.pkgname === '') continue;
    const at = first.get(r.pkgname);
    if (at === undefined) first.set(r.pkgname, r.line);
    else report('warning', 'duplicate-package', `${r.pkgname} is listed again (first at line ${at + 1})`, r.line);
  }
  if (omitted > 0) problems.push({ file, range: range(0, 0), severity: 'information', code: 'more-problems', message: `${omitted} more problems not listed` });
  return { records, problems, errors };
}
