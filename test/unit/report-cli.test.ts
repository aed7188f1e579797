// `pkgsrc-bulk report` as a real process on a copy of the real bulklog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pbulkOutput } from '../fixtures/reference-data';

const ROOT = resolve(__dirname, '../..');
const REAL = pbulkOutput.limitedBulklog;

async function cli(args: string[]) {
  const { execa } = await import('execa');
  return execa(process.execPath, ['--import', 'tsx', join(ROOT, 'src/engine/main.ts'), 'report', ...args], { reject: false, cwd: ROOT });
}

async function copyReal(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-report-'));
  await cp(REAL, dir, { recursive: true });
  const fix = async (d: string): Promise<void> => {
    await chmod(d, 0o755);
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await fix(join(d, e.name));
      else await chmod(join(d, e.name), 0o644);
    }
  };
  await fix(dir);
  return dir;
}

test("report regenerates pbulk's files from meta/ and prints the JSON summary; failures exit 1", async () => {
  const dir = await copyReal();
  try {
    for (const f of ['report', 'report.txt', 'report.html', 'report.dot', 'report.bz2']) await unlink(join(dir, 'meta', f));
    const r = await cli(['--bulklog', dir, '--json']);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.equal(r.stderr, '');
    const s = JSON.parse(r.stdout);
    assert.equal(s.totals.failed, 17);
    assert.equal(s.failed[0].log, join(dir, 'pax-20080110nb2/build.log'));
    assert.equal(await readFile(join(dir, 'meta/report.txt'), 'utf8'), await readFile(join(REAL, 'meta/report.txt'), 'utf8'));
    for (const f of ['report', 'report.html', 'report.dot', 'report.bz2']) assert.ok((await readFile(join(dir, 'meta', f))).length > 0, f);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('report -c pbulk.conf finds the bulklog and loc there; --config and --bulklog together are refused', async () => {
  const dir = await copyReal();
  try {
    await unlink(join(dir, 'meta/report.txt'));
    const conf = join(dir, 'pbulk.conf');
    const vars = ['pkgsrc', 'packages', 'prefix'].map((v) => `${v}=/var/tmp/pkgsrc-bulk-report-conf/${v}`);
    await writeFile(
      conf,
      [
        ...vars,
        `bulklog=${dir}`,
        'loc=${bulklog}/meta',
        'pkgdb=${prefix}/pkgdb',
        'make=/usr/bin/bmake',
        'pkg_add=/bin/true',
        'pkg_delete=/bin/true',
        'pkg_info=/bin/true',
        '',
      ].join('\n'),
    );
    const r = await cli(['-c', conf, '--json', '--quiet']);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).totals.failed, 17);
    assert.equal(await readFile(join(dir, 'meta/report.txt'), 'utf8'), await readFile(join(REAL, 'meta/report.txt'), 'utf8'));
    const both = await cli(['--config', conf, '--bulklog', dir]);
    assert.equal(both.exitCode, 2);
    assert.match(both.stderr, /either --config or --bulklog/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('report: a missing bulklog or a bad option exits 2 with a message naming it', async () => {
  const r = await cli(['--bulklog', '/nonexistent/bulklog']);
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, /\/nonexistent\/bulklog/);
  const u = await cli(['--frobnicate']);
  assert.equal(u.exitCode, 2);
  assert.match(u.stderr, /frobnicate/);
});

test('writeReportBz2: report.bz2 through the bzip2 command; a missing command is a message, not a crash', async () => {
  const { writeReportBz2 } = await import('../../src/engine/commands/report');
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-bz2-'));
  try {
    await cp(join(REAL, 'meta/report'), join(dir, 'report'));
    await chmod(join(dir, 'report'), 0o644);
    assert.equal(await writeReportBz2(dir), undefined);
    const bz = await readFile(join(dir, 'report.bz2'));
    assert.equal(bz.subarray(0, 3).toString('latin1'), 'BZh');
    const err = await writeReportBz2(dir, '/nonexistent/bzip2');
    assert.match(err ?? '', /nonexistent/);
    assert.deepEqual((await readdir(dir)).sort(), ['report', 'report.bz2']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
