import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Problem } from '../../src/pkgsrc/problem';
import { formatScan } from '../../src/pkgsrc/scan/format';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { categoriesOf, dependsOf, getField, isPrefailed, makeRecord, multiVersionOf, scanDependsOf, weightOf } from '../../src/pkgsrc/scan/record';
import { pbulkOutput } from '../fixtures/reference-data';

const limitedMeta = path.join(pbulkOutput.limitedBulklog, 'meta');

/** Every problem range lies inside the text (0-based lines, columns within the line). */
function assertInside(text: string, problems: readonly Problem[]): void {
  const lines = text.split('\n');
  for (const p of problems) {
    for (const pos of [p.range.start, p.range.end]) {
      assert.ok(pos.line >= 0 && pos.line < Math.max(lines.length, 1), `line ${pos.line} outside: ${p.message}`);
      assert.ok(pos.character >= 0 && pos.character <= (lines[pos.line] ?? '').length, `column ${pos.character} outside line ${pos.line}: ${p.message}`);
    }
    assert.ok(p.range.start.line < p.range.end.line || p.range.start.character <= p.range.end.character);
  }
}

function codes(problems: readonly Problem[]): string[] {
  return problems.map((p) => p.code);
}

const rec = (name: string, extra: string[] = [], loc = 'devel/foo'): string =>
  [
    `PKGNAME=${name}`,
    `PKG_LOCATION=${loc}`,
    'ALL_DEPENDS=',
    'PKG_SKIP_REASON=',
    'PKG_FAIL_REASON=',
    'NO_BIN_ON_FTP=',
    'RESTRICTED=',
    'CATEGORIES=devel',
    'MAINTAINER=pkgsrc-users@NetBSD.org',
    'USE_DESTDIR=user-destdir',
    'BOOTSTRAP_PKG=',
    'USERGROUP_PHASE=',
    'SCAN_DEPENDS=Makefile ../../mk/bsd.pkg.mk',
    ...extra,
  ].join('\n') + '\n';

test('the real presolve and pscan of a limited build parse cleanly and format back byte for byte', () => {
  for (const [file, format] of [
    ['presolve', 'presolve'],
    ['pscan', 'pscan'],
  ] as const) {
    const text = readFileSync(path.join(limitedMeta, file), 'latin1');
    const p = parseScan(text, { file, format });
    assert.deepEqual(p.problems, [], file);
    assert.equal(p.errors, 0);
    assert.equal(formatScan(p.records), text);
  }
  const p = parseScan(readFileSync(path.join(limitedMeta, 'presolve'), 'latin1'), { format: 'presolve' });
  assert.equal(p.records.length, 63);
  const perl = p.records.find((r) => r.pkgname === 'perl-5.16.2nb4')!;
  assert.equal(perl.location, 'lang/perl5');
  assert.ok(dependsOf(perl)!.length > 0);
  assert.ok(scanDependsOf(perl).includes('../../mk/bsd.pkg.mk'));
  assert.deepEqual(categoriesOf(perl), ['lang', 'devel', 'perl5']);
  assert.equal(p.records.filter(isPrefailed).length, 4);
});

test('multi-version records, PBULK_WEIGHT and unknown keys', () => {
  const text = rec('py27-foo-1.0', ['MULTI_VERSION= PYTHON_VERSION_REQD=27 PKG_APACHE=apache22', 'PBULK_WEIGHT=250', 'SOME_FUTURE_KEY=whatever']);
  const p = parseScan(text);
  assert.deepEqual(p.problems, []);
  const r = p.records[0]!;
  assert.deepEqual(multiVersionOf(r), [
    ['PYTHON_VERSION_REQD', '27'],
    ['PKG_APACHE', 'apache22'],
  ]);
  assert.equal(weightOf(r), 250);
  assert.equal(getField(r, 'SOME_FUTURE_KEY'), 'whatever');
  assert.equal(multiVersionOf(parseScan(rec('foo-1')).records[0]!), undefined);
});

test('raw pbulk-index output has no PKG_LOCATION; pscan and presolve need it', () => {
  const index = rec('foo-1.0').replace('PKG_LOCATION=devel/foo\n', '');
  assert.deepEqual(parseScan(index, { format: 'index' }).problems, []);
  const p = parseScan(index, { format: 'pscan', file: 'meta/pscan' });
  assert.deepEqual(codes(p.problems), ['missing-field']);
  assert.equal(p.problems[0]!.message, 'record of foo-1.0 has no PKG_LOCATION line');
  assert.equal(p.problems[0]!.file, 'meta/pscan');
  assert.equal(p.errors, 1);
  assert.deepEqual(codes(parseScan(rec('foo-1.0'), { format: 'index' }).problems), ['unexpected-field']);
});

test('NUL bytes, garbage and a missing final newline are errors at their line', () => {
  const nul = parseScan(rec('foo-1.0').replace('CATEGORIES=devel', 'CATEGORIES=de\0vel'));
  assert.deepEqual(codes(nul.problems), ['nul-byte']);
  assert.deepEqual(nul.problems[0]!.range, { start: { line: 7, character: 13 }, end: { line: 7, character: 14 } });

  const garbage = parseScan("make: don't know how to make pbulk-index\nStop.\n" + rec('foo-1.0'));
  assert.deepEqual(codes(garbage.problems), ['no-record']);
  assert.equal(garbage.problems[0]!.range.start.line, 0);
  assert.equal(garbage.records.length, 1, 'the record after the garbage is still read');

  const cut = rec('foo-1.0').slice(0, -1);
  const p = parseScan(cut);
  assert.deepEqual(codes(p.problems), ['no-final-newline']);
  assert.equal(p.problems[0]!.range.start.line, 12);
  assert.equal(formatScan(p.records), cut);

  assert.deepEqual(parseScan('').records, []);
  assert.deepEqual(parseScan('').problems, []);
});

test('bad PKGNAMEs, lines that are not KEY=value, and missing required lines', () => {
  assert.deepEqual(codes(parseScan(rec('foo 1.0')).problems), ['bad-pkgname']);
  assert.deepEqual(codes(parseScan(rec('f-1')).problems), ['bad-pkgname'], 'too short for pbulk-resolve');
  assert.deepEqual(codes(parseScan(rec('f-1').replace('PKG_LOCATION=devel/foo\n', ''), { format: 'index' }).problems), []);
  assert.deepEqual(codes(parseScan(rec('noversion')).problems), ['bad-pkgname']);
  const junk = parseScan(rec('foo-1.0', ['this is not a field', '=x', '']));
  assert.deepEqual(codes(junk.problems), ['not-key-value', 'not-key-value', 'empty-line']);
  assert.equal(junk.problems[0]!.range.start.line, 13);
  const missing = parseScan('PKGNAME=foo-1.0\nPKG_LOCATION=devel/foo\n');
  assert.equal(missing.problems.filter((p) => p.severity === 'error').length, 3);
  assert.equal(missing.problems.filter((p) => p.severity === 'warning').length, 8);
});

test('strict on known values: dependencies, patterns, USE_DESTDIR, MULTI_VERSION ...', () => {
  const p = parseScan(
    rec('foo-1.0')
      .replace('ALL_DEPENDS=', 'ALL_DEPENDS=  gmake>=3.81:../../devel/gmake foo>=1:devel/foo')
      .replace('USE_DESTDIR=user-destdir', 'USE_DESTDIR=maybe'),
  );
  assert.deepEqual(codes(p.problems), ['bad-dependency', 'bad-value']);
  const dep = p.problems[0]!;
  assert.equal(dep.message, "dependency 'foo>=1:devel/foo' is not of the form pattern:../../category/package (in ALL_DEPENDS of foo-1.0)");
  assert.deepEqual(dep.range, { start: { line: 2, character: 44 }, end: { line: 2, character: 60 } });

  const pat = parseScan(rec('foo-1.0').replace('ALL_DEPENDS=', 'ALL_DEPENDS={a,b:../../x/y'));
  assert.deepEqual(codes(pat.problems), ['bad-pattern']);
  const mv = parseScan(rec('foo-1.0', ['MULTI_VERSION=PYTHON_VERSION_REQD=27', 'PBULK_WEIGHT=heavy', 'USERGROUP_PHASE=later']));
  assert.deepEqual(codes(mv.problems), ['bad-value', 'bad-value', 'duplicate-field']);
  assert.equal(mv.errors, 0);
});

test('duplicate fields and packages are warnings; the first one counts, as in pbulk', () => {
  const p = parseScan(rec('foo-1.0') + rec('foo-1.0', [], 'devel/foo2'));
  assert.deepEqual(codes(p.problems), ['duplicate-package']);
  assert.equal(p.problems[0]!.message, 'Duplicate package: foo-1.0 (first at line 1)');
  const f = parseScan(rec('foo-1.0', ['CATEGORIES=other']));
  assert.deepEqual(codes(f.problems), ['duplicate-field']);
  assert.deepEqual(categoriesOf(f.records[0]!), ['devel']);
});

test('CR LF line ends are reported once and kept in the values', () => {
  const p = parseScan(rec('foo-1.0').replace(/\n/g, '\r\n'));
  assert.equal(p.problems.filter((x) => x.code === 'crlf').length, 1);
  assert.equal(p.records[0]!.pkgname, 'foo-1.0\r');
});

test('problems are capped and the rest counted', () => {
  const text = 'x\n' + rec('foo-1.0') + 'junk\n'.repeat(50);
  const p = parseScan(text, { maxProblems: 10 });
  assert.equal(p.problems.length, 11);
  assert.equal(p.problems[10]!.code, 'more-problems');
  assert.equal(p.problems[10]!.message, '41 more problems not listed');
  assert.equal(p.errors, 51);
});

test('a binary file and a huge garbage line are reported, not thrown', () => {
  const bin = readFileSync(process.execPath).subarray(0, 2_000_000).toString('latin1');
  const p = parseScan(bin, { file: 'node' });
  assert.ok(p.errors > 0);
  assert.ok(p.problems.length <= 1001);
  assertInside(bin, p.problems);
  const huge = 'x'.repeat(20_000_000);
  const h = parseScan(huge);
  assert.deepEqual(codes(h.problems), ['no-final-newline', 'no-record']);
  assert.deepEqual(h.records, []);
});

test('property: random text never throws and every range lies inside the document', () => {
  const unit = fc.constantFrom('PKGNAME=', 'PKG_LOCATION=a/b', '\n', '=', ' ', 'ALL_DEPENDS=', 'x>=1:../../a/b', '{', '\0', '\r', 'é', 'a', '-1');
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.array(unit, { maxLength: 60 }).map((u) => u.join('')),
      ),
      fc.constantFrom('index', 'pscan', 'presolve') as fc.Arbitrary<'index' | 'pscan' | 'presolve'>,
      (text, format) => {
        const p = parseScan(text, { format });
        assertInside(text, p.problems);
        if (p.errors === 0 && text.endsWith('\n')) assert.equal(formatScan(p.records), text.slice(text.indexOf('PKGNAME=')));
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: mutated real records never throw and keep ranges inside the document', () => {
  const base = readFileSync(path.join(limitedMeta, 'pscan'), 'latin1');
  const mutation = fc.record({
    at: fc.nat(base.length),
    len: fc.nat(40),
    insert: fc.string({ unit: fc.constantFrom('\n', '\0', '=', 'PKGNAME=', ':', '{', ' ', 'x'), maxLength: 5 }),
  });
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (muts) => {
      let text = base;
      for (const m of muts) text = text.slice(0, m.at) + m.insert + text.slice(m.at + m.len);
      const p = parseScan(text);
      assertInside(text, p.problems);
      assert.ok(formatScan(p.records).length <= text.length);
    }),
    { numRuns: 500 },
  );
});

test('property: parse(format(records)) gives the records back', () => {
  const value = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '-', '.', '=', '>', ':', '/', '"'), maxLength: 20 });
  const key = fc.constantFrom('ALL_DEPENDS', 'PKG_SKIP_REASON', 'CATEGORIES', 'MAINTAINER', 'X_FUTURE', 'DEPENDS', 'SCAN_DEPENDS');
  const record = fc.tuple(
    fc.string({ unit: fc.constantFrom('a', 'b', '0', '-', '.'), minLength: 1, maxLength: 10 }).map((s) => `p${s}-1.0`),
    fc.array(fc.tuple(key, value), { maxLength: 8 }),
  );
  fc.assert(
    fc.property(fc.array(record, { maxLength: 6 }), (recs) => {
      const records = recs.map(([name, fields], i) => makeRecord([['PKGNAME', name], ['PKG_LOCATION', `cat/p${i}`], ...fields]));
      const text = formatScan(records);
      const back = parseScan(text, { format: 'presolve' });
      assert.equal(back.records.length, records.length);
      back.records.forEach((r, i) => {
        assert.equal(r.pkgname, records[i]!.pkgname);
        assert.equal(r.location, `cat/p${i}`);
        assert.deepEqual(
          r.fields.map((f) => [f.key, f.value]),
          records[i]!.fields.map((f) => [f.key, f.value]),
        );
        assert.equal(r.text, records[i]!.text);
      });
      assert.equal(formatScan(back.records), text);
    }),
    { numRuns: 1000 },
  );
});
