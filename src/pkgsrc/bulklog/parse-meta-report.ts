// meta/report as create-report writes it: each presolve record followed by PKG_DEPTH= and
// BUILD_STATUS= (older pbulk also RESTRICTED_SUBSET=). The machine-readable report, and the
// only file a bulklog copied from elsewhere may have (report.bz2 unpacked).
import type { Problem } from '../problem';
import { lineProblem } from './located';
import { parseRecords, type BulkRecord } from './records';
import { isBuildState, type BuildState } from './states';

export interface MetaReportEntry {
  record: BulkRecord;
  /** PKG_DEPTH=; undefined when missing or not a number. */
  depth?: number;
  /** BUILD_STATUS=; undefined when missing or not a known state. */
  state?: BuildState;
}

export function parseMetaReport(text: string, file: string): { entries: MetaReportEntry[]; problems: Problem[] } {
  const { records, problems } = parseRecords(text, file, 'presolve');
  const entries = records.map((record) => {
    const e: MetaReportEntry = { record };
    const d = record.values.get('PKG_DEPTH');
    if (d !== undefined && /^\d+$/.test(d)) e.depth = Number(d);
    else problems.push(lineProblem(file, record.line, 'warning', 'bad-depth', `record of ${record.pkgname} has no valid PKG_DEPTH= line`, record.lines[0]));
    const s = record.values.get('BUILD_STATUS');
    if (s !== undefined && isBuildState(s)) e.state = s;
    else problems.push(lineProblem(file, record.line, 'warning', 'bad-state', `record of ${record.pkgname} has no valid BUILD_STATUS= line`, record.lines[0]));
    return e;
  });
  return { entries, problems };
}
