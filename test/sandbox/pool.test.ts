// SandboxPool: slots handed out and waited for, all-or-nothing creation, and teardown on
// SIGINT/SIGTERM before the process exits (through the CLI, a real separate process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { SandboxPool } from '../../src/engine/sandbox/pool';
import { NoneBackend } from '../../src/engine/sandbox/none';
import { ChrootBackend } from '../../src/engine/sandbox/chroot';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { openRunSandboxes, planSandboxes } from '../../src/engine/sandbox/index';
import { listStateFiles, readState } from '../../src/engine/sandbox/state';
import { processesUsing } from '../../src/engine/sandbox/procs';
import { REPO, dropScratch, engineBundle, hostTree, mountPointsUnder, requireRoot, scratch, specFor, withScratch } from './fixtures';

test('slots: acquire waits for a release, an abort cancels the wait, destroyAll ends every wait', async () => {
  const pool = await SandboxPool.create(new NoneBackend({ warn: () => undefined }), [specFor('/x/a', []), specFor('/x/b', [])], { warn: () => undefined });
  assert.equal(pool.size, 1, 'the none backend has one slot whatever is asked');
  const a = await pool.acquire();
  let second: unknown;
  const waiting = pool.acquire().then((s) => (second = s));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(second, undefined);
  pool.release(a);
  await waiting;
  assert.equal(second, a);
  const ac = new AbortController();
  const aborted = pool.acquire(ac.signal);
  ac.abort(new Error('stop waiting'));
  await assert.rejects(aborted, /stop waiting/);
  const last = pool.acquire();
  const closing = pool.destroyAll();
  await assert.rejects(last, /shutting down/);
  await closing;
  await assert.rejects(pool.acquire(), /shutting down/);
  assert.equal(await pool.use(async () => 1).catch(() => 'refused'), 'refused');
});

test('create is all or nothing: one bad spec, and the sandboxes already made are removed', async () => {
  requireRoot();
  const s = scratch('pool');
  try {
    const host = hostTree(`${s}/host`);
    const be = new ChrootBackend({ warn: () => undefined });
    const specs = [specFor(`${s}/base/p1`, [host]), specFor(`${s}/base/p2`, [host]), specFor(`${s}/base/p3`, [s])];
    await assert.rejects(SandboxPool.create(be, specs), (e: unknown) => e instanceof SandboxError && e.code === 'bad-spec');
    assert.deepEqual(mountPointsUnder(s), []);
    assert.deepEqual(readdirSync(`${s}/base`).filter((n) => !n.startsWith('.pkgsrc-bulk-snapshots')), []);
    const pool = await SandboxPool.create(be, specs.slice(0, 2));
    const roots = await Promise.all([pool.use(async (sb) => sb.root), pool.use(async (sb) => sb.root)]);
    assert.equal(new Set(roots).size, 2);
    await pool[Symbol.asyncDispose]();
    assert.deepEqual(mountPointsUnder(s), []);
  } finally {
    await dropScratch(s);
  }
});

for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  test(`${signal} to a process owning sandboxes: they are torn down before it exits (${code})`, async () => {
    requireRoot();
    const s = scratch('pool');
    try {
      const host = hostTree(`${s}/host`);
      const base = `${s}/base`;
      const child = spawn(process.execPath, [engineBundle(), 'sandbox', 'create', '--base', base, '--pkgsrc', host, 'g1', 'g2', '--run', '--', 'sleep', '60'], {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      // Wait until both sandboxes are mounted and their commands run.
      for (let i = 0; i < 2000; i++) {
        const files = await listStateFiles(base);
        const mounted = await Promise.all(files.map(async (f) => (await readState(f))?.steps.some((x) => x.kind === 'mounted')));
        if (files.length === 2 && mounted.every(Boolean) && (await processesUsing(base)).length >= 2) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok((await processesUsing(base)).length >= 2, `the commands did not start: ${stderr}`);
      child.kill(signal);
      assert.equal(await exited, code, stderr);
      assert.deepEqual(mountPointsUnder(s), []);
      assert.deepEqual(await listStateFiles(base), []);
      assert.equal(existsSync(`${base}/g1`) || existsSync(`${base}/g2`), false);
      assert.deepEqual(await processesUsing(base), []);
    } finally {
      await dropScratch(s);
    }
  });
}

test('openRunSandboxes: scan and build slots named from chroot_dir, made together, removed together; none shares one host slot', async () => {
  requireRoot();
  await withScratch('pool', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const run = await openRunSandboxes({
      plan: { chrootDir: `${s}/chroot/pkgsrc-test`, buildChroots: 2, scanProcs: 1, uid: 0 },
      content: { pkgsrc: host, prefix: '/usr/pkg', pkgdb: '/usr/pkg/pkgdb' },
      warn: () => undefined,
    });
    [...run.scan, ...run.build].map(keep);
    assert.equal(run.plan.backend, 'chroot');
    assert.deepEqual(run.scan.map((b) => b.root), [`${s}/chroot/pkgsrc-test-scan-1`]);
    assert.deepEqual(run.build.map((b) => b.root), [`${s}/chroot/pkgsrc-test-build-1`, `${s}/chroot/pkgsrc-test-build-2`]);
    const r = await run.build[1]!.exec(['ls', '-d', host, '/usr/pkg/pkgdb'], { env: { PATH: '/usr/bin:/bin' }, cwd: '/', capture: true });
    assert.equal(r.stdout, `/usr/pkg/pkgdb\n${host}\n`);
    await run.destroy();
    assert.deepEqual(mountPointsUnder(s), []);
    assert.deepEqual(await listStateFiles(`${s}/chroot`), []);

    const moved = planSandboxes({ chrootDir: '/chroot/pkgsrc-2013Q4', base: `${s}/elsewhere`, uid: 0 });
    assert.deepEqual(moved.buildRoots, [`${s}/elsewhere/pkgsrc-2013Q4-build-1`]);

    const host1 = await openRunSandboxes({ plan: { buildChroots: 4 }, content: {}, warn: () => undefined });
    assert.equal(host1.plan.backend, 'none');
    assert.equal(host1.scan[0], host1.build[0]);
    assert.equal(host1.build.length, 1);
    await host1.destroy();
  });
});
