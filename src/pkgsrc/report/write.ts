// Regenerates pbulk's report files in a bulklog's meta directory from what the bulklog holds.
import { join } from 'node:path';
import { writeFileAtomic, type Bulklog } from '../bulklog';
import { formatReportDot } from './dot';
import { formatReportHtml } from './html';
import { formatMetaReport } from './format-meta-report';
import { reportInput } from './model';
import { formatReportTxt } from './txt';

export interface WrittenReports {
  report?: string;
  txt: string;
  html: string;
  dot: string;
}

/**
 * Writes meta/report (when records are known), report.txt, report.html and report.dot,
 * each replaced atomically. Returns the paths written.
 */
export async function writeReports(b: Bulklog): Promise<WrittenReports> {
  const input = reportInput(b);
  const meta = (n: string) => join(b.metaDir, n);
  const out: WrittenReports = { txt: meta('report.txt'), html: meta('report.html'), dot: meta('report.dot') };
  const report = formatMetaReport(input);
  // Never replace a meta/report with nothing: it may be the only copy of the records.
  if (report !== '' && b.sources.records !== 'report') {
    await writeFileAtomic(meta('report'), report);
    out.report = meta('report');
  }
  await writeFileAtomic(out.txt, formatReportTxt(input));
  await writeFileAtomic(out.html, formatReportHtml(input));
  await writeFileAtomic(out.dot, formatReportDot(input));
  return out;
}
