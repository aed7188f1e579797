import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/pkgsrc/bulklog/graph';
import { messageProblem } from '../../src/pkgsrc/resolve/messages';
import { resolveFiles, resolveGlobal, resolveIncremental } from '../../src/pkgsrc/resolve/resolve';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import type { ScanRecord } from '../../src/pkgsrc/scan/record';

/** A pscan record; `deps` is the ALL_DEPENDS value. */
function rec(name: string, loc: string, deps = '', extra = ''): string {
  return `PKGNAME=${name}\nPKG_LOCATION=${loc}\nALL_DEPENDS=${deps}\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n${extra}`;
}

function records(text: string): ScanRecord[] {
  const p = parseScan(text, { format: 'pscan' });
  return p.records;
}

const msgs = (r: { messages: { message: string }[] }): string[] => r.messages.map((m) => m.message);

test('the best match is the highest version, wherever it lives (-v says so)', () => {
  const r = resolveGlobal(records(rec('foo-1.0', 'a/foo') + rec('foo-2.0', 'a/foo2') + rec('bar-1.0', 'b/bar', 'foo>=1:../../a/foo')), { verbose: 1 });
  assert.equal(r.ok, true);
  assert.deepEqual(r.records.find((x) => x.pkgname === 'bar-1.0')!.depends, ['foo-2.0']);
  assert.deepEqual(msgs(r), ['Best matching foo-2.0 differs from location a/foo for dependency foo>=1 of package bar-1.0']);
  assert.match(r.text, /PKGNAME=bar-1.0\n[^]*DEPENDS=foo-2.0\n$/);
  assert.deepEqual(
    msgs(resolveGlobal(records(rec('foo-1.0', 'a/foo') + rec('foo-2.0', 'a/foo2') + rec('bar-1.0', 'b/bar', 'foo>=1:../../a/foo')))),
    [],
    'quiet without -v',
  );
});

test('a dependency already satisfied by an earlier choice is skipped; DEPENDS has no duplicates', () => {
  const r = resolveGlobal(
    records(
      rec('foo-2.0', 'a/foo') +
        rec('gmake-3.82', 'd/gmake') +
        rec('bar-1.0', 'b/bar', '  foo>=1:../../a/foo gmake>=3.81:../../d/gmake  foo>=1.5:../../a/foo2 foo-[0-9]*:../../a/foo'),
    ),
    { verbose: 1 },
  );
  assert.deepEqual(r.records.find((x) => x.pkgname === 'bar-1.0')!.depends, ['foo-2.0', 'gmake-3.82']);
  assert.deepEqual(msgs(r), ['Best matching foo-2.0 differs from location a/foo2 for dependency foo>=1.5 of package bar-1.0']);
});

test('-vv lists multiple matches the way pbulk-resolve does (the best so far, twice at first)', () => {
  const r = resolveGlobal(
    records(rec('foo-1.0', 'a/foo') + rec('foo-2.0', 'a/foo') + rec('foo-3.0', 'a/foo') + rec('bar-1.0', 'b/bar', '{foo>=1}:../../a/foo')),
    { verbose: 2 },
  );
  assert.deepEqual(msgs(r), [
    'Multiple matches for dependency {foo>=1} of package bar-1.0: foo-1.0',
    'Multiple matches for dependency {foo>=1} of package bar-1.0: foo-1.0',
    'Multiple matches for dependency {foo>=1} of package bar-1.0: foo-2.0',
  ]);
});

test("a missing dependency fails the whole run with pbulk's message and a location", () => {
  const text = rec('foo-1.0', 'a/foo') + rec('bar-1.0', 'b/bar', 'foo>=2:../../a/foo baz-[0-9]*:../../c/baz');
  const r = resolveGlobal(records(text));
  assert.equal(r.ok, false);
  assert.equal(r.text, '');
  assert.deepEqual(r.records, []);
  assert.deepEqual(msgs(r), ['No match found for dependency foo>=2 of package bar-1.0', 'No match found for dependency baz-[0-9]* of package bar-1.0']);
  const p = messageProblem(r.messages[1]!, 'meta/pscan');
  assert.deepEqual(p.range, { start: { line: 7, character: 31 }, end: { line: 7, character: 53 } });
  assert.equal(text.split('\n')[7]!.slice(31, 53), 'baz-[0-9]*:../../c/baz');
  assert.equal(p.severity, 'error');
});

test('partial mode (-p) writes the record without DEPENDS instead of failing', () => {
  const r = resolveGlobal(
    records(rec('foo-1.0', 'a/foo') + rec('bar-1.0', 'b/bar', 'foo>=1:../../a/foo nope>=1:../../x/nope') + rec('baz-1.0', 'b/baz', 'bar-1.0:../../b/bar')),
    { partial: true },
  );
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.records.map((x) => [x.pkgname, x.depends]),
    [
      ['foo-1.0', undefined],
      ['bar-1.0', undefined],
      ['baz-1.0', ['bar-1.0']],
    ],
  );
  assert.deepEqual(r.unresolved, ['bar-1.0']);
  assert.deepEqual(msgs(r), ['No match found for dependency nope>=1 of package bar-1.0']);
  assert.ok(!r.text.includes('\nDEPENDS=foo'));
});

test('incremental mode: candidates become active when chosen; missing locations are collected', () => {
  const active = records(rec('app-1.0', 'x/app', 'lib>=1:../../d/lib tool-[0-9]*:../../d/tool gone>=1:../../d/gone'));
  const cand = records(rec('lib-1.2', 'd/lib', 'zlib>=1:../../d/zlib') + rec('unused-1.0', 'd/unused') + rec('tool-2', 'd/tool', 'lib>=1:../../d/lib'));
  const r = resolveIncremental(active, cand, { verbose: 1 });
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.records.map((x) => [x.pkgname, x.depends]),
    [
      ['app-1.0', undefined],
      ['lib-1.2', undefined],
      ['tool-2', ['lib-1.2']],
    ],
  );
  assert.deepEqual(r.missing, ['d/gone', 'd/zlib']);
  assert.deepEqual(r.unresolved, ['app-1.0', 'lib-1.2']);
  assert.deepEqual(msgs(r), [], 'no messages in incremental mode');
});

test("incremental mode keeps pbulk's single pass: a candidate chosen by a later one stays unresolved", () => {
  const active = records(rec('app-1.0', 'x/app', 'libb-[0-9]*:../../d/b'));
  const cand = records(rec('liba-1', 'd/a', 'libc>=1:../../d/c') + rec('libb-1', 'd/b', 'liba>=1:../../d/a'));
  const r = resolveIncremental(active, cand);
  assert.deepEqual(
    r.records.map((x) => [x.pkgname, x.depends]),
    [
      ['app-1.0', ['libb-1']],
      ['liba-1', undefined],
      ['libb-1', ['liba-1']],
    ],
  );
  assert.deepEqual(r.missing, [], 'liba-1 was never resolved, so its missing libc is not reported yet');
});

test('identical PKGNAMEs: hash-chain patterns pick the earliest record, full scans the latest', () => {
  const active = records(rec('app-1.0', 'x/app', 'libx>=1:../../d/lib') + rec('libx-1.0', 'd/lib', '', 'DEPENDS=\n'));
  const cand = records(rec('libx-1.0', 'd/lib'));
  const hashed = resolveIncremental(active, cand);
  assert.deepEqual(
    hashed.records.map((x) => x.pkgname),
    ['app-1.0', 'libx-1.0'],
  );
  for (const pattern of ['{libx,liby}>=1', 'li*', 'l?bx-[0-9]*']) {
    const withScan = records(rec('app-1.0', 'x/app', `${pattern}:../../d/lib`) + rec('libx-1.0', 'd/lib', '', 'DEPENDS=\n'));
    const scanned = resolveIncremental(withScan, cand);
    assert.deepEqual(
      scanned.records.map((x) => x.pkgname),
      ['app-1.0', 'libx-1.0', 'libx-1.0'],
      `${pattern}: the candidate copy is chosen and written too`,
    );
  }
});

test('records that already have DEPENDS are copied, not resolved again; no dependencies, no DEPENDS line', () => {
  const text = rec('foo-1.0', 'a/foo', '', 'DEPENDS=whatever-1\n') + rec('bar-1.0', 'b/bar');
  const r = resolveGlobal(records(text));
  assert.equal(r.text, text);
  assert.deepEqual(
    r.records.map((x) => x.depends),
    [['whatever-1'], undefined],
  );
});

test('a malformed dependency fails even in partial and incremental mode', () => {
  const text = rec('foo-1.0', 'a/foo') + rec('bar-1.0', 'b/bar', 'foo>=1:../../a/foo foo>=1:a/foo');
  for (const opts of [{}, { partial: true }, { incremental: true }]) {
    const r = resolveFiles([records(text)], opts);
    assert.equal(r.ok, false);
    assert.deepEqual(msgs(r), ['Incorrect dependency for bar-1.0, skipping']);
    assert.equal(r.messages[0]!.at!.line, 7);
  }
});

test('fatal input: no ALL_DEPENDS, a short PKGNAME, no PKG_LOCATION, a malformed alternative', () => {
  const noAll = resolveGlobal(records(rec('foo-1.0', 'a/foo') + 'PKGNAME=bar-1.0\nPKG_LOCATION=b/bar\n'));
  assert.deepEqual([noAll.ok, msgs(noAll), noAll.messages[0]!.fatal], [false, ['No ALL_DEPENDS line for bar-1.0'], true]);

  const short = resolveGlobal(records(rec('foo', 'a/foo')));
  assert.deepEqual([short.ok, msgs(short), short.messages[0]!.code], [false, ['Invalid input'], 'invalid-input']);
  assert.equal(messageProblem(short.messages[0]!, 'pscan').message, "Invalid input: PKGNAME 'foo' is shorter than 4 characters or contains blanks");
  const noLoc = resolveGlobal(parseScan('PKGNAME=foo-1.0\nALL_DEPENDS=\n', { format: 'index' }).records);
  assert.deepEqual(msgs(noLoc), ['Invalid input']);

  const brace = resolveGlobal(records(rec('foo-1.0', 'a/foo') + rec('bar-1.0', 'b/bar', '{foo,bar:../../a/foo')));
  assert.deepEqual([brace.ok, msgs(brace)], [false, ["Malformed alternate `{foo,bar'"]]);
  // pkg_install only trips over it when some name passes the quick first-characters test.
  const quiet = resolveGlobal(records(rec('foo-1.0', 'a/foo') + rec('bar-1.0', 'b/bar', 'zz{foo:../../a/foo')));
  assert.deepEqual([quiet.ok, msgs(quiet)], [false, ['No match found for dependency zz{foo of package bar-1.0']]);
});

test("cycles pass pbulk-resolve and are caught by pbulk-build's graph (bulklog/graph) with their chain", () => {
  const r = resolveGlobal(
    records(
      rec('a-1.0', 'c/a', 'b>=1:../../c/b') +
        rec('b-1.0', 'c/b', 'c>=1:../../c/c') +
        rec('c-1.0', 'c/c', 'a>=1:../../c/a') +
        rec('d-1.0', 'c/d', 'a>=1:../../c/a'),
    ),
  );
  assert.equal(r.ok, true);
  const { issues } = buildGraph(r.records);
  assert.deepEqual(
    issues.map((i) => i.message),
    ['Cyclic dependency for package a-1.0: a-1.0 -> b-1.0 -> c-1.0 -> a-1.0'],
  );
});
