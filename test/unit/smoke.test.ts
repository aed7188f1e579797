import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBytes, splitLines } from '../../src/pkgsrc/text';
import { formatProblem, range } from '../../src/pkgsrc/problem';

test('decodeBytes accepts Latin-1 bytes and reports them', () => {
  const d = decodeBytes(Uint8Array.from([0x41, 0xe9, 0x0a]));
  assert.equal(d.invalidUtf8, true);
  assert.equal(d.text.length, 3);
});

test('splitLines strips CR of CRLF line ends', () => {
  assert.deepEqual(splitLines('a\r\nb\nc'), ['a', 'b', 'c']);
});

test('formatProblem prints 1-based positions', () => {
  const s = formatProblem({ file: 'f', range: range(0, 4, 0, 6), severity: 'error', message: 'm', code: 'c' });
  assert.equal(s, 'f:1:5: error: m [c]');
});
