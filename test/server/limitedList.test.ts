// limited_list support over the real LSP protocol, on a generated pkgsrc tree: the server tells
// the client which file an open pbulk.conf names, checks the list against that conf's tree and
// master mode, re-checks it when the conf changes, and offers hover, links and quick fixes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Diagnostic, DocumentLink, MarkupContent, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateTree, type PackagePlan } from '../fixtures/generate';
import { fileUri, TestLspClient } from './lspClient';

let client: TestLspClient;
let dir: string;
let tree: string;
let pkgs: PackagePlan[];

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-list-'));
  tree = path.join(dir, 'pkgsrc');
  pkgs = generateTree(tree, { packages: 12, seed: 7, dependencies: false }).packages.filter((p) => p.scanned);
  client = await TestLspClient.start({ settings: { pbulkVersion: '0.51' } });
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => `${d.range.start.line}:${d.code}`).sort();
}

test("an open pbulk.conf links its limited_list, which is checked against that conf's tree", async () => {
  const list = path.join(dir, 'a', 'limited_list');
  mkdirSync(path.dirname(list));
  writeFileSync(list, '');
  const confUri = fileUri(path.join(dir, 'a', 'build.pbulk.conf'));
  await client.open(confUri, `pkgsrc=${tree}\nlimited_list=${list}\nmaster_mode=yes\n`);
  assert.deepEqual(client.notifications.find((n) => n.method === 'pkgsrcBulk/limitedListLink')?.params, { conf: confUri, limitedList: list });
  const [a, b] = [pkgs[0]!.path, pkgs[1]!.path];
  const text = ['# base set', a, 'lang/no-such-package', `${b} # the editor`, a, 'devel/x/y', ''].join('\n');
  const p = await client.open(fileUri(list), text, 'pkgsrc-limited-list');
  assert.deepEqual(codes(p.diagnostics), ['2:limited-list-missing', '3:limited-list-trailing', '4:limited-list-duplicate', '5:limited-list-entry']);
  const trailing = p.diagnostics.find((d) => d.code === 'limited-list-trailing')!;
  assert.equal(trailing.severity, 1, 'pbulk 0.51 keeps the comment in the location');
  assert.deepEqual(trailing.range, { start: { line: 3, character: b.length }, end: { line: 3, character: text.split('\n')[3]!.length } });
  const entry = p.diagnostics.find((d) => d.code === 'limited-list-entry')!;
  assert.equal(entry.severity, 1, 'master mode: scan clients reject a/b/c');
  const dup = p.diagnostics.find((d) => d.code === 'limited-list-duplicate')!;
  assert.equal(dup.relatedInformation?.[0]?.location.range.start.line, 1);
  assert.equal(dup.relatedInformation?.[0]?.location.uri, fileUri(list));
  const [remove] = (await client.codeActions(fileUri(list), [dup]))!;
  const fixed = TextDocument.applyEdits(TextDocument.create(fileUri(list), 'x', 1, text), remove!.edit!.changes![fileUri(list)] as TextEdit[]);
  assert.equal(fixed.split('\n').filter((l) => l === a).length, 1);
});

test('editing the pbulk.conf re-checks the list it names', async () => {
  const list = path.join(dir, 'b', 'limited_list');
  mkdirSync(path.dirname(list));
  const confUri = fileUri(path.join(dir, 'b', 'pbulk.conf'));
  await client.open(confUri, `pkgsrc=${dir}/elsewhere\nlimited_list=${list}\nmaster_mode=no\n`);
  const listUri = fileUri(list);
  const p = await client.open(listUri, 'lang/no-such-package\n', 'pkgsrc-limited-list');
  assert.deepEqual(codes(p.diagnostics), []);
  const again = client.waitForDiagnostics(listUri, (x) => x.diagnostics.some((d) => d.code === 'limited-list-missing'));
  await client.change(confUri, [{ range: { start: { line: 0, character: 7 }, end: { line: 0, character: 7 + `${dir}/elsewhere`.length } }, text: tree }]);
  assert.deepEqual(codes((await again).diagnostics), ['0:limited-list-missing']);
});

test('a pbulk.conf on disk beside the list is used when none is open', async () => {
  const sub = path.join(dir, 'c');
  mkdirSync(sub);
  const list = path.join(sub, 'pkglist');
  writeFileSync(path.join(sub, 'pbulk.conf'), `pkgsrc=${tree}\nlimited_list=${list}\n`);
  const p = await client.open(fileUri(list), 'lang/no-such-package\n', 'pkgsrc-limited-list');
  assert.deepEqual(codes(p.diagnostics), ['0:limited-list-missing']);
  assert.match(p.diagnostics[0]!.message as string, new RegExp(tree.replace(/[/.]/g, '\\$&')));
});

test('without any pbulk.conf or setting the list says its entries are not checked against a tree', async () => {
  const p = await client.open(fileUri(path.join(dir, 'lonely', 'limited_list')), 'lang/perl5\n', 'pkgsrc-limited-list');
  assert.deepEqual(codes(p.diagnostics), ['0:limited-list-no-tree']);
  assert.equal(p.diagnostics[0]!.severity, 3);
});

test('hover and links of entries lead to the package', async () => {
  const list = path.join(dir, 'd', 'limited_list');
  mkdirSync(path.dirname(list));
  writeFileSync(list, '');
  const confUri = fileUri(path.join(dir, 'd', 'pbulk.conf'));
  await client.open(confUri, `pkgsrc=${tree}\nlimited_list=${list}\n`);
  const pkg = pkgs.find((p) => p.comment !== undefined)!;
  const listUri = fileUri(list);
  await client.open(listUri, `${pkg.path}\n`, 'pkgsrc-limited-list');
  const h = await client.hover(listUri, 0, 1);
  assert.match((h!.contents as MarkupContent).value, new RegExp(`\\*\\*${pkg.path}\\*\\*`));
  const links = (await client.documentLinks(listUri)) as DocumentLink[];
  assert.deepEqual(
    links.map((l) => l.target),
    [fileUri(path.join(tree, pkg.path, 'Makefile'))],
  );
  const confLinks = (await client.documentLinks(confUri)) as DocumentLink[];
  assert.deepEqual(
    confLinks.map((l) => [l.target, l.range.start.line, l.range.start.character]),
    [[fileUri(list), 1, 13]],
  );
});

test('turning path checks off re-checks open documents without looking at the disk', async () => {
  const listUri = fileUri(path.join(dir, 'c', 'pkglist'));
  const quiet = client.waitForDiagnostics(listUri, (p) => p.diagnostics.length === 0);
  await client.changeSettings({ pbulkVersion: '0.51', conf: { checkPaths: false } });
  assert.deepEqual((await quiet).diagnostics, []);
});
