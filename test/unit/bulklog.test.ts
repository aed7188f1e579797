// The bulklog reader against the real pbulk 0.51 bulklog of test/fixtures/pbulk-0.51, and against
// bulklogs cut down to what a live, aborted or copied bulklog holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, truncate, unlink, writeFile, mkdir, chmod, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulklogError, computeStates, formatPbuild, parseRecords, readBulklog, recordDepends } from '../../src/pkgsrc/bulklog';
import { pbulkOutput } from '../fixtures/reference-data';

const REAL = pbulkOutput.limitedBulklog;

async function copyReal(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-bulklog-'));
  await cp(REAL, dir, { recursive: true });
  // The fixture is read-only; the copy must be writable.
  const fix = async (d: string): Promise<void> => {
    await chmod(d, 0o755);
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await fix(p);
      else await chmod(p, 0o644);
    }
  };
  await fix(dir);
  return dir;
}

test('reads the real 2013Q1 bulklog exactly: 12 done, 17 failed, 29 indirect-failed, 4 prefailed, 1 indirect-prefailed', async () => {
  const b = await readBulklog(REAL);
  assert.deepEqual(b.totals, { done: 12, failed: 17, 'indirect-failed': 29, prefailed: 4, 'indirect-prefailed': 1, open: 0, in_processing: 0 });
  assert.deepEqual(b.sources, { records: 'presolve', states: 'computed' });
  assert.equal(b.finished, true);
  assert.deepEqual(b.problems, []);
  assert.equal(b.status.platform, 'Linux 6.18.44/x86_64');
  assert.equal(b.status.buildStartDir, '20261123.2020');
  // States and depths computed from presolve + success + error give pbulk's meta/pbuild byte for byte.
  assert.equal(formatPbuild(b.packages.map((p) => ({ ...p, depth: p.depth ?? 0 }))), await readFile(join(REAL, 'meta/pbuild'), 'utf8'));
});

test('failing phase is the last phase log; work.log never counts', async () => {
  const b = await readBulklog(REAL);
  const failed = b.packages.filter((p) => p.state === 'failed');
  assert.equal(failed.length, 17);
  const byPhase = (ph: string) =>
    failed
      .filter((p) => p.failingPhase === ph)
      .map((p) => p.pkgname)
      .sort();
  assert.deepEqual(byPhase('build'), ['mtscan-20050129nb1', 'pax-20080110nb2', 'pdksh-5.2.14nb5']);
  assert.equal(byPhase('checksum').length, 14);
  const pax = b.byName.get('pax-20080110nb2')!;
  assert.equal(pax.failingLog, join(REAL, 'pax-20080110nb2/build.log'));
  assert.deepEqual(
    pax.logs.map((l) => l.name),
    ['pre-clean.log', 'checksum.log', 'configure.log', 'build.log', 'work.log'],
  );
  assert.equal(pax.location, 'archivers/pax');
  assert.equal(pax.maintainer, 'joerg@NetBSD.org');
  assert.equal(pax.depth, 16);
  assert.equal(pax.breaks, 15);
  for (const p of b.packages.filter((x) => x.state !== 'failed')) assert.equal(p.logDir, undefined, p.pkgname);
});

test('prefailed packages carry their decoded reasons; indirect-failed ones their culprits', async () => {
  const b = await readBulklog(REAL);
  assert.deepEqual(b.byName.get('snobol-1.3')!.reasons, ['snobol-1.3 is marked as broken:', "Distfile doesn't match"]);
  assert.deepEqual(b.byName.get('x11-links-0.73')!.reasons, [
    'x11-links-0.73 should only be used with X11_TYPE=native.',
    'Do not include x11.buildlink3.mk for X11_TYPE != "native".',
  ]);
  assert.deepEqual(b.byName.get('p5-perl-headers-6.18.44nb7')!.culprits, ['pax-20080110nb2', 'perl-5.16.2nb4']);
  assert.deepEqual(b.byName.get('libtool-base-2.2.6bnb8')!.culprits, ['f2c-20100903']);
  assert.equal(b.byName.get('egtk-0.3.4nb7')!.state, 'indirect-prefailed');
  // Every culprit pbulk's HTML report names for an indirect-failed package is one of ours.
  const html = await readFile(join(REAL, 'meta/report.html'), 'utf8');
  const rows = [...html.matchAll(/<td>(\S+)<\/td>\n(?:.*\n){12}<\/tr>\n<tr class="indirect-failed">\n<td>&nbsp;<\/td><td colspan="13"> Failed: (.*)<\/td>/g)];
  assert.equal(rows.length, 29);
  for (const [, name, list] of rows) {
    const theirs = list!.split(/\s+/).filter((w) => w !== '' && w !== '...');
    const ours = b.byName.get(name!)!.culprits!;
    for (const c of theirs) assert.ok(ours.includes(c), `${name}: ${c} not among ${ours}`);
    if (!list!.includes('...')) assert.deepEqual([...theirs].sort(), ours, name);
  }
});

test('computeStates over the real presolve equals meta/pbuild, line for line', async () => {
  const presolve = parseRecords(await readFile(join(REAL, 'meta/presolve'), 'utf8'), 'presolve');
  const lines = (f: string) => readFile(join(REAL, 'meta', f), 'utf8').then((t) => t.split('\n').filter(Boolean));
  const c = computeStates(
    presolve.records.map((r) => ({
      pkgname: r.pkgname,
      depends: recordDepends(r),
      skipReason: r.values.get('PKG_SKIP_REASON'),
      failReason: r.values.get('PKG_FAIL_REASON'),
    })),
    await lines('success'),
    await lines('error'),
  );
  assert.deepEqual(c.issues, []);
  const expected = (await lines('pbuild')).map((l) => l.split('|'));
  assert.deepEqual(
    c.graph.names.map((n, i) => [n, c.states[i], '', String(c.graph.depth[i])]),
    expected,
  );
});

test('a live bulklog (presolve, partial success/error, a log directory being written) has open and in_processing packages', async () => {
  const dir = await copyReal();
  try {
    for (const f of ['pbuild', 'report', 'report.txt', 'report.html', 'report.dot', 'report.bz2']) await unlink(join(dir, 'meta', f));
    // The first three successes, the first failure, and a torn line of a second one.
    await writeFile(join(dir, 'meta/success'), 'tnftp-20070806\ndigest-20121220\nnbpatch-20100124\n');
    await writeFile(join(dir, 'meta/error'), 'f2c-20100903\npkg_inst');
    const b = await readBulklog(dir);
    assert.equal(b.finished, false);
    assert.equal(b.sources.states, 'computed');
    assert.equal(b.byName.get('f2c-20100903')!.state, 'failed');
    assert.equal(b.byName.get('libtool-base-2.2.6bnb8')!.state, 'indirect-failed');
    // Failed packages whose names are not in meta/error yet still have their log directories.
    assert.equal(b.byName.get('pax-20080110nb2')!.state, 'in_processing');
    assert.equal(b.byName.get('snobol-1.3')!.state, 'prefailed');
    assert.equal(b.byName.get('pkg_install-info-4.5nb3')!.state, 'open');
    const torn = b.problems.find((p) => p.code === 'torn-line');
    assert.ok(torn);
    assert.equal(torn.file, join(dir, 'meta/error'));
    assert.equal(torn.range.start.line, 1);
    assert.equal(b.totals.done, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a bulklog with only meta/report (copied from another machine) gives the same states', async () => {
  const dir = await copyReal();
  try {
    for (const f of ['presolve', 'pbuild', 'success', 'error', 'pscan']) await unlink(join(dir, 'meta', f));
    const b = await readBulklog(dir);
    assert.deepEqual(b.sources, { records: 'report', states: 'report' });
    assert.deepEqual(b.totals, { done: 12, failed: 17, 'indirect-failed': 29, prefailed: 4, 'indirect-prefailed': 1, open: 0, in_processing: 0 });
    assert.equal(b.byName.get('f2c-20100903')!.depth, 31);
    assert.deepEqual(b.byName.get('p5-perl-headers-6.18.44nb7')!.culprits, ['pax-20080110nb2', 'perl-5.16.2nb4']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a bulklog with only meta/pbuild, or only success/error, still lists every package it names', async () => {
  const dir = await copyReal();
  try {
    for (const f of ['presolve', 'report', 'pscan']) await unlink(join(dir, 'meta', f));
    const b = await readBulklog(dir);
    assert.equal(b.sources.states, 'pbuild');
    assert.equal(b.packages.length, 63);
    assert.equal(b.totals['indirect-failed'], 29);
    await unlink(join(dir, 'meta/pbuild'));
    const c = await readBulklog(dir);
    assert.deepEqual(c.sources, { records: 'none', states: 'lists' });
    assert.equal(c.totals.done, 12);
    assert.equal(c.totals.failed, 17);
    assert.equal(c.packages.length, 29);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('broken meta files become located problems, never a crash or a lost package', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-bulklog-'));
  try {
    await mkdir(join(dir, 'meta'));
    await writeFile(join(dir, 'meta/status'), 'PLATFORM=NetBSD 10.0/amd64\ngarbage line\n');
    await writeFile(
      join(dir, 'meta/presolve'),
      [
        'PKGNAME=a-1.0',
        'PKG_LOCATION=cat/a',
        'ALL_DEPENDS=',
        'PKG_SKIP_REASON=',
        'PKG_FAIL_REASON=',
        'DEPENDS=zz-9.9',
        'PKGNAME=b-1.0',
        'PKG_LOCATION=cat/b',
        'ALL_DEPENDS=a>=1:../../cat/a',
        'PKG_SKIP_REASON=',
        'PKG_FAIL_REASON=',
        'DEPENDS=a-1.0',
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'meta/success'), Buffer.from('a-1.0\n\0\xff\xfe\nnot-in-presolve-1\n', 'latin1'));
    await writeFile(join(dir, 'meta/pbuild'), 'a-1.0|done||2\nb-1.0|weird||1\nnonsense\n');
    const b = await readBulklog(dir);
    const codes = b.problems.map((p) => `${p.code}@${p.file.slice(dir.length + 1)}:${p.range.start.line + 1}`);
    assert.ok(codes.includes('bad-status-line@meta/status:2'), codes.join(' '));
    assert.ok(codes.includes('missing-dependency@meta/presolve:6'), codes.join(' '));
    assert.ok(codes.includes('unknown-package@meta/success:3'), codes.join(' '));
    assert.ok(codes.includes('bad-state@meta/pbuild:2'), codes.join(' '));
    assert.ok(codes.includes('bad-pbuild-line@meta/pbuild:3'), codes.join(' '));
    assert.ok(
      codes.some((c) => c.startsWith('nul-bytes@meta/success')),
      codes.join(' '),
    );
    assert.equal(b.byName.get('a-1.0')!.state, 'done');
    assert.equal(b.byName.get('b-1.0')!.state, 'open');
    // A name that matches no record is kept, not dropped.
    assert.equal(b.byName.get('not-in-presolve-1')!.state, 'done');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing bulklog directory is a clear error; an empty one an empty model', async () => {
  await assert.rejects(readBulklog('/nonexistent/bulklog'), (e: unknown) => e instanceof BulklogError && /\/nonexistent\/bulklog/.test((e as Error).message));
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-bulklog-'));
  try {
    const b = await readBulklog(dir);
    assert.equal(b.packages.length, 0);
    assert.ok(b.problems.some((p) => p.code === 'missing-file'));
    await writeFile(join(dir, 'file'), 'x');
    await assert.rejects(readBulklog(join(dir, 'file')), BulklogError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('log directories of packages no meta file names yet are builds under way', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-bulklog-'));
  try {
    await mkdir(join(dir, 'meta'));
    await mkdir(join(dir, 'foo-1.0'));
    await writeFile(join(dir, 'foo-1.0/pre-clean.log'), '===> Cleaning for foo-1.0\n');
    await writeFile(join(dir, 'foo-1.0/configure.log'), '');
    await writeFile(join(dir, 'foo-1.0/wrkdir.tar.gz'), '');
    await truncate(join(dir, 'foo-1.0/configure.log'), 10);
    const b = await readBulklog(dir);
    const p = b.byName.get('foo-1.0')!;
    assert.equal(p.state, 'in_processing');
    assert.equal(p.failingPhase, 'configure');
    assert.deepEqual(
      p.logs.map((l) => l.name),
      ['pre-clean.log', 'configure.log', 'wrkdir.tar.gz'],
    );
    const s = await readBulklog(dir, { skipLogs: true });
    assert.equal(s.packages.length, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a bulklog with only meta/pscan (resolution not done yet) still shows prefailed packages', async () => {
  const dir = await copyReal();
  try {
    for (const f of ['presolve', 'report', 'pbuild']) await unlink(join(dir, 'meta', f));
    await writeFile(join(dir, 'meta/success'), '');
    await writeFile(join(dir, 'meta/error'), '');
    // The last limited-scan round holds two records; add a broken one.
    const broken = [
      'PKGNAME=broken-1.0',
      'PKG_LOCATION=misc/broken',
      'ALL_DEPENDS=',
      'PKG_SKIP_REASON=',
      'PKG_FAIL_REASON="broken-1.0 is marked as broken:" "no"',
      '',
    ];
    await writeFile(join(dir, 'meta/pscan'), (await readFile(join(dir, 'meta/pscan'), 'utf8')) + broken.join('\n'));
    const b = await readBulklog(dir, { skipLogs: true });
    assert.deepEqual(b.sources, { records: 'pscan', states: 'computed' });
    assert.deepEqual(
      b.packages.map((p) => [p.pkgname, p.state, p.depth]),
      [
        ['libgpg-error-1.11', 'open', undefined],
        ['expat-2.1.0', 'open', undefined],
        ['broken-1.0', 'prefailed', undefined],
      ],
    );
    assert.deepEqual(b.byName.get('broken-1.0')!.reasons, ['broken-1.0 is marked as broken:', 'no']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
