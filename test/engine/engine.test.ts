import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/core/engine';
import type { EventName, EventPayload } from '../../src/engine/core/events';
import { parsePbuild } from '../../src/pkgsrc/bulklog';
import { loadWorkspaceConfig, makeWorkspace, writePbulkConf } from './harness';
import { pkgtoolsDir, writeMkConf } from '../fixtures/mk';
import { generateTree, type TreeManifest } from '../fixtures/generate';
import { packageMakefile, type SmallPackage } from './tree';
import { pbulkOutput } from '../fixtures/reference-data';

const tree: SmallPackage[] = [
  { path: 'lang/python27', distname: 'python27-2.7.3' },
  { path: 'lang/python26', distname: 'python26-2.6.8' },
  { path: 'devel/libfoo', distname: 'libfoo-1.0' },
  { path: 'devel/libbad', distname: 'libbad-1.0', failPhase: 'configure' },
  { path: 'devel/app', distname: 'app-1.0', depends: ['devel/libbad', 'devel/libfoo'] },
  { path: 'devel/py-bar', distname: 'bar-2.0', pkgname: '${PYPKGPREFIX}-${DISTNAME}', pythonVersions: ['27', '26'], failPhase: 'build', failOnly: 'py26-*' },
  { path: 'misc/broken', distname: 'broken-1.0', broken: 'needs porting', depends: ['devel/libfoo'] },
  { path: 'misc/needbroken', distname: 'needbroken-1.0', depends: ['misc/broken'] },
  { path: 'misc/both', distname: 'both-1.0', depends: ['misc/broken', 'devel/libbad'] },
  { path: 'misc/preclean', distname: 'preclean-1.0', failPhase: 'pre-clean' },
  { path: 'misc/deps', distname: 'deps-1.0', failPhase: 'depends', depends: ['devel/libfoo'] },
  { path: 'misc/chk', distname: 'chk-1.0', failPhase: 'checksum' },
  { path: 'misc/inst', distname: 'inst-1.0', failPhase: 'install' },
  { path: 'misc/pkg', distname: 'pkg-1.0', failPhase: 'package' },
  { path: 'misc/cln', distname: 'cln-1.0', failPhase: 'clean' },
  { path: 'misc/deinst', distname: 'deinst-1.0', failPhase: 'deinstall' },
  { path: 'misc/nodestdir', distname: 'nodestdir-1.0', destdir: 'none', depends: ['devel/libfoo'] },
];

const expected: Record<string, [string, string?]> = {
  'python27-2.7.3': ['done'],
  'python26-2.6.8': ['done'],
  'libfoo-1.0': ['done'],
  'libbad-1.0': ['failed', 'configure'],
  'app-1.0': ['indirect-failed'],
  'py27-bar-2.0': ['done'],
  'py26-bar-2.0': ['failed', 'build'],
  'broken-1.0': ['prefailed'],
  'needbroken-1.0': ['indirect-prefailed'],
  'both-1.0': ['indirect-prefailed'],
  'preclean-1.0': ['failed', 'pre-clean'],
  'deps-1.0': ['failed', 'depends'],
  'chk-1.0': ['failed', 'checksum'],
  'inst-1.0': ['failed', 'install'],
  'pkg-1.0': ['failed', 'package'],
  'cln-1.0': ['failed', 'clean'],
  'deinst-1.0': ['failed', 'deinstall'],
  'nodestdir-1.0': ['done'],
};

function record(engine: Engine): { name: EventName; payload: unknown }[] {
  const events: { name: EventName; payload: unknown }[] = [];
  engine.hub.on((name, payload) => events.push({ name, payload }));
  return events;
}

function states(bulklog: string): Record<string, string> {
  const { entries } = parsePbuild(readFileSync(join(bulklog, 'meta/pbuild'), 'utf8'), 'pbuild');
  return Object.fromEntries(entries.map((e) => [e.pkgname, e.state]));
}

test('full build: every failure class, multi-version, logs kept only for failures, reports', async (t) => {
  const ws = makeWorkspace('engine-full', tree);
  t.after(() => ws.remove());
  const engine = new Engine(await loadWorkspaceConfig(ws));
  const events = record(engine);
  // meta/success and meta/error hold a package by the time it is reported finished (and it
  // left the log directory of a success), so a kill right after loses nothing.
  const onDisk: string[] = [];
  engine.hub.on((name, payload) => {
    if (name !== 'finished') return;
    const f = payload as EventPayload<'finished'>;
    if (f.slot === undefined) return;
    const list = readFileSync(join(ws.bulklog, 'meta', f.state === 'failed' ? 'error' : 'success'), 'utf8')
      .trim()
      .split('\n');
    if (list[list.length - 1] !== f.pkgname) onDisk.push(`${f.pkgname} not yet in meta/${f.state === 'failed' ? 'error' : 'success'}`);
    if (f.state === 'done' && existsSync(join(ws.bulklog, f.pkgname))) onDisk.push(`${f.pkgname} still has its logs`);
  });
  const run = await engine.start();
  const res = await run.done;
  assert.deepEqual(onDisk, []);
  assert.equal(res.error, undefined);
  const got = states(ws.bulklog);
  assert.deepEqual(got, Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v[0]])));
  // Failed packages keep their logs, ending in the failing phase; successes keep none.
  const dirs = readdirSync(ws.bulklog).filter((d) => d !== 'meta' && !d.startsWith('.'));
  assert.deepEqual(
    dirs.sort(),
    Object.entries(expected)
      .filter(([, v]) => v[0] === 'failed')
      .map(([k]) => k)
      .sort(),
  );
  for (const [name, [state, phase]] of Object.entries(expected)) {
    if (state !== 'failed') continue;
    const logs = readdirSync(join(ws.bulklog, name)).filter((f) => f.endsWith('.log') && f !== 'work.log');
    const order = ['pre-clean', 'depends', 'checksum', 'configure', 'build', 'install', 'package', 'clean', 'deinstall'];
    const last = logs
      .map((l) => l.slice(0, -4))
      .sort((a, b) => order.indexOf(a) - order.indexOf(b))
      .pop();
    assert.equal(last, phase, `${name} fails in ${phase}`);
  }
  assert.deepEqual(
    readFileSync(join(ws.bulklog, 'meta/error'), 'utf8').trim().split('\n').sort(),
    Object.entries(expected)
      .filter(([, v]) => v[0] === 'failed')
      .map(([k]) => k)
      .sort(),
  );
  for (const f of ['status', 'pscan', 'pscan.stderr', 'presolve', 'success', 'error', 'pbuild', 'report', 'report.txt', 'report.html', 'report.dot']) {
    assert.ok(existsSync(join(ws.bulklog, 'meta', f)), f);
  }
  assert.match(readFileSync(join(ws.bulklog, 'meta/status'), 'utf8'), /^BUILD_END_ISO=/m);
  assert.match(readFileSync(join(ws.bulklog, 'meta/report.txt'), 'utf8'), /Failed to build:\s+9/);
  // Events: every package finished once, with its state; failures carry the phase and log.
  const finished = events.filter((e) => e.name === 'finished').map((e) => e.payload as EventPayload<'finished'>);
  assert.deepEqual(Object.fromEntries(finished.map((f) => [f.pkgname, f.state])), got);
  assert.equal(finished.length, Object.keys(expected).length);
  const bad = finished.find((f) => f.pkgname === 'libbad-1.0')!;
  assert.equal(bad.phase, 'configure');
  assert.equal(bad.logPath, join(ws.bulklog, 'libbad-1.0/configure.log'));
  assert.deepEqual(finished.find((f) => f.pkgname === 'app-1.0')!.causes, ['libbad-1.0']);
  const summary = events.find((e) => e.name === 'summary')!.payload as EventPayload<'summary'>;
  assert.equal(summary.counts.failed, 9);
  assert.equal(engine.status().stage, 'finished');
});

test('a second build finds everything up to date; rebuild --failed after a fix builds the failed and their dependents', async (t) => {
  const small = tree.filter((p) => ['devel/libfoo', 'devel/libbad', 'devel/app', 'misc/chk'].includes(p.path));
  const ws = makeWorkspace('engine-rebuild', small);
  t.after(() => ws.remove());
  const engine = new Engine(await loadWorkspaceConfig(ws));
  await (
    await engine.start()
  ).done;
  assert.deepEqual(states(ws.bulklog), { 'libfoo-1.0': 'done', 'libbad-1.0': 'failed', 'app-1.0': 'indirect-failed', 'chk-1.0': 'failed' });

  const events = record(engine);
  writeFileSync(join(ws.pkgsrc, 'devel/libbad/Makefile'), packageMakefile({ path: 'devel/libbad', distname: 'libbad-1.0' }));
  const rb = await engine.rebuild({ failed: true });
  assert.deepEqual(rb.reset.sort(), ['app-1.0', 'chk-1.0', 'libbad-1.0']);
  await rb.done;
  assert.deepEqual(states(ws.bulklog), { 'libfoo-1.0': 'done', 'libbad-1.0': 'done', 'app-1.0': 'done', 'chk-1.0': 'failed' });
  const started = events.filter((e) => e.name === 'started').map((e) => (e.payload as EventPayload<'started'>).pkgname);
  assert.deepEqual(started.sort(), ['app-1.0', 'chk-1.0', 'libbad-1.0']);

  // A fresh build of the same tree: binaries are current, so nothing is built and no logs appear.
  const again = record(engine);
  await (
    await engine.start({ resume: false })
  ).done;
  const fin = again.filter((e) => e.name === 'finished').map((e) => e.payload as EventPayload<'finished'>);
  assert.deepEqual(
    fin
      .filter((f) => f.state === 'done')
      .map((f) => [f.pkgname, f.upToDate])
      .sort(),
    [
      ['app-1.0', true],
      ['libbad-1.0', true],
      ['libfoo-1.0', true],
    ],
  );
  // rebuild of a done package by location builds it even though it is current.
  const forced = record(engine);
  await (
    await engine.rebuild({ packages: ['devel/libfoo'] })
  ).done;
  const f2 = forced.filter((e) => e.name === 'finished').map((e) => e.payload as EventPayload<'finished'>);
  assert.deepEqual(
    f2.map((f) => [f.pkgname, f.state, f.upToDate ?? false]),
    [['libfoo-1.0', 'done', false]],
  );
});

test('a rebuild asked for the moment a build is announced finished is taken, not refused as busy', async (t) => {
  const small = tree.filter((p) => ['devel/libfoo', 'devel/libbad'].includes(p.path));
  const ws = makeWorkspace('engine-next', small);
  t.after(() => ws.remove());
  const engine = new Engine(await loadWorkspaceConfig(ws));
  let next: Promise<unknown> | undefined;
  engine.hub.on((name, payload) => {
    if (name === 'stage' && (payload as EventPayload<'stage'>).stage === 'finished' && next === undefined) {
      next = engine.rebuild({ failed: true }).then((r) => r.done);
    }
  });
  await (
    await engine.start()
  ).done;
  assert.ok(next, 'the build was announced finished');
  await next;
  assert.deepEqual(states(ws.bulklog), { 'libfoo-1.0': 'done', 'libbad-1.0': 'failed' });
});

test("cycles and unresolvable dependencies stop the run with pbulk's message", async (t) => {
  const ws = makeWorkspace('engine-cycle', [
    { path: 'devel/a', distname: 'a-1.0', depends: ['devel/b'] },
    { path: 'devel/b', distname: 'b-1.0', depends: ['devel/a'] },
    { path: 'devel/c', distname: 'c-1.0', depends: ['gone>=1:../../devel/gone'] },
  ]);
  t.after(() => ws.remove());
  const engine = new Engine(await loadWorkspaceConfig(ws));
  const r1 = await (await engine.start({ locations: ['devel/a'] })).done;
  assert.match(r1.error ?? '', /^Cyclic dependency for package a-1.0: a-1.0 -> b-1.0 -> a-1.0/);
  const r2 = await (await engine.start({ locations: ['devel/c'], resume: false })).done;
  assert.match(r2.error ?? '', /^Unresolvable dependencies found, exiting:\ndevel\/gone$/);
  const r3 = await (await engine.start({ resume: false })).done;
  assert.match(r3.error ?? '', /Global dependency resolution failed/);
});

test('unprivileged_user: configure, build and install run as that user when the engine is root', async (t) => {
  const root = process.getuid?.() === 0;
  const user = root ? 'nobody' : userInfo().username;
  // pkg-build keeps install of a `destdir` package and package itself privileged.
  const priv = root ? 'root' : userInfo().username;
  const expect = [`FIXTURE_EXPECT_USER=${user}`, `FIXTURE_EXPECT_PRIV=${priv}`];
  const ws = makeWorkspace('engine-user', [
    { path: 'devel/lib', distname: 'lib-1.0', extra: expect },
    { path: 'devel/app', distname: 'app-1.0', depends: ['devel/lib'], destdir: 'destdir', extra: expect },
  ]);
  t.after(() => ws.remove());
  // Work directories where the unprivileged user may write, as a real setup has them.
  const work = join(ws.dir, 'work');
  mkdirSync(work);
  chmodSync(work, 0o1777);
  // The package tools where that user can run them, wherever the checkout is (a private home too).
  const tools = join(ws.dir, 'pkgtools');
  cpSync(pkgtoolsDir, tools, { recursive: true });
  writeMkConf(ws.pkgsrc, { localbase: ws.prefix, pkgDbDir: ws.pkgdb, packages: ws.packages, wrkObjDir: work, pkgInfo: join(tools, 'pkg_info') });
  writePbulkConf(ws, { unprivileged_user: 'nobody', ...Object.fromEntries(['pkg_add', 'pkg_delete', 'pkg_info'].map((t) => [t, join(tools, t)])) });
  const engine = new Engine(await loadWorkspaceConfig(ws));
  const r = await (await engine.start()).done;
  assert.equal(r.error, undefined);
  const failed = readdirSync(ws.bulklog).filter((d) => d.endsWith('-1.0'));
  const logs = failed.flatMap((d) => readdirSync(join(ws.bulklog, d)).map((f) => `${d}/${f}:\n${readFileSync(join(ws.bulklog, d, f), 'utf8')}`));
  assert.deepEqual(states(ws.bulklog), { 'lib-1.0': 'done', 'app-1.0': 'done' }, logs.join('\n'));
});

test('an engine on a bulklog written by real pbulk reports its states from the files', async (t) => {
  const ws = makeWorkspace('engine-real', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  const real = pbulkOutput.limitedBulklog;
  cpSync(join(real, 'meta'), join(ws.bulklog, 'meta'), { recursive: true });
  const engine = new Engine(await loadWorkspaceConfig(ws));
  await engine.load();
  const s = engine.status();
  assert.equal(s.total, 63);
  assert.deepEqual(
    { done: s.counts.done, failed: s.counts.failed, ind: s.counts['indirect-failed'], pre: s.counts.prefailed, indpre: s.counts['indirect-prefailed'] },
    { done: 12, failed: 17, ind: 29, pre: 4, indpre: 1 },
  );
});

test('ulimit lines of pbulk.conf limit every build step', async (t) => {
  const ws = makeWorkspace('engine-ulimit', [
    { path: 'devel/burn', distname: 'burn-1.0', extra: ['FIXTURE_BUILD_CPU_SECONDS=20'] },
    { path: 'devel/hog', distname: 'hog-1.0', extra: ['FIXTURE_BUILD_MEMORY_MB=300'] },
    { path: 'devel/calm', distname: 'calm-1.0', extra: ['FIXTURE_BUILD_MEMORY_MB=1'] },
  ]);
  t.after(() => ws.remove());
  writeFileSync(ws.conf, `${readFileSync(ws.conf, 'utf8')}ulimit -t 1\nulimit -v 100000\n`);
  const cfg = await loadWorkspaceConfig(ws);
  assert.deepEqual(cfg.limits, { cpuSeconds: 1, virtualMemoryKiB: 100000 });
  const t0 = Date.now();
  await (
    await new Engine(cfg).start()
  ).done;
  assert.ok(Date.now() - t0 < 15_000, 'the CPU limit stopped the build long before 20 s');
  assert.deepEqual(states(ws.bulklog), { 'burn-1.0': 'failed', 'hog-1.0': 'failed', 'calm-1.0': 'done' });
  assert.ok(existsSync(join(ws.bulklog, 'burn-1.0/build.log')));
  assert.match(readFileSync(join(ws.bulklog, 'hog-1.0/build.log'), 'utf8'), /memory exhausted/);
});

test('a generated pkgsrc-like tree (families, options, Python variants) scans and builds with real bmake', async (t) => {
  let manifest: TreeManifest | undefined;
  let failing = '';
  let broken = '';
  const ws = makeWorkspace('engine-gen', (root) => {
    manifest = generateTree(root, {
      packages: 30,
      seed: 7,
      customize: (pk) => {
        const plain = pk.filter((p) => p.scanned && !p.python && p.oddities.length === 0);
        failing = plain[1]!.path;
        plain[1]!.failPhase = 'build';
        broken = plain[2]!.path;
        plain[2]!.broken = 'does not build';
        const py = pk.find((p) => p.python && p.scanned);
        if (py) py.multiVersion = ['27', '26'];
      },
    });
  });
  t.after(() => ws.remove());
  const engine = new Engine(await loadWorkspaceConfig(ws));
  const r = await (await engine.start()).done;
  assert.equal(r.error, undefined);
  assert.equal(r.total, manifest!.counts.records);
  const byPath = new Map(manifest!.packages.map((p) => [p.path, p]));
  const got = states(ws.bulklog);
  for (const v of byPath.get(failing)!.variants) assert.equal(got[v], 'failed', v);
  for (const v of byPath.get(broken)!.variants) assert.equal(got[v], 'prefailed', v);
  // Everything else is built, or waits on the failed or broken one.
  const c = r.counts;
  assert.equal(c.done + c.failed + c.prefailed + c['indirect-failed'] + c['indirect-prefailed'], r.total);
  assert.equal(c.open + c.in_processing, 0);
  assert.ok(c.done >= r.total - 10);
});
