import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCache } from '../../src/pkgsrc/scan/cache';
import { assemblePscan } from '../../src/pkgsrc/scan/pscan';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { ScanRunner } from '../../src/engine/scan/runner';
import { listLocations } from '../../src/engine/scan/subdirs';
import { fullScan, limitedScan } from '../../src/engine/scan/phase';
import { limitedLocations } from '../../src/engine/scan/limited-list';
import type { EngineConfig } from '../../src/engine/config/types';
import { backdate, hostSandbox, makeWorkspace, workspaceConfig } from './harness';
import { packageMakefile, type SmallPackage } from './tree';

const tree: SmallPackage[] = [
  { path: 'lang/python27', distname: 'python27-2.7.3' },
  { path: 'lang/python26', distname: 'python26-2.6.8' },
  { path: 'devel/libfoo', distname: 'libfoo-1.0', revision: 2 },
  { path: 'devel/py-bar', distname: 'bar-2.0', pkgname: '${PYPKGPREFIX}-${DISTNAME}', pythonVersions: ['27', '26'], buildDepends: ['devel/libfoo'] },
  { path: 'devel/broken', distname: 'broken-1.0', broken: "doesn't build" },
  { path: 'misc/app', distname: 'app-3.1', depends: ['py27-bar>=2.0:../../devel/py-bar', 'devel/libfoo'] },
  { path: 'misc/unlisted', distname: 'unlisted-1.0' },
];

const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };

async function setup(name: string, packages = tree) {
  const ws = makeWorkspace(name, packages);
  const cfg = workspaceConfig(ws);
  mkdirSync(cfg.metaDir, { recursive: true });
  const box = await hostSandbox();
  const remove = ws.remove;
  ws.remove = () => {
    void box.destroy();
    remove();
  };
  return { ws, cfg, box };
}

function meta(cfg: EngineConfig, f: string): string {
  return readFileSync(join(cfg.metaDir, f), 'latin1');
}

test('full scan: locations from show-subdir-var, pscan with variants, presolve, prefailed', async (t) => {
  const { ws, cfg, box } = await setup('scan-full');
  t.after(() => ws.remove());
  const listing = await listLocations(cfg, box, env, 2);
  assert.deepEqual(listing.locations.sort(), tree.map((p) => p.path).sort());
  const runner = new ScanRunner(cfg, box, { concurrency: 2, env });
  const out = await fullScan(cfg, runner, listing.locations, listing.warnings);
  assert.equal(out.ok, true, out.error);
  const pscan = parseScan(meta(cfg, 'pscan'), { format: 'pscan' });
  assert.equal(pscan.errors, 0);
  const names = pscan.records.map((r) => r.pkgname).sort();
  assert.deepEqual(names, ['app-3.1', 'broken-1.0', 'libfoo-1.0nb2', 'py26-bar-2.0', 'py27-bar-2.0', 'python26-2.6.8', 'python27-2.7.3', 'unlisted-1.0']);
  const py26 = out.records.find((r) => r.pkgname === 'py26-bar-2.0')!;
  assert.equal(py26.location, 'devel/py-bar');
  assert.match(py26.text, /^MULTI_VERSION= PYTHON_VERSION_REQD=26$/m);
  assert.deepEqual(py26.depends, ['libfoo-1.0nb2', 'python26-2.6.8']);
  assert.deepEqual(out.records.find((r) => r.pkgname === 'app-3.1')!.depends, ['py27-bar-2.0', 'libfoo-1.0nb2']);
  assert.match(meta(cfg, 'presolve'), /PKG_FAIL_REASON="broken-1.0 is marked as broken:" doesn\\'t\\ build/);
});

test('limited scan adds the dependency closure round by round; meta/pscan holds the last round', async (t) => {
  const { ws, cfg, box } = await setup('scan-limited');
  t.after(() => ws.remove());
  const runner = new ScanRunner(cfg, box, { concurrency: 2, env });
  const out = await limitedScan(cfg, runner, ['misc/app']);
  assert.equal(out.ok, true, out.error);
  assert.deepEqual(out.records.map((r) => r.pkgname).sort(), ['app-3.1', 'libfoo-1.0nb2', 'py27-bar-2.0', 'python27-2.7.3']);
  assert.ok(out.rounds >= 3);
  assert.equal(meta(cfg, 'missing'), '');
  assert.ok(!meta(cfg, 'pscan').includes('PKGNAME=app-3.1'), 'the last round does not rescan app');
});

test('missing dependencies: limited scan is fatal with the list, full scan fails resolve or goes partial', async (t) => {
  const pk: SmallPackage[] = [
    { path: 'devel/a', distname: 'a-1.0', depends: ['nothere>=1:../../devel/nothere'] },
    { path: 'devel/b', distname: 'b-1.0' },
  ];
  const { ws, cfg, box } = await setup('scan-missing', pk);
  t.after(() => ws.remove());
  const runner = new ScanRunner(cfg, box, { concurrency: 2, env });
  const lim = await limitedScan(cfg, runner, ['devel/a']);
  assert.equal(lim.ok, false);
  assert.match(lim.error!, /^Unresolvable dependencies found, exiting:\ndevel\/nothere$/);
  assert.ok(lim.failures.some((f) => f.location === 'devel/nothere'));
  const full = await fullScan(cfg, runner, ['devel/a', 'devel/b'], []);
  assert.equal(full.ok, false);
  assert.match(full.error!, /Global dependency resolution failed/);
  assert.match(meta(cfg, 'presolve-err.log'), /No match found for dependency nothere>=1 of package a-1.0/);
  const partial = await fullScan({ ...cfg, ignoreMissingDependencies: true }, runner, ['devel/a', 'devel/b'], []);
  assert.equal(partial.ok, true);
  assert.equal(partial.records.find((r) => r.pkgname === 'a-1.0')!.depends, undefined);
});

test('scan failures are reported and the rest carries on', async (t) => {
  const pk: SmallPackage[] = [
    { path: 'devel/ok', distname: 'ok-1.0' },
    { path: 'devel/err', distname: 'err-1.0', extra: ['FIXTURE_SCAN_FAIL=yes'] },
    { path: 'devel/junk', distname: 'junk-1.0', extra: ['FIXTURE_SCAN_OUTPUT=garbage'] },
    { path: 'devel/nul', distname: 'nul-1.0', extra: ['FIXTURE_SCAN_OUTPUT=nul'] },
    // The same PKGNAME from a second location: pbulk-scan keeps the first in job order.
    { path: 'devel/ok2', distname: 'ok-1.0', pkgname: 'ok-1.0' },
  ];
  const { ws, cfg, box } = await setup('scan-fail', pk);
  t.after(() => ws.remove());
  const runner = new ScanRunner(cfg, box, { concurrency: 2, env });
  const out = await fullScan(cfg, runner, ['devel/ok', 'devel/err', 'devel/nodir', 'bad entry', 'devel/junk', 'devel/nul', 'devel/ok2'], []);
  assert.equal(out.ok, true);
  assert.deepEqual(out.failures.map((f) => f.location).sort(), ['bad entry', 'devel/err', 'devel/nodir', 'devel/nul']);
  assert.match(out.failures.find((f) => f.location === 'devel/nul')!.message, /NUL bytes/);
  assert.match(out.failures.find((f) => f.location === 'devel/err')!.message, /FIXTURE_SCAN_FAIL/);
  const stderr = meta(cfg, 'pscan.stderr');
  assert.match(stderr, /^pbulk-scan: Scan failed for devel\/err$/m);
  assert.match(stderr, /^pbulk-scan: Scan failed for devel\/nodir$/m);
  assert.match(stderr, /^pbulk-scan: pbulk-index output not recognized for devel\/junk$/m);
  assert.match(stderr, /^pbulk-scan: Duplicate package: ok-1\.0$/m);
  assert.deepEqual(
    out.records.map((r) => [r.pkgname, r.location]),
    [['ok-1.0', 'devel/ok']],
  );
});

test('a pbulk-index run past scanTimeoutMs is killed and counts as a failed scan; the others carry on', async (t) => {
  const pk: SmallPackage[] = [
    { path: 'devel/ok', distname: 'ok-1.0' },
    { path: 'devel/hang', distname: 'hang-1.0', extra: ['FIXTURE_SCAN_OUTPUT=hang'] },
  ];
  const { ws, cfg, box } = await setup('scan-timeout', pk);
  t.after(() => ws.remove());
  const quick = { ...cfg, settings: { ...cfg.settings, scanTimeoutMs: 500 } };
  const runner = new ScanRunner(quick, box, { concurrency: 2, env });
  const t0 = Date.now();
  const out = await fullScan(quick, runner, ['devel/ok', 'devel/hang'], []);
  assert.ok(Date.now() - t0 < 10_000, 'the stuck make was killed, not waited for');
  assert.equal(out.ok, true);
  assert.deepEqual(
    out.failures.map((f) => [f.location, f.message]),
    [['devel/hang', 'Scan failed for devel/hang: make pbulk-index timed out after 500 ms']],
  );
  assert.match(meta(cfg, 'pscan.stderr'), /^pbulk-scan: Scan failed for devel\/hang$/m);
  assert.deepEqual(
    out.records.map((r) => r.pkgname),
    ['ok-1.0'],
  );
});

test('incremental rescan reuses every unchanged location and rescans an edited one', async (t) => {
  const { ws, cfg, box } = await setup('scan-incr');
  t.after(() => ws.remove());
  backdate(ws.pkgsrc);
  const cache = new ScanCache(cfg.pkgsrc);
  const runner = new ScanRunner(cfg, box, { concurrency: 2, env, cache });
  const locs = tree.map((p) => p.path);
  const cold = await fullScan(cfg, runner, locs, []);
  assert.equal(cold.cached, 0);
  const cold1 = meta(cfg, 'presolve');
  const warm = await fullScan(cfg, runner, locs, []);
  assert.equal(warm.cached, locs.length);
  assert.equal(meta(cfg, 'presolve'), cold1, 'same presolve from the cache');
  writeFileSync(join(ws.pkgsrc, 'devel/libfoo/Makefile'), packageMakefile({ ...tree[2]!, revision: 3 }));
  const edited = await fullScan(cfg, runner, locs, []);
  assert.equal(edited.cached, locs.length - 1);
  assert.match(meta(cfg, 'presolve'), /^DEPENDS=libfoo-1.0nb3 python27-2.7.3$/m);
});

test('limited_list as each pbulk version reads it: duplicates dropped, bad entries reported with their line', () => {
  const text = '# base\nlang/perl5\n\nx11/gtk2  # toolkit\nlang/perl5\nwip/foo/bar\n';
  const later = limitedLocations(text, '/l', '0.68');
  assert.deepEqual(later.locations, ['lang/perl5', 'x11/gtk2']);
  assert.deepEqual(
    later.problems.map((p) => p.range.start.line),
    [5],
  );
  const old = limitedLocations(text, '/l', '0.51');
  assert.deepEqual(old.locations, ['lang/perl5']);
  assert.deepEqual(
    old.problems.map((p) => p.range.start.line),
    [3, 5],
  );
});

test('meta/pscan keeps the bytes bmake printed: UTF-8 and Latin-1 maintainers unchanged', async (t) => {
  const { ws, cfg, box } = await setup('scan-bytes', [
    { path: 'misc/utf8', distname: 'utf8-1.0', extra: ['MAINTAINER=\tJosé Núñez <jose@example.org>'] },
    { path: 'misc/latin1', distname: 'latin1-1.0' },
  ]);
  t.after(() => ws.remove());
  // A Makefile in Latin-1, as old pkgsrc files sometimes are.
  const mk = join(ws.pkgsrc, 'misc/latin1/Makefile');
  const latin1 = readFileSync(mk, 'utf8').replace('DISTNAME=', 'MAINTAINER=\tRen\u00e9 <rene@example.org>\nDISTNAME=');
  writeFileSync(mk, Buffer.from(latin1, 'latin1'));
  const runner = new ScanRunner(cfg, box, { concurrency: 2, env });
  const out = await fullScan(cfg, runner, ['misc/latin1', 'misc/utf8'], []);
  assert.equal(out.ok, true, out.error);
  const bytes = readFileSync(join(cfg.metaDir, 'pscan'));
  assert.ok(bytes.includes(Buffer.from('MAINTAINER=José Núñez <jose@example.org>\n', 'utf8')), 'UTF-8 maintainer kept');
  assert.ok(bytes.includes(Buffer.from('MAINTAINER=Ren\u00e9 <rene@example.org>\n', 'latin1')), 'Latin-1 maintainer kept');
});

test('a scan cancelled midway returns every location: the ones never started as not processed', async (t) => {
  const { ws, cfg, box } = await setup('scan-cancel');
  t.after(() => ws.remove());
  const stop = new AbortController();
  // Cancelled as the first location finishes: the pool hands out no more.
  const runner = new ScanRunner(cfg, box, { concurrency: 1, env, signal: stop.signal, onProgress: () => stop.abort() });
  const locations = tree.map((p) => p.path);
  const round = await runner.scan(locations);
  assert.equal(round.jobs.length, locations.length);
  assert.deepEqual(
    round.jobs.map((j) => j.location),
    locations,
  );
  assert.ok('output' in round.jobs[0]!);
  assert.ok(round.jobs.slice(1).every((j) => 'notProcessed' in j));
  const pscan = assemblePscan(round.jobs);
  assert.deepEqual(pscan.scanned, [locations[0]]);
  assert.deepEqual(
    pscan.messages,
    locations.slice(1).map((l) => `${l} was not processed`),
  );
});
