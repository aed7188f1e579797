// The committed configuration reference matches the schema, and the diagnostic codes the
// checks report are all documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { END, renderReadmeSection, renderReference, START } from '../../scripts/gen-config-reference';
import { allVariables, checkCodes, variableInfo, variableMarkdown } from '../../src/pkgsrc/conf/index';
import { lint } from './conf-helpers';

const ROOT = path.resolve(__dirname, '../..');

test('docs/configuration.md is up to date (node --import tsx scripts/gen-config-reference.ts)', () => {
  assert.equal(readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8'), renderReference());
});

test('the README section is up to date', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const s = readme.indexOf(START);
  const e = readme.indexOf(END);
  assert.ok(s >= 0 && e > s, 'README.md lacks the config-reference markers');
  assert.equal(readme.slice(s, e + END.length), renderReadmeSection());
});

test('every variable has a section in the reference and a row in the README', () => {
  const doc = renderReference();
  const readme = renderReadmeSection();
  for (const v of allVariables()) {
    assert.ok(doc.includes(`\n### ${v.name}\n`), v.name);
    assert.ok(readme.includes(`[${v.name}](docs/configuration.md#${v.name})`), v.name);
  }
});

test('diagnostic codes seen on broken configs are documented', () => {
  const documented = new Set(checkCodes.map((c) => c.code));
  const broken = 'fi\nprefix = /usr/pkg\ngzip=/bin/gzip -9\nx="unterminated\n';
  for (const d of lint(broken)) assert.ok(documented.has(d.code), d.code);
  assert.equal(documented.size, checkCodes.length);
});

test('README rows keep the whole first sentence, and <placeholders> survive as Markdown text', () => {
  const readme = renderReadmeSection();
  const row = (name: string) => readme.split('\n').find((l) => l.startsWith(`| [${name}]`))!;
  assert.match(row('master_mode'), /`no`: scan and build run locally in one process, one package at a time\. \|$/);
  assert.match(row('mail'), /set mail=: to send nothing\. \|$/);
  assert.match(row('script_phase_scan'), /Second phase: scans the tree/);
  for (const line of readme.split('\n')) assert.doesNotMatch(line.replace(/`[^`]*`/g, ''), /(^|[^\\])<[a-z]/i, line);
  assert.match(variableMarkdown(variableInfo('report_rsync_target')!), /goes to \\<target>\/\\<build date>/);
  assert.match(renderReference(), /as \$\{bulklog\}\/\\<pkg>\/wrkdir\.tar\.gz/);
});
