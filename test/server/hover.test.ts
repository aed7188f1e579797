// Hover over the real LSP protocol: documentation from the schema, the value at that spot and
// the assignments it was built from, on a site config.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { MarkupContent } from 'vscode-languageserver';
import { ownConf } from '../fixtures/reference-data';
import { TestLspClient } from './lspClient';

const text = readFileSync(ownConf('site.pbulk.conf'), 'utf8');
const lines = text.split('\n');
const uri = 'file:///var/tmp/pkgsrc-bulk-hover/pbulk.conf';

function lineOf(prefix: string): number {
  const l = lines.findIndex((x) => x.startsWith(prefix));
  assert.ok(l >= 0, prefix);
  return l;
}

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start();
  await client.open(uri, text);
});
after(async () => {
  await client.stop();
});

async function hoverText(line: number, character: number): Promise<string> {
  const h = await client.hover(uri, line, character);
  assert.ok(h, `hover at ${line}:${character}`);
  return (h.contents as MarkupContent).value;
}

test('hover on an assignment shows the doc, the value and the chain it came from', async () => {
  const make = lineOf('make=');
  const md = await hoverText(make, 1);
  assert.match(md, /\*\*make\*\*/);
  assert.match(md, /Assigned here: `\/usr\/pkg\/bin\/bmake`/);
  assert.match(md, new RegExp(`Built from \`prefix\` = \`/usr/pkg\` \\(line ${lineOf('prefix=') + 1}\\)`));
});

test('hover on ${bulklog} shows the value the reference sees and where it was set', async () => {
  const loc = lineOf('loc=');
  const md = await hoverText(loc, 7);
  assert.match(md, new RegExp(`Here \`\\$\\{bulklog\\}\` is \`/data/bulklog\`, set at line ${lineOf('bulklog=') + 1}`));
  assert.match(md, /rm -rf/);
});

test('hover on a variable pbulk does not read says so', async () => {
  const md = await hoverText(lineOf('SITE_UPLOAD_USER='), 2);
  assert.match(md, /not a pbulk variable/);
  assert.match(md, /Assigned here: `pkgsrc`/);
});

test('hover on ulimit explains that it limits every package build', async () => {
  const md = await hoverText(lineOf('ulimit'), 1);
  assert.match(md, /every package build/);
});

test('hover on a value shows it expanded', async () => {
  const make = lineOf('make=');
  const md = await hoverText(make, 18);
  assert.match(md, /^`make` = `\/usr\/pkg\/bin\/bmake`/);
  assert.match(md, /Built from `prefix`/);
});

test('no hover on a comment', async () => {
  assert.equal(await client.hover(uri, 0, 3), null);
});
