// A systemic failure stops the build with one problem and leaves it resumable; distfiles that
// cannot be fetched are each package's own failure, never systemic; without a network a missing
// distfile fails at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/core/engine';
import type { EventPayload } from '../../src/engine/core/events';
import { outcomeCode } from '../../src/engine/cli/run';
import { EXIT } from '../../src/protocol/exit';
import { fetchDistfiles } from '../../src/engine/fetch/distfiles';
import { parsePbuild } from '../../src/pkgsrc/bulklog';
import { hostSandbox, loadWorkspaceConfig, makeWorkspace, workspaceConfig } from './harness';
import { packageMakefile, type SmallPackage } from './tree';

const failing = (n: number): SmallPackage[] =>
  Array.from({ length: n }, (_, i) => ({ path: `devel/lib${i}`, distname: `lib${i}-1.0`, failPhase: 'configure' }));

test('the first five packages failing alike in configure stop the build: one error on pbulk.conf, exit 4, and the build resumes after the fix', async (t) => {
  const tree = [...failing(8), { path: 'misc/app', distname: 'app-1.0', depends: ['devel/lib0'] }];
  const ws = makeWorkspace('systemic', tree, { build_chroots: '1' });
  t.after(() => ws.remove());
  const engine = new Engine(await loadWorkspaceConfig(ws));
  const errors: EventPayload<'error'>[] = [];
  let started = 0;
  engine.hub.on((name, p) => {
    if (name === 'error') errors.push(p as EventPayload<'error'>);
    if (name === 'started') started++;
  });
  const res = await (await engine.start()).done;
  assert.equal(res.systemic, true);
  assert.equal(outcomeCode(res), EXIT.systemic);
  assert.match(
    res.error ?? '',
    /^every build fails in configure: configure: error: C compiler cannot create executables \(the first 5 packages to finish all failed there alike: lib\d-1\.0, /,
  );
  assert.equal(started, 5, 'nothing started after the fifth');
  const one = errors.filter((e) => e.code === 'systemic-failure');
  assert.equal(one.length, 1);
  const makeLine = readFileSync(ws.conf, 'utf8')
    .split('\n')
    .findIndex((l) => l.startsWith('make='));
  assert.deepEqual(one[0]!.location, { file: ws.conf, line: makeLine, character: 0 });
  assert.equal(readFileSync(join(ws.bulklog, 'meta/error'), 'utf8'), '', 'the packages that failed alike are open again');

  // The cause fixed, the same build carries on where it stopped and builds everything.
  for (const p of tree) writeFileSync(join(ws.pkgsrc, p.path, 'Makefile'), packageMakefile({ ...p, failPhase: undefined } as SmallPackage));
  const again = await engine.start();
  assert.equal(again.resumed, true);
  const res2 = await again.done;
  assert.equal(res2.error, undefined);
  const { entries } = parsePbuild(readFileSync(join(ws.bulklog, 'meta/pbuild'), 'utf8'), 'pbuild');
  assert.deepEqual(new Set(entries.map((e) => e.state)), new Set(['done']));
});

test("distfiles that cannot be fetched are each package's failure in checksum, never systemic, however many", async (t) => {
  const tree: SmallPackage[] = Array.from({ length: 6 }, (_, i) => ({
    path: `net/get${i}`,
    distname: `get${i}-1.0`,
    distfiles: [`get${i}-1.0.tar.gz`],
    masterSites: ['http://ftp.example.org/pub/'],
  }));
  const ws = makeWorkspace('fetchfail', tree, { build_chroots: '1' });
  t.after(() => ws.remove());
  const res = await (await new Engine(await loadWorkspaceConfig(ws)).start()).done;
  assert.equal(res.systemic, undefined);
  assert.equal(res.counts.failed, 6);
  for (let i = 0; i < 6; i++)
    assert.match(readFileSync(join(ws.bulklog, `get${i}-1.0/checksum.log`), 'utf8'), new RegExp(`Unable to fetch expected file get${i}-1\\.0\\.tar\\.gz`));
});

test('with no network at all a missing distfile fails at once, without running the fetch; one already there is fine', async (t) => {
  const tree: SmallPackage[] = [
    { path: 'net/gone', distname: 'gone-1.0', distfiles: ['gone-1.0.tar.gz'], masterSites: ['http://ftp.example.org/pub/'] },
    { path: 'net/here', distname: 'here-1.0', distfiles: ['here-1.0.tar.gz'], masterSites: ['http://ftp.example.org/pub/'] },
    { path: 'devel/none', distname: 'none-1.0' },
  ];
  const ws = makeWorkspace('offline', tree);
  t.after(() => ws.remove());
  const cfg = workspaceConfig(ws);
  const box = await hostSandbox();
  t.after(() => box.destroy());
  const distdir = join(ws.pkgsrc, 'distfiles');
  mkdirSync(distdir);
  writeFileSync(join(distdir, 'here-1.0.tar.gz'), 'x');
  const t0 = Date.now();
  const r = await fetchDistfiles(
    tree.map((p) => ({ pkgname: p.distname, location: p.path, makeFlags: [] })),
    { cfg, box, env: { PATH: cfg.settings.path }, concurrency: 2, online: false },
  );
  assert.deepEqual([...r.failures.keys()], ['gone-1.0']);
  assert.equal(
    r.failures.get('gone-1.0'),
    `pkgsrc-bulk: this host has no network (no default route): gone-1.0.tar.gz is not in DISTDIR=${distdir} and cannot be fetched`,
  );
  assert.equal(existsSync(join(distdir, 'gone-1.0.tar.gz')), false);
  assert.ok(Date.now() - t0 < 30_000);
});
