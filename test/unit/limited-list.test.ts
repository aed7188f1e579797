// limited_list: what each pbulk version reads from it, and every check, against a real
// generated pkgsrc tree on disk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatProblem } from '../../src/pkgsrc/problem';
import { checkLimitedList, detectFileKind, parseLimitedList, type ConfCheckContext } from '../../src/pkgsrc/conf/index';
import { applyEdits } from './conf-helpers';

let tree: string;
before(() => {
  tree = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-tree-'));
  mkdirSync(path.join(tree, 'mk'));
  writeFileSync(path.join(tree, 'Makefile'), '# top\n');
  for (const loc of ['lang/perl5', 'x11/gtk2', 'devel/gmake', 'wip/foo']) {
    mkdirSync(path.join(tree, loc), { recursive: true });
    writeFileSync(path.join(tree, loc, 'Makefile'), `# ${loc}\n`);
  }
});
after(() => rmSync(tree, { recursive: true, force: true }));

const v051: ConfCheckContext = { pbulkVersion: { version: '0.51', source: 'setting' } };
const v068: ConfCheckContext = { pbulkVersion: { version: '0.68', source: 'setting' } };
const check = (text: string, ctx: ConfCheckContext = v051) => checkLimitedList(text, '/bulk/limited_list', { pkgsrc: tree, ...ctx });
const codes = (text: string, ctx?: ConfCheckContext) => check(text, ctx).map((d) => `${d.severity} ${d.code}`);

test('what pbulk 0.51 and the 2020 scan script read', () => {
  const text = '# base set\nlang/perl5\nx11/gtk2 # toolkit\n\ndevel/gmake  \n';
  assert.deepEqual(
    parseLimitedList(text, '0.51').entries.map((e) => e.location),
    ['lang/perl5', 'x11/gtk2 # toolkit', 'devel/gmake  '],
  );
  assert.deepEqual(
    parseLimitedList(text, '0.68').entries.map((e) => e.location),
    ['lang/perl5', 'x11/gtk2', 'devel/gmake'],
  );
  assert.deepEqual(
    parseLimitedList(text, '0.68').entries.map((e) => e.line),
    [1, 2, 4],
  );
});

test('a clean list has no diagnostics', () => {
  assert.deepEqual(check('# comment\nlang/perl5\nx11/gtk2\n\nwip/foo\n').map(formatProblem), []);
  assert.deepEqual(check('lang/perl5\n', { ...v051, masterMode: true }).map(formatProblem), []);
});

test('inline comments and trailing blanks: an error for 0.51, a note for 0.68, with a fix', () => {
  assert.deepEqual(codes('lang/perl5 # the interpreter\n'), ['error limited-list-trailing']);
  assert.deepEqual(codes('lang/perl5 # the interpreter\n', v068), ['information limited-list-trailing']);
  assert.deepEqual(codes('lang/perl5  \n'), ['error limited-list-trailing']);
  const text = 'lang/perl5 # the interpreter\n';
  const d = check(text)[0]!;
  assert.equal(applyEdits(text, d.fixes![0]!.edits), '# the interpreter\nlang/perl5\n');
  assert.deepEqual(codes('lang/perl5\n'), []);
});

test('indented comments and blank-only lines', () => {
  assert.deepEqual(codes('  # indented\nlang/perl5\n'), ['error limited-list-comment']);
  assert.deepEqual(codes('  # indented\nlang/perl5\n', v068), []);
  assert.deepEqual(codes('lang/perl5\n   \n'), ['warning limited-list-blank']);
  assert.deepEqual(codes('  lang/perl5\n'), ['error limited-list-blank']);
});

test("entry shape: anything but category/dir is an error, with the scan clients' reason in master mode", () => {
  assert.deepEqual(codes('lang/perl5/\n'), ['error limited-list-entry']);
  assert.deepEqual(codes('foo/bar;touch /tmp/x\n'), ['error limited-list-entry']);
  assert.deepEqual(codes('foo/bar;touch /tmp/x\n', v068), ['error limited-list-entry']);
  assert.deepEqual(codes('devel/..\n'), ['error limited-list-entry']);
  assert.deepEqual(codes('lang/perl5/\n', { ...v051, masterMode: true }), ['error limited-list-entry']);
  assert.deepEqual(codes('/usr/pkgsrc/lang/perl5\n', { ...v051, masterMode: true }), ['error limited-list-entry']);
  assert.deepEqual(codes('perl5\n', { ...v051, masterMode: true }), ['error limited-list-entry']);
  assert.deepEqual(codes('../x/y\n', { ...v051, masterMode: true }), ['error limited-list-entry']);
  const d = check('lang/perl5/\n')[0]!;
  assert.equal(applyEdits('lang/perl5/\n', d.fixes![0]!.edits), 'lang/perl5\n');
  assert.match(check('a/b/c\n', { ...v051, masterMode: true })[0]!.message, /Invalid path from master/);
});

test('entries must exist in the tree', () => {
  assert.deepEqual(codes('lang/perl6\n'), ['warning limited-list-missing']);
  assert.match(check('lang/perl6\n')[0]!.message, /Scan failed for lang\/perl6/);
  assert.deepEqual(codes('lang/perl5\n'), []);
  // Without a usable tree nothing is claimed missing.
  assert.deepEqual(checkLimitedList('lang/perl6\n', 'l', { ...v051, pkgsrc: path.join(tree, 'nope') }), []);
});

test('duplicates point at the first entry and can be removed', () => {
  const text = 'lang/perl5\nx11/gtk2\nlang/perl5\n';
  const d = check(text).find((x) => x.code === 'limited-list-duplicate')!;
  assert.equal(d.severity, 'warning');
  assert.equal(d.range.start.line, 2);
  assert.equal(d.related![0]!.range.start.line, 0);
  assert.equal(applyEdits(text, d.fixes![0]!.edits), 'lang/perl5\nx11/gtk2\n');
  assert.deepEqual(codes('lang/perl5\nx11/gtk2\n'), []);
});

test('empty lists, CRLF and binary content', () => {
  assert.deepEqual(codes('# nothing yet\n'), ['warning limited-list-empty']);
  assert.deepEqual(codes('lang/perl5\r\nx11/gtk2\r\n'), ['error crlf-line-ends']);
  assert.deepEqual(codes('lang/perl5\r\n', v068), ['information crlf-line-ends']);
  assert.ok(codes('lang/perl5\n\0\0\n').includes('error binary-content'));
});

test('file kind from the name, then from the content', () => {
  assert.equal(detectFileKind('/etc/pbulk.conf', ''), 'pbulk-conf');
  assert.equal(detectFileKind('/etc/site.pbulk.conf', ''), 'pbulk-conf');
  assert.equal(detectFileKind('/etc/pbulk-netbsd.conf', ''), 'pbulk-conf');
  assert.equal(detectFileKind('/bulk/limited_list', 'prefix=/usr/pkg\n'), 'limited-list');
  assert.equal(detectFileKind('/bulk/pkgs.txt', '# set\nlang/perl5\nx11/gtk2\n'), 'limited-list');
  assert.equal(detectFileKind('/bulk/site.conf', 'bulklog=/bulk\n'), 'pbulk-conf');
});
