// The README is what a newcomer reads first: its settings table and command list must name
// every setting the extension contributes and every command the engine has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { commands } from '../../src/engine/commands';

const root = resolve(__dirname, '../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
};

test('README starts with exactly the two set-up commands', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(firstBlock, 'no sh block in README');
  const commands = firstBlock[1]
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(/\s*#.*$/, '').trim());
  assert.deepEqual(commands, ['npm run demo', 'npm test']);
  assert.ok(readme.indexOf('```sh') < readme.indexOf('\n## '), 'the set-up commands come before the first section');
});

test('README settings table names every contributed setting', () => {
  const sections = [manifest.contributes.configuration].flat();
  const names = sections.flatMap((s) => Object.keys(s.properties));
  assert.ok(names.length > 5);
  const table = readme.slice(readme.indexOf('## Editor settings'));
  for (const name of names) assert.ok(table.includes(`\`${name}\``), `${name} missing from README's settings table`);
});

test('README command table names every engine command', () => {
  const table = readme.slice(readme.indexOf('## The command line'));
  assert.ok(commands.length >= 8);
  for (const { name } of commands) assert.match(table, new RegExp(`\\| \`${name}[ \`]`), `${name} missing from README's command table`);
});
