// Completion over the real LSP protocol: variable names with their documentation, values after
// `name=`, names after `${`, paths on this machine, and package locations in a limited_list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CompletionItem, CompletionList, MarkupContent, TextEdit } from 'vscode-languageserver';
import { generateTree } from '../fixtures/generate';
import { fileUri, TestLspClient } from './lspClient';

let client: TestLspClient;
let dir: string;
let tree: string;
let locations: string[];

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-completion-'));
  tree = path.join(dir, 'pkgsrc');
  const manifest = generateTree(tree, { packages: 20, seed: 3, dependencies: false });
  locations = manifest.packages.filter((p) => p.scanned).map((p) => p.path);
  client = await TestLspClient.start();
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

function items(r: CompletionList | CompletionItem[] | null): CompletionItem[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

function edit(i: CompletionItem): TextEdit {
  return i.textEdit as TextEdit;
}

let n = 0;
async function openConf(text: string): Promise<string> {
  const uri = fileUri(path.join(dir, `c${n++}.pbulk.conf`));
  await client.open(uri, text);
  return uri;
}

test('a blank line offers every pbulk variable with its documentation', async () => {
  const uri = await openConf('config_version=0.51\n\n');
  const list = items(await client.completion(uri, 1, 0));
  const bulklog = list.find((i) => i.label === 'bulklog');
  assert.ok(bulklog, 'bulklog offered');
  assert.match((bulklog.documentation as MarkupContent).value, /rm -rf/);
  assert.equal(edit(bulklog).newText, 'bulklog=${1:/bulklog}');
  const keep = list.find((i) => i.label === 'keep_wrkdir')!;
  assert.equal(edit(keep).newText, 'keep_wrkdir=${1|no,yes|}');
  // Already assigned names sort after the others; pkg-build's internal names are not offered.
  const cv = list.find((i) => i.label === 'config_version')!;
  assert.ok(cv.sortText! > bulklog.sortText!);
  assert.ok(!list.some((i) => i.label === 'pkgname'));
  const obsolete = list.find((i) => i.label === 'report_recipient')!;
  assert.deepEqual(obsolete.tags, [1]);
});

test('a partly typed name is replaced as a whole, without `=` when one follows', async () => {
  const uri = await openConf('bulk=/x\n');
  const list = items(await client.completion(uri, 0, 2));
  const bulklog = list.find((i) => i.label === 'bulklog')!;
  assert.deepEqual(edit(bulklog), { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, newText: 'bulklog' });
});

test("after `keep_prefix=` the values are yes and no, with pbulk's reading of them", async () => {
  const uri = await openConf('keep_prefix=\n');
  const list = items(await client.completion(uri, 0, 12));
  assert.deepEqual(list.map((i) => i.label).sort(), ['no', 'yes']);
  assert.match((list[0]!.documentation as MarkupContent).value, /lower case/);
});

test('after `${` the variables assigned above come first, with their value there', async () => {
  const uri = await openConf('bulklog=/bulk/log\nloc=${bu}/meta\nprefix=/usr/pkg\n');
  const list = items(await client.completion(uri, 1, 8));
  const bulklog = list.find((i) => i.label === 'bulklog')!;
  assert.deepEqual(edit(bulklog), { range: { start: { line: 1, character: 6 }, end: { line: 1, character: 8 } }, newText: 'bulklog' });
  assert.match(bulklog.detail!, /\/bulk\/log/);
  const prefix = list.find((i) => i.label === 'prefix')!;
  assert.ok(prefix.sortText! > bulklog.sortText!);
  assert.match((prefix.documentation as MarkupContent).value, /empty string here/);
});

test('an unclosed `${` gets its closing brace', async () => {
  const uri = await openConf('prefix=/usr/pkg\nmake=${\n');
  const list = items(await client.completion(uri, 1, 7));
  assert.equal(edit(list.find((i) => i.label === 'prefix')!).newText, 'prefix}');
});

test('path values complete from this machine, directories only where a directory is wanted', async () => {
  mkdirSync(path.join(dir, 'bulk/log'), { recursive: true });
  writeFileSync(path.join(dir, 'bulk/notes.txt'), '');
  const line = `bulklog=${dir}/bulk/`;
  const uri = await openConf(`${line}\n`);
  const list = items(await client.completion(uri, 0, line.length));
  assert.deepEqual(
    list.filter((i) => i.kind === 19).map((i) => i.label),
    ['log/'],
  );
  assert.ok(!list.some((i) => i.label === 'notes.txt'));
  const quoted = `limited_list="${dir}/bulk/no`;
  const uri2 = await openConf(`${quoted}"\n`);
  const files = items(await client.completion(uri2, 0, quoted.length));
  const notes = files.find((i) => i.label === 'notes.txt')!;
  assert.deepEqual(edit(notes).range, { start: { line: 0, character: quoted.length - 2 }, end: { line: 0, character: quoted.length } });
});

test("pbulk's example paths use the prefix pbulk is installed in, never a placeholder", async () => {
  const uri = await openConf('pscan=/opt/pbulk/bin/pbulk-scan\npbuild_script=\n\n');
  const values = items(await client.completion(uri, 1, 'pbuild_script='.length));
  assert.ok(
    values.some((i) => i.label === '/opt/pbulk/libexec/pbulk/pkg-build'),
    values.map((i) => i.label).join(' '),
  );
  const names = items(await client.completion(uri, 2, 0));
  const placeholder = /@[A-Z][A-Z0-9_]*@/;
  assert.ok(
    names.every((i) => !placeholder.test(edit(i).newText)),
    names
      .map((i) => edit(i).newText)
      .filter((t) => placeholder.test(t))
      .join(' '),
  );
  assert.equal(edit(names.find((i) => i.label === 'pkg_info')!).newText, 'pkg_info=${1:/opt/pbulk/sbin/pkg_info}');
});

test('nothing is offered inside a comment', async () => {
  const uri = await openConf('# bulk\n');
  assert.deepEqual(items(await client.completion(uri, 0, 6)), []);
});

test('a limited_list offers the categories, then the packages of the tree its pbulk.conf names', async () => {
  const listFile = path.join(dir, 'limited_list');
  const confUri = await openConf(`pkgsrc=${tree}\nlimited_list=${listFile}\n`);
  // A category with several packages, so one can be listed already and the others offered.
  const first = locations.find((l) => locations.filter((o) => o.split('/')[0] === l.split('/')[0]).length >= 2)!;
  const [category] = first.split('/') as [string];
  const listUri = fileUri(listFile);
  await client.open(listUri, `${first}\n\n`, 'pkgsrc-limited-list');
  const cats = items(await client.completion(listUri, 1, 0));
  assert.ok(
    cats.some((i) => i.label === `${category}/`),
    cats.map((i) => i.label).join(' '),
  );
  await client.change(listUri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: `${category}/` }]);
  const pkgs = items(await client.completion(listUri, 1, category.length + 1)).map((i) => i.label);
  const expected = locations.filter((l) => l.startsWith(`${category}/`) && l !== first).sort();
  assert.ok(expected.length > 0);
  assert.deepEqual(pkgs.sort(), expected);
  assert.ok(confUri);
});
