// Kill -9 of a process owning sandboxes (`pkgsrc-bulk sandbox create --run`, two sandboxes
// each, short commands writing into a read-write host tree) at random points, 12 times, four
// at once: before, during and after its mounts, during its commands, during its teardown (the
// engine's own builds get the 20 kills in engine.test.ts). After each kill the state files must account for every mount; at the
// end `sandbox cleanup` must leave no mount, no sandbox and an untouched host tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { listStateFiles, readState } from '../../src/engine/sandbox/state';
import { processesUsing } from '../../src/engine/sandbox/procs';
import { findTool } from '../../src/engine/sandbox/tools';
import { REPO, dropScratch, engineBundle, hostTree, mountPointsUnder, requireRoot, scratch, treeHash, assertMountsRecorded } from './fixtures';

const CLI = [process.execPath, engineBundle(), 'sandbox'];

function owner(base: string, host: string, tag: string) {
  const child = spawn(
    CLI[0]!,
    [
      ...CLI.slice(1),
      'create',
      '--base',
      base,
      '--pkgsrc',
      host,
      `${tag}-a`,
      `${tag}-b`,
      '--run',
      '--',
      '/bin/sh',
      '-c',
      `for i in 1 2 3 4 5 6; do echo $i >> ${host}/writes/${tag}-$$; sleep 0.03; done`,
    ],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

async function firstStateFile(base: string, tag: string, limitMs: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    if (existsSync(base) && readdirSync(base).some((n) => n.startsWith(`.${tag}-`))) return Date.now();
    await new Promise((r) => setTimeout(r, 3));
  }
  return Date.now();
}

test('kill -9 of the owner at random points, 12 times, then cleanup: canary and host tree intact, nothing left', { timeout: 240_000 }, async () => {
  requireRoot();
  const s = scratch('kill9');
  try {
    const host = hostTree(`${s}/host`);
    mkdirSync(`${host}/writes`);
    const base = `${s}/base`;
    const skipWrites = (rel: string) => rel === '/writes' || rel.startsWith('/writes/');
    const before = treeHash(host, skipWrites);

    // One run left alone: it must clean up after itself, and tells how long a run takes.
    const t0 = Date.now();
    const clean = owner(base, host, 'clean');
    const seen = await firstStateFile(base, 'clean', 60_000);
    assert.equal(await clean.exited, 0, clean.stderr());
    const active = Date.now() - seen;
    assert.deepEqual(mountPointsUnder(base), []);
    assert.deepEqual(await listStateFiles(base), []);
    const startup = seen - t0;

    let killed = 0;
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 4 }, async (_v, k) => {
          const tag = `r${round}k${k}`;
          const o = owner(base, host, tag);
          // Mostly while sandboxes exist (create, commands, teardown); sometimes before any.
          if (Math.random() < 0.15) await new Promise((r) => setTimeout(r, Math.random() * startup));
          else {
            await firstStateFile(base, tag, 60_000);
            await new Promise((r) => setTimeout(r, Math.random() * active * 1.2));
          }
          o.child.kill('SIGKILL');
          await o.exited;
          killed++;
        }),
      );
      await assertMountsRecorded(base);
    }
    assert.equal(killed, 12);

    const cleanup = spawnSync(CLI[0]!, [...CLI.slice(1), 'cleanup', '--base', base], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    assert.equal(cleanup.status, 0, `cleanup failed:\n${cleanup.stdout}\n${cleanup.stderr}`);
    assert.deepEqual(mountPointsUnder(s), [], 'no mount left');
    assert.deepEqual(await listStateFiles(base), [], 'no sandbox left');
    assert.deepEqual(
      readdirSync(base).filter((n) => n !== '.pkgsrc-bulk-snapshots'),
      [],
    );
    assert.deepEqual(await processesUsing(base), [], 'nothing runs inside any more');
    assert.ok(existsSync(`${host}/CANARY`));
    assert.equal(treeHash(host, skipWrites), before, 'the host tree is intact');
  } finally {
    // Whatever a failed assertion left, cleanup must be able to take it before the scratch goes.
    spawnSync(CLI[0]!, [...CLI.slice(1), 'cleanup', '--base', `${s}/base`], { cwd: REPO, timeout: 120_000 });
    await dropScratch(s);
  }
});

test('kill -9 the moment the mounts are made: every one is already in the state file, and cleanup removes them', async () => {
  requireRoot();
  const s = scratch('kill9');
  try {
    const host = hostTree(`${s}/host`);
    const before = treeHash(host);
    const base = `${s}/base`;
    // A `mount` first in PATH that does the real batch mount, then kills its caller: the owner
    // dies after the kernel made the mounts and before it can write another line.
    mkdirSync(`${s}/bin`);
    writeFileSync(
      `${s}/bin/mount`,
      ['#!/bin/sh', `${findTool('mount')} "$@"; rc=$?`, 'case " $* " in *" --all "*) kill -9 $PPID;; esac', 'exit $rc', ''].join('\n'),
    );
    chmodSync(`${s}/bin/mount`, 0o755);
    const child = spawn(CLI[0]!, [...CLI.slice(1), 'create', '--base', base, '--pkgsrc', host, 'cut', '--run', '--', 'true'], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PATH: `${s}/bin:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const [, signal] = await new Promise<[number | null, string | null]>((r) => child.once('exit', (c, sig) => r([c, sig])));
    assert.equal(signal, 'SIGKILL', `the owner was not killed at its mounts:\n${stderr}`);
    assert.ok(mountPointsUnder(`${base}/cut`).length > 5, 'the mounts were made');
    const [file] = await listStateFiles(base);
    assert.ok(file, 'the sandbox has a state file');
    assert.equal(
      (await readState(file))!.steps.some((x) => x.kind === 'mounted'),
      false,
      'killed before the mounts were confirmed',
    );
    await assertMountsRecorded(base);

    const cleanup = spawnSync(CLI[0]!, [...CLI.slice(1), 'cleanup', '--base', base], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    assert.equal(cleanup.status, 0, `cleanup failed:\n${cleanup.stdout}\n${cleanup.stderr}`);
    assert.deepEqual(mountPointsUnder(s), [], 'no mount left');
    assert.deepEqual(await listStateFiles(base), [], 'no sandbox left');
    assert.equal(treeHash(host), before, 'the host tree is intact');
  } finally {
    spawnSync(CLI[0]!, [...CLI.slice(1), 'cleanup', '--base', `${s}/base`], { cwd: REPO, timeout: 60_000 });
    await dropScratch(s);
  }
});
