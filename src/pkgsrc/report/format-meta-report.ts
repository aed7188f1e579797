// meta/report, as create-report writes it: every presolve record, then PKG_DEPTH= and
// BUILD_STATUS= from meta/pbuild. pbulk writes the records in awk hash order; we keep presolve
// order, so the file equals pbulk's as a set of records.
import type { ReportInput } from './model';

export function formatMetaReport(input: ReportInput): string {
  const out: string[] = [];
  for (const p of input.packages) {
    if (p.recordLines.length === 0) continue;
    out.push(...p.recordLines, `PKG_DEPTH=${p.depth ?? ''}`, `BUILD_STATUS=${p.state}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
