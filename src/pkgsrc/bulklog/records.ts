// Records of meta/presolve, meta/pscan and meta/report as pbulk reads them: `KEY=value` lines,
// a new record at every line that starts with `PKGNAME=`, no separators. Kept minimal on
// purpose: the bulklog only needs names, dependencies, reasons and the raw lines (to write
// meta/report back unchanged).
import type { Problem } from '../problem';
import { fileLines, lineProblem } from './located';

export interface BulkRecord {
  pkgname: string;
  /** 0-based line of the `PKGNAME=` line in its file. */
  line: number;
  /** The record's lines as read, without line terminators. */
  lines: string[];
  /** First value of each key, as pbulk's prefix lookups find it. */
  values: Map<string, string>;
}

export interface RecordFile {
  records: BulkRecord[];
  problems: Problem[];
}

const KEY = /^([A-Za-z_][A-Za-z0-9_]*)=/;

export function parseRecords(text: string, file: string): RecordFile {
  const problems: Problem[] = [];
  const records: BulkRecord[] = [];
  const { lines, tornLast } = fileLines(text);
  let cur: BulkRecord | undefined;
  let skipping = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('PKGNAME=')) {
      const name = l.slice(8);
      if (name === '' || /\s/.test(name)) {
        problems.push(lineProblem(file, i, 'error', 'bad-pkgname', `invalid PKGNAME '${name}': record skipped`, l));
        cur = undefined;
        skipping = true;
        continue;
      }
      cur = { pkgname: name, line: i, lines: [l], values: new Map([['PKGNAME', name]]) };
      records.push(cur);
      skipping = false;
      continue;
    }
    if (!cur) {
      if (!skipping && l !== '') {
        problems.push(lineProblem(file, i, 'warning', 'text-before-record', 'line before the first PKGNAME= line ignored', l));
        skipping = true;
      }
      continue;
    }
    cur.lines.push(l);
    const m = KEY.exec(l);
    if (!m) {
      problems.push(lineProblem(file, i, 'warning', 'bad-record-line', `not a KEY=value line in the record of ${cur.pkgname}`, l));
      continue;
    }
    if (!cur.values.has(m[1]!)) cur.values.set(m[1]!, l.slice(m[0].length));
  }
  if (tornLast && lines.length > 0) {
    problems.push(lineProblem(file, lines.length - 1, 'warning', 'torn-line', 'last line has no newline (interrupted write?)', lines[lines.length - 1]));
  }
  return { records, problems };
}

/** DEPENDS= names (resolved PKGNAMEs), or undefined when the record has no DEPENDS= line. */
export function recordDepends(rec: BulkRecord): string[] | undefined {
  const v = rec.values.get('DEPENDS');
  if (v === undefined) return undefined;
  return v.split(/[ \t]+/).filter((s) => s !== '');
}

export function recordValue(rec: BulkRecord, key: string): string | undefined {
  return rec.values.get(key);
}
