// Records of meta/presolve, meta/pscan and meta/report, read with the scan record parser
// (src/pkgsrc/scan) and reduced to what the bulklog needs: names, values by key and the raw
// lines (to write meta/report back unchanged).
import type { Problem } from '../problem';
import { parseScan, type ScanFormat } from '../scan';

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

/** Parses a record file; `format` selects the checks (meta/report is read as presolve). */
export function parseRecords(text: string, file: string, format: ScanFormat = 'presolve'): RecordFile {
  const parsed = parseScan(text, { file, format });
  const records: BulkRecord[] = [];
  for (const r of parsed.records) {
    if (r.pkgname === '' || /\s/.test(r.pkgname)) continue;
    const values = new Map<string, string>();
    for (const f of r.fields) if (!values.has(f.key)) values.set(f.key, f.value);
    const lines = r.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    records.push({ pkgname: r.pkgname, line: r.line, lines: lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), values });
  }
  return { records, problems: parsed.problems };
}

/** DEPENDS= names (resolved PKGNAMEs), or undefined when the record has no DEPENDS= line. */
export function recordDepends(rec: BulkRecord): string[] | undefined {
  const v = rec.values.get('DEPENDS');
  if (v === undefined) return undefined;
  return v.split(/[ \t]+/).filter((s) => s !== '');
}

/** What the state computation and the scheduler need of a presolve record. */
export function recordForStates(rec: BulkRecord): {
  pkgname: string;
  depends: string[] | undefined;
  skipReason: string | undefined;
  failReason: string | undefined;
  location: string | undefined;
} {
  return {
    pkgname: rec.pkgname,
    depends: recordDepends(rec),
    skipReason: rec.values.get('PKG_SKIP_REASON'),
    failReason: rec.values.get('PKG_FAIL_REASON'),
    location: rec.values.get('PKG_LOCATION'),
  };
}
