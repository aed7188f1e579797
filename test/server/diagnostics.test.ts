// Diagnostics and quick fixes over the real LSP protocol: a pbulk.conf with mistakes gets them at
// the right ranges, each naming in its data the variables it is about, a quick fix repairs one,
// a burst of edits is checked once for its last version, closing clears, and a site config and
// pbulk's own example configs have no errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver';
import { ownConf, sharedConfs } from '../fixtures/reference-data';
import { TestLspClient } from './lspClient';

const mistakes = ['config_version=0.51', 'bulklgo=/bulk/log', 'keep_wrkdir=YES', 'make=@TARGET_MAKE@', 'bulklog=/', 'master_mode=no', ''].join('\n');

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start();
});
after(async () => {
  await client.stop();
});

function byCode(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

test('a pbulk.conf with mistakes gets each at its exact range, from the server itself', async () => {
  const uri = 'file:///var/tmp/pkgsrc-bulk-diag/mistakes.pbulk.conf';
  const p = await client.open(uri, mistakes);
  assert.equal(p.version, 1);
  const typo = byCode(p.diagnostics, 'unknown-variable')[0]!;
  assert.deepEqual(typo.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
  assert.match(typo.message as string, /Did you mean bulklog\?/);
  assert.equal(typo.source, 'pkgsrc-bulk');
  const bool = byCode(p.diagnostics, 'boolean-value').find((d) => d.range.start.line === 2)!;
  assert.deepEqual(bool.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 15 } });
  const placeholder = byCode(p.diagnostics, 'placeholder')[0]!;
  assert.equal(placeholder.severity, 1);
  assert.deepEqual(placeholder.range.start, { line: 3, character: 5 });
  const root = byCode(p.diagnostics, 'dangerous-path').find((d) => d.range.start.line === 4)!;
  assert.equal(root.severity, 1);
  assert.match(root.message as string, /rm -rf/);
  // The variables a finding is about travel in its data, for the settings form's rows.
  assert.deepEqual((root.data as { variables?: string[] }).variables, ['bulklog']);
  assert.deepEqual((bool.data as { variables?: string[] }).variables, ['keep_wrkdir']);
});

test('a quick fix renames the misspelt variable and the diagnostic goes away', async () => {
  const uri = 'file:///var/tmp/pkgsrc-bulk-diag/fix.pbulk.conf';
  const p = await client.open(uri, mistakes);
  const typo = byCode(p.diagnostics, 'unknown-variable')[0]!;
  const actions = (await client.codeActions(uri, [typo]))!;
  const rename = actions.find((a) => a.title === 'Rename to bulklog');
  assert.ok(rename, actions.map((a) => a.title).join(' | '));
  assert.equal(rename.kind, 'quickfix');
  assert.equal(rename.isPreferred, true);
  const edits = rename.edit!.changes![uri] as TextEdit[];
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'pbulk-conf', 1, mistakes), edits);
  assert.equal(fixed.split('\n')[1], 'bulklog=/bulk/log');
  const after = await client.change(uri, [{ text: fixed }]);
  assert.equal(byCode(after!.diagnostics, 'unknown-variable').length, 0);
  // The fix was computed for version 1: now that the text moved on it is no longer offered.
  assert.deepEqual(await client.codeActions(uri, [typo]), []);
});

test('a burst of edits is checked once, for the last version', async () => {
  const uri = 'file:///var/tmp/pkgsrc-bulk-diag/burst.pbulk.conf';
  await client.open(uri, 'prefix=/usr/pkg\n');
  const before = client.published(uri).length;
  let text = 'prefix=/usr/pkg\n';
  for (let i = 0; i < 5; i++) {
    text += `keep_prefix=${i === 4 ? 'Yes' : 'no'}\n`;
    await client.change(uri, [{ text }], false);
  }
  const last = await client.waitForDiagnostics(uri, (p) => p.version === 6);
  await new Promise((r) => setTimeout(r, 300));
  const versions = client
    .published(uri)
    .slice(before)
    .map((p) => p.version);
  assert.deepEqual(versions, [6]);
  assert.ok(byCode(last.diagnostics, 'boolean-value').some((d) => d.range.start.line === 5));
});

test('closing a document clears its diagnostics', async () => {
  const uri = 'file:///var/tmp/pkgsrc-bulk-diag/close.pbulk.conf';
  await client.open(uri, mistakes);
  const cleared = client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
  await client.close(uri);
  assert.equal((await cleared).diagnostics.length, 0);
});

async function assertNoErrors(name: string, text: string): Promise<void> {
  const uri = `file:///var/tmp/pkgsrc-bulk-diag/${name.replace(/(\.pbulk)?\.conf$/, '.pbulk.conf')}`;
  const p = await client.open(uri, text);
  const found = p.diagnostics.filter((d) => d.severity === 1);
  assert.deepEqual(
    found.map((d) => `${d.range.start.line + 1}: ${d.message}`),
    [],
  );
}

test('a complete site config has no errors', () => assertNoErrors('site.pbulk.conf', readFileSync(ownConf('site.pbulk.conf'), 'utf8')));

for (const name of ['pbulk-0.51-installed.conf', 'seed-tutorial.conf'] as const) {
  test(`${name} has no errors`, { skip: sharedConfs.skip }, () => assertNoErrors(name, sharedConfs.read(name)));
}

/** Every line with a @TOKEN@ outside a comment has a placeholder error; make='s offers a replacement. */
async function assertPlaceholders(name: string, text: string): Promise<void> {
  const uri = `file:///var/tmp/pkgsrc-bulk-diag/${name}`;
  const p = await client.open(uri, text);
  const lines = text.split('\n');
  const expected = lines.flatMap((l, i) => (!l.startsWith('#') && /@[A-Z_0-9]+@/.test(l) ? [i] : []));
  const got = [...new Set(byCode(p.diagnostics, 'placeholder').map((d) => d.range.start.line))];
  assert.deepEqual(got, expected);
  const make = byCode(p.diagnostics, 'placeholder').find((d) => lines[d.range.start.line]!.startsWith('make='))!;
  const actions = (await client.codeActions(uri, [make]))!;
  assert.ok(actions.length > 0 && actions[0]!.title.startsWith('Replace'), actions.map((a) => a.title).join(' | '));
}

test('every placeholder of an unsubstituted template is an error with a fix', () =>
  assertPlaceholders('template.pbulk.conf', readFileSync(ownConf('template.pbulk.conf'), 'utf8')));

test("every placeholder of pbulk's source example is an error with a fix", { skip: sharedConfs.skip }, () =>
  assertPlaceholders('source.pbulk.conf', sharedConfs.read('pbulk-0.51-source.conf')),
);

test('binary content and a huge file are reported, not crashed on', async () => {
  const bin = 'file:///var/tmp/pkgsrc-bulk-diag/bin.pbulk.conf';
  const p = await client.open(bin, 'prefix=/usr/pkg\n\0\0\x01garbage\n');
  assert.ok(byCode(p.diagnostics, 'binary-content').length > 0);
  const huge = 'file:///var/tmp/pkgsrc-bulk-diag/huge.pbulk.conf';
  const h = await client.open(huge, `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
  assert.deepEqual(
    h.diagnostics.map((d) => d.code),
    ['file-too-large'],
  );
  assert.equal(await client.hover(huge, 0, 0), null);
});

test('the pbulkVersion setting decides which config_version is right, and changing it re-checks', async () => {
  const uri = 'file:///var/tmp/pkgsrc-bulk-diag/version.pbulk.conf';
  const text = readFileSync(ownConf('site.pbulk.conf'), 'utf8');
  const chosen068 = client.waitForDiagnostics(uri, (p) => byCode(p.diagnostics, 'config-version').some((d) => d.severity === 1));
  await client.changeSettings({ pbulkVersion: '0.68' });
  await client.open(uri, text);
  const [mismatch] = byCode((await chosen068).diagnostics, 'config-version');
  assert.match(mismatch!.message as string, /This version of pbulk expects version 0\.68\./);
  const chosen051 = client.waitForDiagnostics(uri, (p) => byCode(p.diagnostics, 'config-version').length === 0);
  await client.changeSettings({ pbulkVersion: '0.51' });
  assert.deepEqual(byCode((await chosen051).diagnostics, 'config-version'), []);
  await client.changeSettings({ pbulkVersion: '' });
  await client.close(uri);
});

test('a quick fix spells a boolean the way pbulk reads it', async () => {
  const uri = 'file:///var/tmp/pkgsrc-bulk-diag/bool.pbulk.conf';
  const p = await client.open(uri, mistakes);
  const bool = byCode(p.diagnostics, 'boolean-value').find((d) => d.range.start.line === 2)!;
  const actions = (await client.codeActions(uri, [bool]))!;
  assert.ok(actions.length > 0);
  const edits = actions[0]!.edit!.changes![uri] as TextEdit[];
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'pbulk-conf', 1, mistakes), edits);
  assert.equal(fixed.split('\n')[2], 'keep_wrkdir=yes');
  const after = await client.change(uri, [{ text: fixed }]);
  assert.equal(byCode(after!.diagnostics, 'boolean-value').filter((d) => d.range.start.line === 2).length, 0);
  await client.close(uri);
});
