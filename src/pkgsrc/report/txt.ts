// report.txt in pbulk's layout (create-report-txt): header, totals of the five classes, the
// ten locations breaking the most packages, then every location with a failed package.
import { FINAL_STATES, PBULK_LABELS, PBULK_REPORT_ORDER, State, type FinalState } from '../states';
import { breaksOf, byteCompare, compareBreaksDesc, type ReportInput, type ReportPackage } from './model';

/** printf "% 6d": a sign column (space for positive), right-aligned to 6. */
function spaceInt(n: number): string {
  return (n < 0 ? String(n) : ` ${n}`).padStart(6);
}

function row(name: string, breaks: number, maintainer: string, nameWidth: number): string {
  // pbulk: "%- 37s % 6d %s" with breaks, "%- 44s %s" without (37 + 1 + 6 = 44).
  return breaks === 0 ? `${name.padEnd(nameWidth + 7)} ${maintainer}` : `${name.padEnd(nameWidth)} ${spaceInt(breaks)} ${maintainer}`;
}

interface LocationInfo {
  status: 'failed' | 'mixed' | 'ignore';
  breaks: number;
  /** The failed package whose maintainer the row shows (the last one seen, as pbulk). */
  pkg?: ReportPackage;
  failed: ReportPackage[];
}

function locations(packages: ReportPackage[]): Map<string, LocationInfo> {
  const locs = new Map<string, LocationInfo>();
  for (const p of packages) {
    let l = locs.get(p.location);
    if (!l) {
      l = { status: p.state === State.Failed ? 'failed' : 'ignore', breaks: 0, failed: [] };
      locs.set(p.location, l);
    } else if ((p.state === State.Failed) !== (l.status === 'failed') || l.status === 'mixed') {
      l.status = 'mixed';
    }
    if (p.state === State.Failed) {
      l.breaks += breaksOf(p);
      l.pkg = p;
      l.failed.push(p);
    }
  }
  return locs;
}

export function formatReportTxt(input: ReportInput): string {
  const s = input.status;
  const counts = Object.fromEntries(FINAL_STATES.map((k) => [k, 0])) as Record<FinalState, number>;
  for (const p of input.packages) if (p.state in counts) counts[p.state as FinalState]++;
  const all = FINAL_STATES.reduce((a, k) => a + counts[k], 0);
  const base = `${s.baseUrl ?? ''}/${s.buildStartDir ?? ''}`;
  const num = (label: string, n: number) => `${label.padEnd(31)}${String(n).padStart(5)}`;
  const out: string[] = [
    'pkgsrc bulk build report',
    '========================',
    '',
    s.platform ?? '',
    `Compiler: ${s.compiler ?? ''}`,
    '',
    `Build start: ${s.buildStartIso ?? ''}`,
    `Build end:   ${s.buildEndIso ?? ''}`,
    '',
    `Full report: ${base}/meta/report.html`,
    `Machine readable version: ${base}/meta/report.bz2`,
    '',
    num('Total number of packages:', all),
    ...PBULK_REPORT_ORDER.map((k) => num(`  ${PBULK_LABELS[k]}:`, counts[k])),
    '',
  ];
  const locs = locations(input.packages);
  const header = ['Package                               Breaks Maintainer', '-'.repeat(73)];
  const top = [...locs]
    .filter(([, l]) => l.breaks !== 0)
    .map(([loc, l]) => ({ n: l.breaks, key: `${l.breaks} ${loc}`, loc, l }))
    .sort(compareBreaksDesc)
    .slice(0, 10);
  if (top.length > 0) {
    out.push('Packages breaking the most other packages', '', ...header);
    for (const t of top) out.push(row(t.loc, t.l.breaks, t.l.pkg?.maintainer ?? '', 37));
    out.push('');
  }
  out.push('Build failures', '', ...header);
  for (const loc of [...locs.keys()].sort(byteCompare)) {
    const l = locs.get(loc)!;
    if (l.status === 'ignore') continue;
    out.push(row(loc, l.breaks, l.pkg?.maintainer ?? '', 37));
    if (l.status !== 'mixed') continue;
    // pbulk lists the failed variants in awk hash order; we list them by name.
    for (const p of [...l.failed].sort((a, b) => byteCompare(a.pkgname, b.pkgname))) {
      out.push(`    ${row(p.pkgname, breaksOf(p), p.maintainer, 33)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
