// The report writers against pbulk's own report files of the real 2013Q1 bulklog, plus the
// layouts the real data does not exercise (mixed multi-version locations, ties, no failures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { readBulklog, BUILD_STATES, PHASES } from '../../src/pkgsrc/bulklog';
import {
  buildSummary,
  formatMetaReport,
  formatReportDot,
  formatReportHtml,
  formatReportTxt,
  formatSummaryText,
  renderFailReason,
  reportInput,
  withFirstErrors,
  type ReportInput,
  type ReportPackage,
} from '../../src/pkgsrc/report';
import { pbulkOutput } from '../fixtures/reference-data';

const REAL = pbulkOutput.limitedBulklog;
const real = (f: string) => readFile(join(REAL, 'meta', f), 'utf8');

test('report.txt is byte-identical to pbulk 0.51', async () => {
  const b = await readBulklog(REAL);
  assert.equal(formatReportTxt(reportInput(b)), await real('report.txt'));
});

test("report.dot has exactly pbulk's lines (pbulk writes them in awk hash order)", async () => {
  const ours = formatReportDot(reportInput(await readBulklog(REAL))).split('\n');
  const theirs = (await real('report.dot')).split('\n');
  assert.equal(ours[0], theirs[0]);
  assert.equal(ours.at(-2), '}');
  assert.deepEqual([...ours].sort(), [...theirs].sort());
});

test("meta/report holds the same records as pbulk's (records in presolve order instead of awk hash order)", async () => {
  const split = (t: string) => t.split(/(?=^PKGNAME=)/m).sort();
  const ours = formatMetaReport(reportInput(await readBulklog(REAL)));
  assert.deepEqual(split(ours), split(await real('report')));
});

test('report.html equals pbulk\'s except the order and spacing of the "Failed:" culprit lists', async () => {
  const b = await readBulklog(REAL);
  const ours = formatReportHtml(reportInput(b)).split('\n');
  const theirs = (await real('report.html')).split('\n');
  assert.equal(ours.length, theirs.length);
  const failedRow = /^<td>&nbsp;<\/td><td colspan="13"> Failed: (.*)<\/td>$/;
  let rows = 0;
  for (let i = 0; i < ours.length; i++) {
    const a = failedRow.exec(ours[i]!);
    const t = failedRow.exec(theirs[i]!);
    if (!t) {
      assert.equal(ours[i], theirs[i], `line ${i + 1}`);
      continue;
    }
    rows++;
    assert.ok(a, `line ${i + 1}: ${ours[i]}`);
    const words = (s: string) => s.split(/\s+/).filter((w) => w !== '');
    const mine = words(a[1]!);
    const pbulks = words(t[1]!);
    // pbulk names at most 9 entries (counting an empty one) in hash order, then "...".
    assert.equal(mine.includes('...'), pbulks.includes('...'), `line ${i + 1}`);
    if (!pbulks.includes('...')) assert.deepEqual([...mine].sort(), [...pbulks].sort(), `line ${i + 1}`);
    else
      for (const w of pbulks)
        if (w !== '...')
          assert.ok(
            b.packages.some((p) => p.culprits?.includes(w)),
            w,
          );
  }
  assert.equal(rows, 29);
});

test('PKG_FAIL_REASON renders as pbulk does, including its dropped last character', () => {
  assert.equal(
    renderFailReason(`"SmartEiffel-2.0nb1 is marked as broken:" Infinite\\ loop\\ in\\ the\\ installer`),
    'SmartEiffel-2.0nb1 is marked as broken:<br />Infinite loop in the installe',
  );
  // An escape ending the value is still written: only a plain last character is dropped.
  assert.equal(renderFailReason(`"a" "b \\"c\\"" \\<x\\> \\& y\\n`), 'a<br />b "c"<br />&lt;x&gt;<br />&amp;<br />y ');
  assert.equal(renderFailReason(''), '');
});

function pkg(p: Partial<ReportPackage> & { pkgname: string }): ReportPackage {
  return { location: 'cat/x', maintainer: 'm@example.org', state: 'done', depends: [], failReason: '', phases: [], culprits: [], recordLines: [], ...p };
}

const status = {
  platform: 'NetBSD 10.0/amd64',
  compiler: 'gcc',
  buildStartIso: '2026-01-01 10:00',
  buildStartDir: '20260101.1000',
  baseUrl: 'http://r',
  buildEndIso: '2026-01-01 12:00',
  entries: [],
};

test('report.txt: a location with failed and built variants is "mixed" and lists its failed PKGNAMEs; breaks sum per location', () => {
  const input: ReportInput = {
    status,
    packages: [
      pkg({ pkgname: 'py27-foo-1.0', location: 'devel/py-foo', state: 'failed', depth: 4 }),
      pkg({ pkgname: 'py26-foo-1.0', location: 'devel/py-foo', state: 'done', depth: 2 }),
      pkg({ pkgname: 'py33-foo-1.0', location: 'devel/py-foo', state: 'failed', depth: 1, maintainer: 'v@example.org' }),
      pkg({ pkgname: 'bar-2.0', location: 'misc/bar', state: 'failed', depth: 1, maintainer: 'b@example.org' }),
      pkg({ pkgname: 'baz-1', location: 'misc/baz', state: 'failed', depth: 4 }),
    ],
  };
  const txt = formatReportTxt(input);
  assert.match(txt, /Total number of packages:          5\n  Successfully built:              1\n  Failed to build:                 4\n/);
  const failures = txt.slice(txt.indexOf('Build failures'));
  assert.equal(
    failures,
    [
      'Build failures',
      '',
      'Package                               Breaks Maintainer',
      '-'.repeat(73),
      'devel/py-foo                               3 v@example.org',
      '    py27-foo-1.0                           3 m@example.org',
      '    py33-foo-1.0                             v@example.org',
      'misc/bar                                     b@example.org',
      'misc/baz                                   3 m@example.org',
      '',
    ].join('\n'),
  );
  // Ties in the top list: sort -rn puts the later location first.
  const top = txt.slice(txt.indexOf('Packages breaking'), txt.indexOf('Build failures'));
  assert.ok(top.indexOf('misc/baz') < top.indexOf('devel/py-foo'), top);
});

test('report.txt and report.html without any failure have no top list', () => {
  const input: ReportInput = { status, packages: [pkg({ pkgname: 'a-1', depth: 3 })] };
  assert.doesNotMatch(formatReportTxt(input), /Packages breaking/);
  assert.doesNotMatch(formatReportHtml(input), /causing the most breakage/);
  assert.equal(formatReportDot(input), 'digraph "Broken packages" {\n}\n');
});

test('the summary lists failures with their failing phase and log, culprits and reasons', async () => {
  const b = await readBulklog(REAL);
  const s = buildSummary(b);
  assert.equal(s.total, 63);
  assert.equal(s.failed.length, 17);
  assert.deepEqual(
    s.topBreakers.slice(0, 3).map((p) => [p.pkgname, p.breaks]),
    [
      ['f2c-20100903', 30],
      ['pax-20080110nb2', 15],
      ['xproto-7.0.23nb2', 11],
    ],
  );
  const pax = s.failed.find((f) => f.pkgname === 'pax-20080110nb2')!;
  assert.equal(pax.phase, 'build');
  assert.equal(pax.log, join(REAL, 'pax-20080110nb2/build.log'));
  assert.equal(pax.logs.length, 5);
  assert.deepEqual(
    s.prefailed.map((p) => p.pkgname),
    ['SmartEiffel-2.0nb1', 'snobol-1.3', 'x11-links-0.73', 'user-20101223'],
  );
  assert.equal(s.indirectFailed.length, 29);
  assert.equal(s.indirectPrefailed[0]!.pkgname, 'egtk-0.3.4nb7');
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  assert.deepEqual(s.indirectPrefailed[0]!.culprits, ['SmartEiffel-2.0nb1']);
  const text = formatSummaryText(s);
  assert.match(text, /^63 packages: 12 built, 17 failed, 4 broken, 29 depending on failed, 1 depending on broken$/m);
  // The broken and the dependent packages are named too, with why.
  assert.match(text, /\nBroken:\n(  .*\n)*  lang\/snobol +snobol-1\.3: snobol-1\.3 is marked as broken: Distfile doesn't match\n/);
  assert.match(text, /\nDepending on failed:\n(  .*\n)*  devel\/p5-perl-headers +p5-perl-headers-6\.18\.44nb7: because of pax-20080110nb2, perl-5\.16\.2nb4\n/);
  assert.match(text, /\nDepending on broken:\n  \S+ +egtk-0\.3\.4nb7: because of SmartEiffel-2\.0nb1\n/);
  assert.match(text, /  \.\.\. and 4 more\n/, 'at most 25 per section');
  await withFirstErrors(s);
  assert.deepEqual(pax.firstError, { line: 101, message: "undefined reference to `minor'", code: 'linker-error' });
  assert.equal(s.failed.find((f) => f.pkgname === 'f2c-20100903')!.firstError!.code, 'fetch-failed');
  assert.match(formatSummaryText(s), /build\.log:102: undefined reference to `minor'/);
});

const packageArb = fc.record({
  pkgname: fc.string({ minLength: 1, maxLength: 12 }),
  location: fc.string({ maxLength: 12 }),
  maintainer: fc.string({ maxLength: 12 }),
  state: fc.constantFrom(...BUILD_STATES),
  depth: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
  depends: fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  failReason: fc.string({ maxLength: 40 }),
  phases: fc.subarray([...PHASES]),
  culprits: fc.array(fc.string({ maxLength: 8 }), { maxLength: 12 }),
  recordLines: fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
});

test('property: the report writers never throw on arbitrary package data', () => {
  fc.assert(
    fc.property(fc.array(packageArb, { maxLength: 30 }), (packages) => {
      const input: ReportInput = { status: { entries: [] }, packages: packages.map((p) => (p.depth === undefined ? (({ depth: _d, ...r }) => r)(p) : p)) };
      for (const out of [formatReportTxt(input), formatReportHtml(input), formatReportDot(input), formatMetaReport(input)]) {
        assert.equal(typeof out, 'string');
      }
    }),
    { numRuns: 300 },
  );
});
