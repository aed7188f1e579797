// One rule, one message: a limited_list entry that is no package location is the same error in
// lint, the language server's checker, the engine and the editor's build request, and a build
// of the list is refused with it; a directory that is no bulklog is called that by report; a
// pbulk.conf that cannot be read is the only thing said about it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLimitedListEntries } from '../../src/extension/builds/confInfo';
import { checkLimitedList } from '../../src/pkgsrc/conf';
import { formatProblem } from '../../src/pkgsrc/problem';
import { readLimitedList } from '../../src/engine/scan/limited-list';
import { cli } from './cli-harness';
import { makeWorkspace } from './harness';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const [cmd, argv] = cli(...args);
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a limited_list entry that is no location: the same error from every checker; lint exits 1, build refuses it (exit 2)', async (t) => {
  const ws = makeWorkspace('refuse-list', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  const list = join(ws.dir, 'limited_list');
  writeFileSync(list, 'devel/a\nfoo/bar;touch /tmp/x\n');
  const want = `${list}:2:1: error: 'foo/bar;touch /tmp/x' is not a package location (category/dir): it contains blanks; no package can be built from it [limited-list-entry]`;

  for (const version of ['0.51', '0.68']) {
    const found = checkLimitedList('devel/a\nfoo/bar;touch /tmp/x\n', list, { pbulkVersion: { version, source: 'setting' } }).map(formatProblem);
    assert.deepEqual(found, [want], `the language server's and lint's checker, pbulk ${version}`);
    assert.deepEqual((await readLimitedList(list, version)).problems.map(formatProblem), [want], `the engine, pbulk ${version}`);
    assert.deepEqual((await readLimitedListEntries(list, version)).problems.map(formatProblem), [want], `the editor's build request, pbulk ${version}`);
  }

  const lint = run('lint', '--pbulk-version', '0.51', list);
  assert.equal(lint.code, 1, lint.stderr);
  assert.equal(lint.stdout, `${want}\n`);
  const build = run('build', '-c', ws.conf, '--limited-list', list);
  assert.equal(build.code, 2, build.stderr);
  assert.ok(build.stderr.includes(want), build.stderr);
});

test('report on a directory that is no bulklog says so (exit 2) and writes nothing there', async (t) => {
  const ws = makeWorkspace('refuse-report', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  const dir = join(ws.dir, 'not-a-bulklog');
  mkdirSync(dir);
  writeFileSync(join(dir, 'notes.txt'), 'x\n');
  const r = run('report', '--bulklog', dir);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(
    r.stderr,
    `pkgsrc-bulk report: not a bulklog: ${dir} has no meta/ directory: use the directory pbulk.conf's bulklog names, the one holding meta/.\n`,
  );
  assert.deepEqual(readdirSync(dir), ['notes.txt']);
  const empty = run('report', '--bulklog', ws.bulklog);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /^pkgsrc-bulk report: not a bulklog: .* is empty/);
});

test('a pbulk.conf that cannot be read: status, report and build print that one error', (t) => {
  const ws = makeWorkspace('refuse-conf', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  const missing = join(ws.dir, 'nope.conf');
  for (const cmd of ['status', 'report', 'build']) {
    const r = run(cmd, '-c', missing);
    assert.equal(r.code, 2, `${cmd}: ${r.stderr}`);
    assert.equal(r.stderr, `pkgsrc-bulk ${cmd}: ${missing}:1:1: error: cannot read ${missing}: no such file or directory (ENOENT) [unreadable-file]\n`);
  }
});
