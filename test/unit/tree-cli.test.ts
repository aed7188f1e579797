// `pkgsrc-bulk tree` on a generated tree: in-process for the output, and as a real process (the
// engine entry point loaded through tsx) for the exit codes main.ts gives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateTree } from '../fixtures/generate';
import type { TreeManifest } from '../fixtures/generate';
import { pathToFileURL } from 'node:url';
import { cacheFileFor, runTree } from '../../src/engine/commands/tree';
import type { TreeJson } from '../../src/engine/commands/tree';
import { UsageError } from '../../src/engine/commands/types';

const repo = path.resolve(__dirname, '../..');
let dir: string;
let m: TreeManifest;

const tsx = pathToFileURL(require.resolve('tsx')).href;

async function cli(args: string[], cwd = repo, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { execa } = await import('execa');
  const r = await execa(process.execPath, ['--import', tsx, path.join(repo, 'src/engine/main.ts'), 'tree', ...args], {
    cwd,
    reject: false,
    env: { XDG_CACHE_HOME: path.join(dir, 'cache'), ...env },
  });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the command in this process, capturing what it writes. */
async function run(args: string[], cwd = repo): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTree(args, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, cacheHome: path.join(dir, 'cache') });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-tree-cli-'));
  m = generateTree(path.join(dir, 'pkgsrc'), { packages: 60, seed: 13, oddities: { trailingWhitespace: 1 } });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('lists categories with counts and totals; problems on stderr with positions', async () => {
  const r = await run(['--pkgsrc', m.root]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /^CATEGORY\s+PACKAGES\s+COMMENT$/);
  for (const c of m.categories.filter((x) => x.active)) {
    const n = c.packages.filter((p) => p.listed).length;
    assert.ok(
      lines.some((l) => new RegExp(`^${c.name}\\s+${n}\\s+${c.comment}$`).test(l)),
      `${c.name} ${n}`,
    );
  }
  assert.match(r.stdout, new RegExp(`^${m.counts.categories} categories, 60 packages \\(commented out: 1 category, \\d+ entr`, 'm'));
  assert.match(r.stderr, /\/Makefile:\d+:\d+: information: Trailing whitespace\. \[trailing-whitespace\]/);
});

test('--json prints the whole model; found from a directory inside the tree', async () => {
  const p = m.packages.find((x) => x.scanned && x.files.descr)!;
  const r = await run(['--json'], path.join(m.root, p.path));
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as TreeJson;
  assert.equal(j.root, m.root);
  assert.equal(j.totals.packages, 60);
  const got = j.packages.find((x) => x.path === p.path)!;
  assert.equal(got.vars.COMMENT?.value, p.comment);
  assert.ok(got.files.includes('DESCR'));
  assert.ok(existsSync(cacheFileFor(m.root, path.join(dir, 'cache'))), 'the package index is kept');
  const again = await run(['--json', '--no-cache'], m.root);
  assert.deepEqual(JSON.parse(again.stdout), j, 'the same model with or without the on-disk index');
});

test('DIR that is not a pkgsrc tree, no tree found, bad options: usage errors', async () => {
  await assert.rejects(
    run(['--pkgsrc', path.join(m.root, 'devel')]),
    (e: unknown) => e instanceof UsageError && /devel has no mk\/ directory, so it is not a pkgsrc tree/.test(e.message),
  );
  const empty = path.join(dir, 'empty');
  mkdirSync(empty);
  await assert.rejects(run([], empty), /no pkgsrc tree .* at or above .*; name one with --pkgsrc DIR/);
  await assert.rejects(run(['--pkgsrc']), UsageError);
  await assert.rejects(run(['--frobnicate']), UsageError);
});

test('as a process: exit 2 with the message for a non-tree, exit 1 when a listed package has no Makefile', async () => {
  const bad = await cli(['--pkgsrc', path.join(m.root, 'devel')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^pkgsrc-bulk tree: .*devel has no mk\/ directory, so it is not a pkgsrc tree$/m);
  const broken = generateTree(path.join(dir, 'broken'), { packages: 10, seed: 2, oddities: { noMakefile: 1 } });
  const r = await cli(['--pkgsrc', broken.root]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: .* has no Makefile; pbulk reports "Scan failed" for it\. \[missing-package-makefile\]/);
});

test('as a process: the same table from the on-disk index, with no warning where Node reports pending deprecations', async () => {
  const fresh = await cli(['--pkgsrc', m.root, '--no-cache']);
  const first = await cli(['--pkgsrc', m.root]);
  const again = await cli(['--pkgsrc', m.root], repo, { NODE_OPTIONS: '--pending-deprecation' });
  assert.equal(first.stdout, fresh.stdout);
  assert.equal(again.stdout, fresh.stdout);
  assert.equal(again.stderr, fresh.stderr);
  assert.doesNotMatch(again.stderr, /DeprecationWarning/);
});
