// Parser for `bmake pbulk-index` output, meta/pscan and meta/presolve. Records are split at
// every line that starts with `PKGNAME=` (there are no separators), like pbulk's
// pbulk_item_end. Nothing here throws: garbage, NUL bytes, a missing final newline or
// a broken record become problems with a line and columns, and whatever can be recognised
// is still returned. A record's `text` is the exact source, so formatting the records of a
// clean file gives the file back byte for byte.
import type { Problem } from '../problem';
import type { ScanField, ScanRecord } from './record';
import { problemSink, validateRecord, type ScanFormat } from './validate';

export type { ScanFormat } from './validate';

export interface ParseScanOptions {
  /** Path or label used in problems. */
  file?: string;
  /** What the text is: raw pbulk-index output, meta/pscan (default) or meta/presolve. */
  format?: ScanFormat;
  /** Problems listed at most (the rest are counted in a final one); default 1000. */
  maxProblems?: number;
}

export interface ScanParse {
  records: ScanRecord[];
  problems: Problem[];
  /** Number of error problems, including those not listed. Zero means pbulk accepts the file. */
  errors: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseScan(text: string, opts: ParseScanOptions = {}): ScanParse {
  const file = opts.file ?? '<input>';
  const format = opts.format ?? 'pscan';
  // Line start offsets, so problems can be clipped to their line.
  const starts: number[] = [];
  const sink = problemSink(
    file,
    (l) => {
      const s = starts[l];
      if (s === undefined) return 0;
      const e = text.indexOf('\n', s);
      return (e < 0 ? text.length : e) - s;
    },
    opts.maxProblems ?? 1000,
  );
  const { report } = sink;
  const records: ScanRecord[] = [];
  const hasNul = text.includes('\0');
  let cur: { rec: ScanRecord; start: number } | undefined;
  let garbage = false;
  let crlf = false;

  const close = (end: number): void => {
    if (!cur) return;
    cur.rec.text = text.slice(cur.start, end);
    validateRecord(cur.rec, format, report);
    records.push(cur.rec);
    cur = undefined;
  };

  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    starts.push(pos);
    let nl = text.indexOf('\n', pos);
    const last = nl < 0;
    if (last) nl = text.length;
    const l = text.slice(pos, nl);
    if (last) report('error', 'no-final-newline', 'the last line has no newline (the file is cut short)', line, 0, l.length);
    if (hasNul) {
      const z = l.indexOf('\0');
      if (z >= 0) report('error', 'nul-byte', 'NUL byte in scan output', line, z, z + 1);
    }
    if (!crlf && l.endsWith('\r')) {
      crlf = true;
      report('warning', 'crlf', 'line ends in CR LF; the CR becomes part of the value', line, l.length - 1, l.length);
    }

    if (l.startsWith('PKGNAME=')) {
      close(pos);
      const pkgname = l.slice(8);
      cur = {
        rec: { pkgname, location: undefined, text: '', line, fields: [{ key: 'PKGNAME', value: pkgname, line }] },
        start: pos,
      };
      garbage = false;
    } else if (!cur) {
      if (!garbage) {
        report('error', 'no-record', 'text before the first PKGNAME= line: not scan output', line);
        garbage = true;
      }
    } else {
      const eq = l.indexOf('=');
      const key = eq < 0 ? '' : l.slice(0, eq);
      if (l === '') {
        report('warning', 'empty-line', `empty line in the record of ${cur.rec.pkgname}`, line);
      } else if (eq < 0 || !KEY.test(key)) {
        report('error', 'not-key-value', `not a KEY=value line (in the record of ${cur.rec.pkgname})`, line);
      } else {
        const f: ScanField = { key, value: l.slice(eq + 1), line };
        cur.rec.fields.push(f);
        if (key === 'PKG_LOCATION' && cur.rec.location === undefined) cur.rec.location = f.value;
      }
    }
    pos = nl + 1;
    line++;
  }
  close(text.length);

  const firstSeen = new Map<string, number>();
  for (const r of records) {
    const prev = firstSeen.get(r.pkgname);
    if (prev === undefined) firstSeen.set(r.pkgname, r.line);
    else report('warning', 'duplicate-package', `Duplicate package: ${r.pkgname} (first at line ${prev + 1})`, r.line, 8);
  }
  const { problems, errors } = sink.finish();
  return { records, problems, errors };
}
