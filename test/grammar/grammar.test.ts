// TextMate grammar tests: runs the vscode-tmgrammar-test CLI over the annotated cases in
// ./cases (real pbulk configs and limited lists with scope assertions) and fails when it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'node_modules/vscode-tmgrammar-test/dist/unit.js');

// execa is ESM-only; tests run as CommonJS, so it is loaded with import().
async function runGrammarTests(patterns: string[]) {
  const { execa } = await import('execa');
  return execa(process.execPath, [cli, '--compact', '--config', path.join(root, 'package.json'), ...patterns], {
    cwd: root,
    reject: false,
    all: true,
  });
}

test('pbulk.conf grammar cases pass', async () => {
  const r = await runGrammarTests(['test/grammar/cases/*.pbulk.conf']);
  assert.equal(r.exitCode, 0, r.all);
  assert.match(r.all ?? '', /installed-example\.pbulk\.conf run successfuly/);
  assert.match(r.all ?? '', /shell-constructs\.pbulk\.conf run successfuly/);
});

test('limited_list grammar cases pass', async () => {
  const r = await runGrammarTests(['test/grammar/cases/*.limited_list']);
  assert.equal(r.exitCode, 0, r.all);
  assert.match(r.all ?? '', /mistakes\.limited_list run successfuly/);
});

test('a wrong scope assertion makes the grammar test fail', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-grammar-'));
  try {
    const file = path.join(dir, 'wrong.pbulk.conf');
    writeFileSync(file, '# SYNTAX TEST "source.pbulk-conf"\nprefix=/usr/pkg\n# <------ comment.line.number-sign.pbulk-conf\n');
    const r = await runGrammarTests([file]);
    assert.notEqual(r.exitCode, 0, r.all);
    assert.match(r.all ?? '', /Missing required scopes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('package.json wires both languages to their grammar and configuration', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const languages: { id: string; configuration: string }[] = pkg.contributes.languages;
  const grammars: { language: string; scopeName: string; path: string }[] = pkg.contributes.grammars;
  for (const [id, scope] of [
    ['pbulk-conf', 'source.pbulk-conf'],
    ['pkgsrc-limited-list', 'source.pkgsrc-limited-list'],
  ] as const) {
    const lang = languages.find((l) => l.id === id);
    assert.ok(lang, `language ${id}`);
    assert.ok(existsSync(path.join(root, lang.configuration)), lang.configuration);
    JSON.parse(readFileSync(path.join(root, lang.configuration), 'utf8'));
    const g = grammars.find((x) => x.language === id);
    assert.ok(g, `grammar for ${id}`);
    assert.equal(g.scopeName, scope);
    const grammar = JSON.parse(readFileSync(path.join(root, g.path), 'utf8'));
    assert.equal(grammar.scopeName, scope);
  }
});
