// pkg_summary text from records: each field as `KEY=value`, each record followed by one empty
// line, as pkg_info -X writes them one after the other.
import type { SummaryRecord } from './record';

export function formatSummaryRecord(r: SummaryRecord): string {
  return r.fields.map((f) => `${f.key}=${f.value}\n`).join('') + '\n';
}

export function formatPkgSummary(records: readonly SummaryRecord[]): string {
  return records.map(formatSummaryRecord).join('');
}
