// "Open Bulklog from Disk..." on a directory that is no bulklog: the message names the path and
// what is missing (no empty report), on real directories; the real 2013Q1 bulklog passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBulklog } from '../../src/pkgsrc/bulklog';
import { bulklogDirProblem, noPackagesMessage } from '../../src/pkgsrc/bulklog/dir-check';
import { pbulkOutput } from '../fixtures/reference-data';

const REAL = pbulkOutput.limitedBulklog;

function scratch(t: { after: (f: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-bulklog-dir-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('an empty directory: says it is empty and what a bulklog holds', async (t) => {
  const dir = scratch(t);
  const m = await bulklogDirProblem(dir);
  assert.equal(m, `${dir} is empty: a bulklog holds meta/ with pbulk's package lists (presolve, report, pscan, pbuild, success, error).`);
});

test('a directory with files but no meta/: names the directory and the missing meta/', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'notes.txt'), 'x');
  mkdirSync(join(dir, 'foo-1.0'));
  const m = await bulklogDirProblem(dir);
  assert.ok(m?.startsWith(`${dir} has no meta/ directory`), m);
});

test('meta/ itself chosen: points to the directory holding it', async (t) => {
  const dir = scratch(t);
  const meta = join(dir, 'meta');
  mkdirSync(meta);
  writeFileSync(join(meta, 'success'), 'a-1\n');
  writeFileSync(join(meta, 'error'), '');
  const m = await bulklogDirProblem(meta);
  assert.equal(m, `${meta} looks like the meta/ directory of a bulklog (it holds success, error): open ${dir}, the directory that holds it.`);
});

test('meta/ without any package list: names meta/ and what it holds instead', async (t) => {
  const dir = scratch(t);
  mkdirSync(join(dir, 'meta'));
  assert.equal(
    await bulklogDirProblem(dir),
    `${join(dir, 'meta')} holds none of pbulk's package lists (presolve, report, pscan, pbuild, success, error): it is empty.`,
  );
  writeFileSync(join(dir, 'meta', 'status'), 'PLATFORM=x\n');
  assert.equal(
    await bulklogDirProblem(dir),
    `${join(dir, 'meta')} holds none of pbulk's package lists (presolve, report, pscan, pbuild, success, error), only status.`,
  );
});

test('meta/ that is a file, a missing path, a file chosen: each named', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'meta'), '');
  assert.equal(await bulklogDirProblem(dir), `${join(dir, 'meta')}: not a directory`);
  assert.equal(await bulklogDirProblem(join(dir, 'gone')), `${join(dir, 'gone')}: no such directory`);
  assert.equal(await bulklogDirProblem(join(dir, 'meta')), `${join(dir, 'meta')}: not a directory`);
});

test('package lists that name no package yet: a warning, not an empty report', async (t) => {
  const dir = scratch(t);
  mkdirSync(join(dir, 'meta'));
  writeFileSync(join(dir, 'meta', 'success'), '');
  writeFileSync(join(dir, 'meta', 'error'), '');
  assert.equal(await bulklogDirProblem(dir), undefined);
  const b = await readBulklog(dir);
  assert.match(noPackagesMessage(b, dir) ?? '', /meta lists no packages yet/);
  assert.match(noPackagesMessage(undefined, dir) ?? '', /could not be read as a bulklog/);
});

test('the real 2013Q1 bulklog is one, with packages', async () => {
  assert.equal(await bulklogDirProblem(REAL), undefined);
  assert.equal(noPackagesMessage(await readBulklog(REAL, { skipLogs: true }), REAL), undefined);
});
