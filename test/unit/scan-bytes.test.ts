// A scan file read from its bytes (the CLI's resolve path) gives the records parseScan gives, and
// is taken only when parseScan would find nothing wrong: real pscans, and fast-check mutations
// of one, where any damage must send the file to parseScan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { scanBytes } from '../../src/pkgsrc/scan/bytes';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { fieldLine, type ScanRecord } from '../../src/pkgsrc/scan/record';
import { pbulkOutput } from '../fixtures/reference-data';

const limitedMeta = path.join(pbulkOutput.limitedBulklog, 'meta');

function same(fast: readonly ScanRecord[], slow: readonly ScanRecord[]): void {
  assert.equal(fast.length, slow.length);
  fast.forEach((f, i) => {
    const s = slow[i]!;
    assert.equal(f.pkgname, s.pkgname);
    assert.equal(f.location, s.location);
    assert.equal(f.line, s.line);
    assert.equal(f.text, s.text);
    assert.deepEqual(fieldLine(f, 'ALL_DEPENDS'), fieldLine(s, 'ALL_DEPENDS'));
    assert.equal(fieldLine(f, 'DEPENDS'), undefined);
    assert.deepEqual(f.fields, s.fields);
  });
}

test('a real pscan read from its bytes: the records parseScan gives', () => {
  const bytes = readFileSync(path.join(limitedMeta, 'pscan'));
  const fast = scanBytes(bytes);
  assert.ok(fast, 'a clean pscan is taken');
  const slow = parseScan(bytes.toString('latin1'), { format: 'pscan' });
  assert.equal(slow.problems.length, 0);
  same(fast, slow.records);
});

test('anything parseScan would report sends the file to parseScan', () => {
  const clean = readFileSync(path.join(limitedMeta, 'pscan'), 'latin1');
  // The first few records: enough for every kind of line.
  const text = clean.slice(0, clean.split('\n').slice(0, 60).join('\n').length + 1);
  const tokens = [
    '\n',
    '\r',
    '\0',
    '=',
    ' ',
    '\t',
    '/',
    'x',
    '\u00e9',
    'PKGNAME=',
    'PKGNAME=a-1\n',
    'DEPENDS=a-1\n',
    'PKG_LOCATION=x/y\n',
    'ALL_DEPENDS=',
    '{',
    ':../../',
    'PBULK_WEIGHT=',
    '-',
    '',
  ];
  let taken = 0;
  fc.assert(
    fc.property(fc.nat({ max: text.length - 1 }), fc.nat({ max: 6 }), fc.constantFrom(...tokens), (at, del, ins) => {
      const mutated = text.slice(0, at) + ins + text.slice(at + del);
      const fast = scanBytes(Buffer.from(mutated, 'latin1'));
      if (fast === undefined) return;
      taken++;
      const slow = parseScan(mutated, { format: 'pscan' });
      assert.deepEqual(slow.problems, [], `taken from its bytes, but parseScan reports: ${slow.problems.map((p) => p.message).join('; ')}`);
      same(fast, slow.records);
    }),
    { numRuns: 400 },
  );
  assert.ok(taken > 0, 'some mutations leave a clean file');
});
