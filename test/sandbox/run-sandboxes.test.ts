// RunSandboxes, the one owner of a process's sandboxes: all-or-nothing creation, teardown by
// `await using` on leaving a block, and on SIGINT/SIGTERM before the process exits (through
// the CLI, a real separate process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { NoneBackend } from '../../src/engine/sandbox/backends/none';
import { ChrootBackend } from '../../src/engine/sandbox/backends/chroot';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { RunSandboxes, planSandboxes } from '../../src/engine/sandbox/index';
import { listStateFiles, readState } from '../../src/engine/sandbox/state';
import { processesUsing } from '../../src/engine/sandbox/procs';
import { REPO, dropScratch, engineBundle, hostTree, mountPointsUnder, requireRoot, scratch, specFor, withScratch } from './fixtures';

test('destroy is idempotent, and nothing more is made once it has begun', async () => {
  const run = await RunSandboxes.create(new NoneBackend({ warn: () => undefined }), [specFor('/x/a', []), specFor('/x/b', [])], { warn: () => undefined });
  assert.equal(run.all.length, 1, 'the none backend has one slot whatever is asked');
  assert.equal(run.build[0], run.all[0]);
  const first = run.destroy();
  assert.equal(run.destroy(), first);
  await first;
  await assert.rejects(run.openBuild(), /being removed/);
});

test('create is all or nothing: one bad spec, and the sandboxes already made are removed', async () => {
  requireRoot();
  const s = scratch('pool');
  try {
    const host = hostTree(`${s}/host`);
    const be = new ChrootBackend({ warn: () => undefined });
    const specs = [specFor(`${s}/base/p1`, [host]), specFor(`${s}/base/p2`, [host]), specFor(`${s}/base/p3`, [s])];
    await assert.rejects(RunSandboxes.create(be, specs), (e: unknown) => e instanceof SandboxError && e.code === 'bad-spec');
    assert.deepEqual(mountPointsUnder(s), []);
    assert.deepEqual(
      readdirSync(`${s}/base`).filter((n) => !n.startsWith('.pkgsrc-bulk-snapshots')),
      [],
    );
    {
      await using run = await RunSandboxes.create(be, specs.slice(0, 2));
      assert.equal(new Set(run.build.map((b) => b.root)).size, 2);
      assert.notDeepEqual(mountPointsUnder(s), []);
    }
    assert.deepEqual(mountPointsUnder(s), [], 'leaving the block tore them down');
  } finally {
    await dropScratch(s);
  }
});

for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
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

test('RunSandboxes.open: scan and build slots named from chroot_dir, made together, removed together; none shares one host slot', async () => {
  requireRoot();
  await withScratch('pool', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const run = await RunSandboxes.open({
      plan: { chrootDir: `${s}/chroot/pkgsrc-test`, buildChroots: 2, scanProcs: 1, uid: 0 },
      content: { pkgsrc: host, prefix: '/usr/pkg', pkgdb: '/usr/pkg/pkgdb' },
      warn: () => undefined,
    });
    [...run.scan, ...run.build].map(keep);
    assert.equal(run.backendName, 'chroot');
    assert.deepEqual(
      run.scan.map((b) => b.root),
      [`${s}/chroot/pkgsrc-test-scan-1`],
    );
    assert.deepEqual(
      run.build.map((b) => b.root),
      [`${s}/chroot/pkgsrc-test-build-1`, `${s}/chroot/pkgsrc-test-build-2`],
    );
    const r = await run.build[1]!.exec(['ls', '-d', host, '/usr/pkg/pkgdb'], { env: { PATH: '/usr/bin:/bin' }, cwd: '/', capture: true });
    assert.equal(r.stdout, `/usr/pkg/pkgdb\n${host}\n`);
    await run.destroy();
    assert.deepEqual(mountPointsUnder(s), []);
    assert.deepEqual(await listStateFiles(`${s}/chroot`), []);

    const moved = planSandboxes({ chrootDir: '/chroot/pkgsrc-2013Q4', base: `${s}/elsewhere`, uid: 0 });
    assert.deepEqual(moved.buildRoots, [`${s}/elsewhere/pkgsrc-2013Q4-build-1`]);

    const host1 = await RunSandboxes.open({ plan: { buildChroots: 4 }, content: {}, warn: () => undefined });
    assert.equal(host1.backendName, 'none');
    assert.equal(host1.scan[0], host1.build[0]);
    assert.equal(host1.build.length, 1);
    await host1.destroy();
  });
});
