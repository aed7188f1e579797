import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Problem } from '../../src/pkgsrc/problem';
import {
  formatPkgSummary,
  makeSummaryRecord,
  MULTI_LINE,
  parsePkgSummary,
  summaryDescription,
  summaryFileName,
  summaryValue,
  summaryValues,
} from '../../src/pkgsrc/summary';

// Two records as `pkg_info -X` prints them for binary packages of pkgsrc (pkg_summary(5)):
// DEPENDS repeated, DESCRIPTION line by line with an empty line kept as `DESCRIPTION=`.
const REAL = `PKGNAME=pkgin-0.6.4nb1
DEPENDS=libarchive>=3.1.2
DEPENDS=sqlite3>=3.7.16.2
COMMENT=Apt / yum like tool for managing pkgsrc binary packages
SIZE_PKG=290512
BUILD_DATE=2013-05-02 10:11:12 +0200
CATEGORIES=pkgtools
HOMEPAGE=http://pkgin.net/
LICENSE=modified-bsd
MACHINE_ARCH=x86_64
OPSYS=NetBSD
OS_VERSION=6.1
PKGPATH=pkgtools/pkgin
PKGTOOLS_VERSION=20091115
REQUIRES=/usr/lib/libc.so.12
REQUIRES=/usr/pkg/lib/libsqlite3.so.0
FILE_NAME=pkgin-0.6.4nb1.tgz
FILE_SIZE=118312
DESCRIPTION=pkgin aims to be a tool similar to apt or yum for managing pkgsrc
DESCRIPTION=binary packages.
DESCRIPTION=
DESCRIPTION=It relies on pkg_summary(5) for installing, removing and upgrading.

PKGNAME=digest-20121220
COMMENT=Message digest wrapper utility
SIZE_PKG=118960
BUILD_DATE=2013-05-01 09:00:00 +0200
CATEGORIES=pkgtools
MACHINE_ARCH=x86_64
OPSYS=NetBSD
OS_VERSION=6.1
PKGPATH=pkgtools/digest
PKGTOOLS_VERSION=20091115
DESCRIPTION=The digest utility calculates message digests of files.

`;

function assertInside(text: string, problems: readonly Problem[]): void {
  const lines = text.split('\n');
  for (const p of problems) {
    for (const pos of [p.range.start, p.range.end]) {
      assert.ok(pos.line >= 0 && pos.line < Math.max(lines.length, 1), `line ${pos.line}: ${p.message}`);
      assert.ok(pos.character >= 0 && pos.character <= (lines[pos.line] ?? '').length, `column ${pos.character}: ${p.message}`);
    }
  }
}

test('pkg_info -X records: multi-line variables, lookups, and the text back byte for byte', () => {
  const p = parsePkgSummary(REAL, { file: 'pkg_summary' });
  assert.deepEqual(p.problems, []);
  assert.deepEqual(
    p.records.map((r) => r.pkgname),
    ['pkgin-0.6.4nb1', 'digest-20121220'],
  );
  const [pkgin, digest] = p.records as [NonNullable<(typeof p.records)[0]>, NonNullable<(typeof p.records)[0]>];
  assert.deepEqual(summaryValues(pkgin, 'DEPENDS'), ['libarchive>=3.1.2', 'sqlite3>=3.7.16.2']);
  assert.equal(summaryValue(pkgin, 'PKGPATH'), 'pkgtools/pkgin');
  assert.equal(
    summaryDescription(pkgin),
    'pkgin aims to be a tool similar to apt or yum for managing pkgsrc\nbinary packages.\n\nIt relies on pkg_summary(5) for installing, removing and upgrading.',
  );
  assert.equal(summaryFileName(pkgin), 'pkgin-0.6.4nb1.tgz');
  assert.equal(summaryFileName(digest), 'digest-20121220.tgz', 'PKGNAME.tgz when FILE_NAME is absent');
  assert.equal(digest.line, 23);
  assert.equal(formatPkgSummary(p.records), REAL);
});

test('bad input: every problem has its line, and the records around it survive', () => {
  const text = [
    'PKGNAME=a-1.0',
    'COMMENT=first',
    'COMMENT=again',
    'DEPENDS=x-[0-9]*',
    'OPSYS=NetBSD',
    'DEPENDS=y-[0-9]*',
    'this is no variable',
    '',
    '',
    '',
    'COMMENT=no name here',
    '',
    'PKGNAME=a-1.0',
    'COMMENT=dup\r',
    'NUL=\0',
    '',
    'PKGNAME=c-1.0',
  ].join('\n');
  const p = parsePkgSummary(text, { checkRequired: false });
  const codes = p.problems.map((x) => `${x.code}@${x.range.start.line + 1}`);
  assert.deepEqual(
    codes.sort(),
    [
      'crlf@14',
      'duplicate-package@13',
      'no-final-newline@17',
      'no-pkgname@11',
      'not-variable@7',
      'nul-byte@15',
      'repeated-variable@3',
      'split-variable@6',
    ].sort(),
  );
  assert.equal(p.errors, 3);
  assert.deepEqual(
    p.records.map((r) => r.pkgname),
    ['a-1.0', '', 'a-1.0', 'c-1.0'],
  );
  assert.equal(summaryValue(p.records[2]!, 'COMMENT'), 'dup');
  assertInside(text, p.problems);
  const required = parsePkgSummary('PKGNAME=z-1\nCOMMENT=c\n\n');
  assert.match(
    required.problems[0]!.message,
    /has no BUILD_DATE, CATEGORIES, DESCRIPTION, MACHINE_ARCH, OPSYS, OS_VERSION, PKGPATH, PKGTOOLS_VERSION, SIZE_PKG/,
  );
});

const key = fc.oneof(
  fc.constantFrom(...MULTI_LINE),
  fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/).filter((k) => k !== 'PKGNAME'),
);
const value = fc.string({ maxLength: 30 }).map((s) => s.replace(/[\n\r\0]/g, ' '));
const record = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9-]{0,10}-[0-9][0-9.]{0,5}$/),
    fc.array(fc.tuple(key, fc.array(value, { minLength: 1, maxLength: 3 })), { maxLength: 8 }),
  )
  .map(([name, vars]) => {
    // Each variable once, its values on consecutive lines, as pkg_info prints them.
    const seen = new Set<string>();
    const fields: [string, string][] = [['PKGNAME', name]];
    for (const [k, vs] of vars) {
      if (seen.has(k)) continue;
      seen.add(k);
      for (const v of MULTI_LINE.has(k) ? vs : vs.slice(0, 1)) fields.push([k, v]);
    }
    return fields;
  });

test('property: format then parse gives the same records, without problems', () => {
  fc.assert(
    fc.property(fc.uniqueArray(record, { selector: (r) => r[0]![1], maxLength: 6 }), (recs) => {
      const records = recs.map((r) => makeSummaryRecord(r));
      const text = formatPkgSummary(records);
      const p = parsePkgSummary(text, { checkRequired: false });
      assert.deepEqual(p.problems, []);
      assert.deepEqual(
        p.records.map((r) => r.fields.map((f) => [f.key, f.value])),
        recs,
      );
      assert.equal(formatPkgSummary(p.records), text);
    }),
    { numRuns: 200 },
  );
});

test('property: any text parses without throwing, with problems inside it', () => {
  const piece = fc.oneof(fc.constantFrom('PKGNAME=a-1\n', 'DEPENDS=b\n', '\n', '\n\n', '=x\n', 'K=\r\n', '\0', 'COMMENT=c'), fc.string({ maxLength: 12 }));
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 20 }).map((a) => a.join('')),
      (text) => {
        const p = parsePkgSummary(text);
        assertInside(text, p.problems);
        assert.equal(p.errors, p.problems.filter((x) => x.severity === 'error').length);
        for (const r of p.records) for (const f of r.fields) assert.ok(f.line >= r.line);
      },
    ),
    { numRuns: 300 },
  );
});
