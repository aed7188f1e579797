// Outline, go to definition and find references over the real LSP protocol, on a site config.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DocumentSymbol, Location } from 'vscode-languageserver';
import { ownConf } from '../fixtures/reference-data';
import { TestLspClient } from './lspClient';

const seedText = readFileSync(ownConf('site.pbulk.conf'), 'utf8');
const seedLines = seedText.split('\n');
const seedUri = 'file:///var/tmp/pkgsrc-bulk-nav/seed.pbulk.conf';

/** 0-based position of the first occurrence of needle on the first line that contains it. */
function find(lines: string[], needle: string, after = 0): { line: number; character: number } {
  for (let l = after; l < lines.length; l++) {
    const c = lines[l]!.indexOf(needle);
    if (c >= 0) return { line: l, character: c };
  }
  throw new Error(`${needle} not found`);
}

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start();
  await client.open(seedUri, seedText);
});
after(async () => {
  await client.stop();
});

test('document symbols group settings under the comment block that introduces them', async () => {
  const symbols = (await client.documentSymbols(seedUri)) as DocumentSymbol[];
  const byName = new Map(symbols.map((s) => [s.name, s]));
  const dirs = byName.get('Where the build keeps its files');
  assert.ok(dirs, symbols.map((s) => s.name).join(' | '));
  const names = dirs.children!.map((c) => c.name);
  for (const n of ['bulklog', 'packages', 'prefix', 'pkgsrc', 'pkgdb', 'chroot_dir']) assert.ok(names.includes(n), names.join(' '));
  const limit = byName.get('Stop any package build after an hour of CPU time');
  assert.equal(limit?.children?.[0]?.name, 'ulimit -t 3600');
  // Every child lies inside its section, and selection ranges inside ranges.
  for (const s of symbols) {
    for (const c of s.children ?? []) {
      assert.ok(c.range.start.line >= s.range.start.line && c.range.end.line <= s.range.end.line, `${c.name} inside ${s.name}`);
      assert.ok(c.selectionRange.start.line >= c.range.start.line && c.selectionRange.end.line <= c.range.end.line);
    }
  }
  const bulklog = dirs.children!.find((c) => c.name === 'bulklog')!;
  assert.deepEqual(bulklog.selectionRange, { start: find(seedLines, 'bulklog=/data'), end: { ...find(seedLines, 'bulklog=/data'), character: 7 } });
  assert.equal(bulklog.detail, '/data/bulklog');
});

test('go to definition of ${bulklog} lands on the bulklog assignment above it', async () => {
  const use = find(seedLines, 'loc=${bulklog}');
  const defs = (await client.definition(seedUri, use.line, use.character + 7)) as Location[];
  const assigned = find(seedLines, 'bulklog=/data');
  assert.equal(defs.length, 1);
  assert.deepEqual(defs[0]!.range, { start: assigned, end: { line: assigned.line, character: 7 } });
  assert.equal(defs[0]!.uri, seedUri);
});

test('go to definition of ${prefix} inside make= finds prefix=/usr/pkg', async () => {
  const use = find(seedLines, 'make=${prefix}');
  const defs = (await client.definition(seedUri, use.line, use.character + 8)) as Location[];
  assert.equal(defs.length, 1);
  assert.equal(defs[0]!.range.start.line, find(seedLines, 'prefix=/usr/pkg').line);
});

test('find references of master_ip lists the assignment and both port settings', async () => {
  const decl = find(seedLines, 'master_ip=');
  const refs = (await client.references(seedUri, decl.line, 2, true))!;
  assert.deepEqual(
    refs.map((r) => r.range.start.line),
    [decl.line, find(seedLines, 'master_port_scan=').line, find(seedLines, 'master_port_build=').line],
  );
  const without = (await client.references(seedUri, decl.line, 2, false))!;
  assert.equal(without.length, 2);
  assert.ok(without.every((r) => seedLines[r.range.start.line]!.slice(r.range.start.character, r.range.end.character) === 'master_ip'));
});

test('definition and references outside a name answer nothing', async () => {
  const comment = find(seedLines, '# Stop any package build');
  assert.equal(await client.definition(seedUri, comment.line, 4), null);
  assert.equal(await client.references(seedUri, comment.line, 4, true), null);
});
