import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackageBuild, removeLogDir, type BuildOutcome } from '../../src/engine/builder/builder';
import type { BuildJob } from '../../src/engine/builder/job';
import type { EngineConfig } from '../../src/engine/config/types';
import { hostSandbox, makeWorkspace, workspaceConfig } from './harness';
import { packageMakefile, type SmallPackage } from './tree';

const pkgs: SmallPackage[] = [
  { path: 'devel/libfoo', distname: 'libfoo-1.0' },
  { path: 'devel/app', distname: 'app-2.0', revision: 1, depends: ['devel/libfoo'] },
  { path: 'devel/bad', distname: 'bad-1.0', failPhase: 'build' },
  { path: 'devel/keep', distname: 'keep-1.0', failPhase: 'install' },
];

function job(pkgname: string, location: string, depends: string[] = []): BuildJob {
  return { pkgname, location, depends, makeFlags: [], useDestdir: 'user-destdir', bootstrapPkg: false, usergroupPhase: '', text: '' };
}

async function build(cfg: EngineConfig, j: BuildJob, phases: string[] = []): Promise<BuildOutcome> {
  const sandbox = await hostSandbox();
  try {
    return await new PackageBuild(cfg, { sandbox, index: 0 }, j, { phase: (p) => phases.push(p) }).run();
  } finally {
    await sandbox.destroy();
  }
}

test('pkg-build sequence: build, up to date, failure with kept logs, archives', async (t) => {
  const ws = makeWorkspace('builder', pkgs);
  t.after(() => ws.remove());
  const cfg = workspaceConfig(ws);

  const phases: string[] = [];
  assert.deepEqual(await build(cfg, job('libfoo-1.0', 'devel/libfoo'), phases), { kind: 'built', phase: 'deinstall' });
  assert.deepEqual(phases, ['pre-clean', 'checksum', 'configure', 'build', 'install', 'package', 'clean', 'deinstall']);
  assert.ok(existsSync(join(ws.packages, 'All/libfoo-1.0.tgz')));
  // Logs stay until the caller has recorded the outcome; then retention removes them.
  assert.ok(existsSync(join(ws.bulklog, 'libfoo-1.0/build.log')));
  removeLogDir(cfg, 'libfoo-1.0');

  const appPhases: string[] = [];
  assert.equal((await build(cfg, job('app-2.0nb1', 'devel/app', ['libfoo-1.0']), appPhases)).kind, 'built');
  assert.ok(appPhases.includes('depends'));
  assert.match(readFileSync(join(ws.bulklog, 'app-2.0nb1/depends.log'), 'utf8'), /installed libfoo-1.0/);
  assert.match(readFileSync(join(ws.bulklog, 'app-2.0nb1/configure.log'), 'utf8'), /Build dependency libfoo-\[0-9\]\*: found/);
  removeLogDir(cfg, 'app-2.0nb1');

  // Second time: both current, no logs.
  assert.deepEqual(await build(cfg, job('libfoo-1.0', 'devel/libfoo')), { kind: 'up-to-date' });
  assert.deepEqual(await build(cfg, job('app-2.0nb1', 'devel/app', ['libfoo-1.0'])), { kind: 'up-to-date' });
  assert.ok(!existsSync(join(ws.bulklog, 'app-2.0nb1')));

  // A changed RCS ID in the tree makes the package stale; a newer dependency does too.
  writeFileSync(join(ws.pkgsrc, 'devel/app/Makefile'), packageMakefile({ ...pkgs[1]!, rcsRevision: 2 }));
  assert.equal((await build(cfg, job('app-2.0nb1', 'devel/app', ['libfoo-1.0']))).kind, 'built');
  removeLogDir(cfg, 'app-2.0nb1');
  assert.equal((await build(cfg, job('libfoo-1.0', 'devel/libfoo', []), [])).kind, 'up-to-date');
  assert.equal((await build(cfg, { ...job('libfoo-1.0', 'devel/libfoo'), force: true })).kind, 'built');
  removeLogDir(cfg, 'libfoo-1.0');
  // skip_age_check=yes: a dependency newer than the package does not make it stale.
  assert.equal((await build(workspaceConfig(ws, { skipAgeCheck: true }), job('app-2.0nb1', 'devel/app', ['libfoo-1.0']))).kind, 'up-to-date');
  assert.equal((await build(cfg, job('app-2.0nb1', 'devel/app', ['libfoo-1.0']))).kind, 'built');
  removeLogDir(cfg, 'app-2.0nb1');
  // A dependency that is no longer in DEPENDS makes it stale as well; built without it,
  // the dependency check of configure stops it (DEPENDS_TARGET=/nonexistent).
  const noDep = await build(cfg, job('app-2.0nb1', 'devel/app', []));
  assert.equal(noDep.kind === 'failed' && noDep.phase, 'configure');

  const bad = await build(cfg, job('bad-1.0', 'devel/bad'));
  assert.deepEqual(bad, { kind: 'failed', phase: 'build', logPath: join(ws.bulklog, 'bad-1.0/build.log') });
  assert.deepEqual(readdirSync(join(ws.bulklog, 'bad-1.0')).sort(), ['build.log', 'checksum.log', 'configure.log', 'pre-clean.log', 'work.log']);
  assert.match(readFileSync(bad.kind === 'failed' ? bad.logPath : '', 'utf8'), /bad\.c:12:5: error: 'undeclared_symbol' undeclared/);
  assert.ok(!existsSync(join(ws.pkgsrc, 'devel/bad/work')), 'cleanup ran make clean');

  const keep = workspaceConfig(ws, { keepWrkdir: true, keepPrefix: true });
  assert.equal((await build(keep, job('keep-1.0', 'devel/keep'))).kind, 'failed');
  const kept = readdirSync(join(ws.bulklog, 'keep-1.0'));
  assert.ok(kept.includes('wrkdir.tar.gz') && kept.includes('prefix.tar.gz'), kept.join(' '));
});

test('cancel stops the running phase and reports cancelled', async (t) => {
  const ws = makeWorkspace('builder-cancel', [{ path: 'devel/slow', distname: 'slow-1.0', buildSeconds: 30 }]);
  t.after(() => ws.remove());
  const cfg = workspaceConfig(ws);
  const sandbox = await hostSandbox();
  t.after(() => sandbox.destroy());
  const ac = new AbortController();
  const t0 = Date.now();
  const run = new PackageBuild(
    cfg,
    { sandbox, index: 0 },
    job('slow-1.0', 'devel/slow'),
    {
      phase: (p) => {
        if (p === 'build') setTimeout(() => ac.abort(), 200);
      },
    },
    ac.signal,
  ).run();
  assert.deepEqual(await run, { kind: 'cancelled' });
  assert.ok(Date.now() - t0 < 10_000);
});

test('a phase that runs past phaseTimeoutMs is killed and the package fails there, saying why', async (t) => {
  const ws = makeWorkspace('builder-timeout', [{ path: 'devel/hang', distname: 'hang-1.0', buildSeconds: 30 }]);
  t.after(() => ws.remove());
  const cfg = workspaceConfig(ws, {}, { phaseTimeoutMs: 700 });
  const t0 = Date.now();
  const out = await build(cfg, job('hang-1.0', 'devel/hang'));
  assert.ok(Date.now() - t0 < 15_000);
  assert.equal(out.kind === 'failed' && out.phase, 'build');
  assert.match(readFileSync(join(ws.bulklog, 'hang-1.0/build.log'), 'utf8'), /pkgsrc-bulk: .* killed after 700 ms \(phaseTimeoutMs\)/);
});

test('client-clean wipes the prefix and restores the bootstrap kit (a tarball or a directory) before each package', async (t) => {
  const ws = makeWorkspace('builder-kit', [{ path: 'devel/libfoo', distname: 'libfoo-1.0' }]);
  t.after(() => ws.remove());
  const kitRoot = join(ws.dir, 'kit-root');
  mkdirSync(join(kitRoot, ws.prefix.slice(1), 'etc'), { recursive: true });
  writeFileSync(join(kitRoot, ws.prefix.slice(1), 'etc/mk.conf'), '# from the kit\n');
  const tarball = join(ws.dir, 'bootstrap.tar.gz');
  execFileSync('tar', ['-czf', tarball, '-C', kitRoot, ws.prefix.slice(1)]);
  mkdirSync(ws.prefix, { recursive: true });
  writeFileSync(join(ws.prefix, 'leftover'), 'from an earlier build\n');
  assert.equal((await build(workspaceConfig(ws, { bootstrapKit: tarball }), job('libfoo-1.0', 'devel/libfoo'))).kind, 'built');
  assert.ok(existsSync(join(ws.prefix, 'etc/mk.conf')));
  assert.ok(!existsSync(join(ws.prefix, 'leftover')));
  removeLogDir(workspaceConfig(ws), 'libfoo-1.0');
  const dirKit = join(ws.dir, 'kit-dir');
  mkdirSync(join(dirKit, 'share'), { recursive: true });
  writeFileSync(join(dirKit, 'share/marker'), 'x\n');
  assert.equal((await build(workspaceConfig(ws, { bootstrapKit: dirKit }), { ...job('libfoo-1.0', 'devel/libfoo'), force: true })).kind, 'built');
  assert.ok(existsSync(join(ws.prefix, 'share/marker')));
  assert.ok(!existsSync(join(ws.prefix, 'etc/mk.conf')));
});
