// report.html in pbulk's layout (create-report-html): summary table, the ten failed packages
// breaking the most, then every unsuccessful package sorted by location and name, each row
// linking the phase logs that exist. Like pbulk, values are written as they are (no escaping).
import { PHASES } from '../bulklog';
import { FINAL_STATES, PBULK_HTML_LABELS, PBULK_REPORT_ORDER, State } from '../states';
import { breaksOf, byteCompare, compareBreaksDesc, type ReportInput, type ReportPackage } from './model';

const TABLE_HEAD = [
  '    <table>',
  '      <tr>',
  '        <th> Location </th>',
  '        <th> Package </th>',
  '        <th> Breaks </th>',
  '        <th> Maintainer </th>',
  '        <th> Status </th>',
  '        <th colspan="9"> Build log </th>',
  '      </tr>',
];

/** Most culprits pbulk names in a "Failed:" row before it writes "...". */
const MAX_CULPRITS = 9;

function packageRows(p: ReportPackage, out: string[]): void {
  const failed = p.state === State.Failed;
  const has = new Set(failed ? p.phases : []);
  let last: string | undefined;
  for (const ph of PHASES) if (has.has(ph)) last = `${ph}.log`;
  out.push(`<tr class="${p.state}">`);
  out.push(last ? `<td><a href="../${p.pkgname}/${last}"> ${p.location}</a></td>` : `<td>${p.location}</td>`);
  out.push(`<td>${p.pkgname}</td>`);
  const breaks = breaksOf(p);
  out.push(breaks === 0 ? '<td>&nbsp;</td>' : `<td>${breaks}</td>`);
  out.push(`<td>${p.maintainer}</td>`);
  out.push(`<td>${p.state}</td>`);
  for (const ph of PHASES) out.push(has.has(ph) ? `<td><a href="../${p.pkgname}/${ph}.log">${ph}</a></td>` : '<td>&nbsp;</td>');
  out.push('</tr>');
  if (p.state === State.DependsOnFailed) {
    // pbulk lists the culprits in awk hash order; we list them sorted.
    const shown = p.culprits
      .slice(0, MAX_CULPRITS)
      .map((c) => ` ${c}`)
      .join('');
    const more = p.culprits.length > MAX_CULPRITS ? ' ...' : '';
    out.push(`<tr class="${p.state}">`, `<td>&nbsp;</td><td colspan="13"> Failed: ${shown}${more}</td>`, '</tr>');
  }
  if (p.state === State.Broken) {
    out.push(`<tr class="${p.state}">`, `<td>&nbsp;</td><td colspan="13">${renderFailReason(p.failReason)}`, '</td>', '</tr>');
  }
}

/**
 * PKG_FAIL_REASON as pbulk renders it: quotes dropped, each unquoted run of blanks becomes
 * `<br />`, `\<` `\>` `\&` become entities, `\n` `\t` a blank, other escapes the character.
 * pbulk's loop stops one character early, so the last character (normally the closing quote)
 * is never written; kept for identical output.
 */
export function renderFailReason(reason: string): string {
  let out = '';
  let inQuote = false;
  let inSep = false;
  for (let i = 0; i < reason.length - 1; i++) {
    const c = reason[i]!;
    if (c === '"') {
      inQuote = !inQuote;
      continue;
    }
    if (!inQuote && c === ' ') {
      if (!inSep) out += '<br />';
      inSep = true;
      continue;
    }
    inSep = false;
    if (c === '\\') {
      const e = reason[++i] ?? '';
      out += e === 'n' || e === 't' ? ' ' : e === '<' ? '&lt;' : e === '>' ? '&gt;' : e === '&' ? '&amp;' : e;
      continue;
    }
    out += c;
  }
  return out;
}

export function formatReportHtml(input: ReportInput): string {
  const s = input.status;
  const platform = s.platform ?? '';
  const start = s.buildStartIso ?? '';
  const count = (k: string) => input.packages.filter((p) => p.state === k).length;
  const all = FINAL_STATES.reduce((a, k) => a + count(k), 0);
  const out: string[] = [
    '<html>',
    '  <head>',
    `    <title> pkgsrc bulk build for ${platform} from ${start}</title>`,
    '  </head>',
    '  <body>',
    `    <h1> pkgsrc bulk build for ${platform}</h1>`,
    `    <h2> Build start: ${start}</h2>`,
    `    <h2> Build end: ${s.buildEndIso ?? ''}</h2>`,
    '    <hr />',
    '    <table>',
    `      <tr><td>Total number of packages:</td><td>${all}</td></tr>`,
    ...PBULK_REPORT_ORDER.map((k) => `      <tr><td>${PBULK_HTML_LABELS[k]}:</td><td>${count(k)}</td></tr>`),
    '    </table>',
    '    <hr />',
  ];
  const top = input.packages
    .filter((p) => p.state === State.Failed && breaksOf(p) !== 0)
    .map((p) => ({ n: breaksOf(p), key: `${breaksOf(p)} ${p.pkgname}`, p }))
    .sort(compareBreaksDesc)
    .slice(0, 10);
  if (top.length > 0) {
    out.push('    <h2>Packages causing the most breakage</h2>', ...TABLE_HEAD);
    for (const t of top) packageRows(t.p, out);
    out.push('    </table>', '    <hr />');
  }
  out.push('    <h2> All unsuccessful builds </h2>', ...TABLE_HEAD);
  const sorted = input.packages.map((p) => ({ key: `${p.location} ${p.pkgname}`, p })).sort((a, b) => byteCompare(a.key, b.key));
  for (const { p } of sorted) if (p.state !== State.Built) packageRows(p, out);
  out.push('    </table>', '  </body>', '</html>');
  return `${out.join('\n')}\n`;
}
