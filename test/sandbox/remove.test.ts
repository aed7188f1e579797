// The one function that deletes: every refusal here guards a way `rm -rf` has deleted host
// files under a sandbox. Mounts are binds of our own scratch dirs and tmpfs only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import fc from 'fast-check';
import { checkSameFileSystem, removeTree } from '../../src/engine/sandbox/remove';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { dropScratch, hostTree, mountPointsUnder, requireRoot, scratch, treeHash } from './fixtures';

function sh(cmd: string, ...args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

function unmountAll(dir: string): void {
  for (let i = 0; i < 10; i++) {
    const points = mountPointsUnder(dir).reverse();
    if (points.length === 0) return;
    for (const p of points) spawnSync('umount', [p]);
  }
}

test('deletes files, dirs and symlinks, never what a symlink points to', async () => {
  const s = scratch('rm');
  try {
    const canary = hostTree(`${s}/host`);
    const before = treeHash(canary);
    mkdirSync(`${s}/base/victim/a/b`, { recursive: true });
    writeFileSync(`${s}/base/victim/a/b/file`, 'x');
    symlinkSync(canary, `${s}/base/victim/link-to-host`);
    symlinkSync(`${canary}/CANARY`, `${s}/base/victim/a/link-to-file`);
    mkdirSync(`${s}/base/victim/ro/inner`, { recursive: true });
    writeFileSync(`${s}/base/victim/ro/inner/f`, 'x');
    chmodSync(`${s}/base/victim/ro/inner`, 0o555);
    chmodSync(`${s}/base/victim/ro`, 0o000);
    const r = await removeTree(`${s}/base/victim`, `${s}/base`);
    assert.equal(r.removed, 9);
    assert.equal(existsSync(`${s}/base/victim`), false);
    assert.equal(treeHash(canary), before);
  } finally {
    await dropScratch(s);
  }
});

test('refuses paths outside the base, through a symlinked parent, and the base itself', async () => {
  const s = scratch('rm');
  try {
    const canary = hostTree(`${s}/host`);
    mkdirSync(`${s}/base`);
    symlinkSync(canary, `${s}/base/via-link`);
    await assert.rejects(
      removeTree(canary, `${s}/base`),
      (e: unknown) => e instanceof SandboxError && e.code === 'unsafe-path' && /not inside the sandbox base/.test(e.message),
    );
    await assert.rejects(
      removeTree(`${s}/base/via-link/sub`, `${s}/base`),
      (e: unknown) => e instanceof SandboxError && e.code === 'unsafe-path' && /symlink/.test(e.message),
    );
    await assert.rejects(removeTree(`${s}/base`, `${s}/base`), (e: unknown) => e instanceof SandboxError && e.code === 'unsafe-path');
    await assert.rejects(removeTree(`${s}/base/../host`, `${s}/base`), (e: unknown) => e instanceof SandboxError);
    // A symlink in the sandbox's own slot is unlinked, its target left alone.
    assert.deepEqual(await removeTree(`${s}/base/via-link`, `${s}/base`), { removed: 1 });
    assert.ok(existsSync(`${canary}/CANARY`));
  } finally {
    await dropScratch(s);
  }
});

test('refuses when a bind mount of the same disk is still below: host files survive', async () => {
  requireRoot();
  const s = scratch('rm');
  try {
    const canary = hostTree(`${s}/host`);
    const before = treeHash(canary);
    mkdirSync(`${s}/base/victim/usr/pkgsrc`, { recursive: true });
    writeFileSync(`${s}/base/victim/own-file`, 'x');
    sh('mount', '--bind', canary, `${s}/base/victim/usr/pkgsrc`);
    await assert.rejects(
      removeTree(`${s}/base/victim`, `${s}/base`),
      (e: unknown) => e instanceof SandboxError && e.code === 'busy' && e.message.includes(`${s}/base/victim/usr/pkgsrc`),
    );
    assert.ok(existsSync(`${s}/base/victim/own-file`), 'nothing deleted once a mount is seen');
    assert.equal(treeHash(canary), before);
    sh('mount', '--bind', canary, `${s}/base/victim`);
    unmountAll(`${s}/base/victim/usr`);
    await assert.rejects(removeTree(`${s}/base/victim`, `${s}/base`), (e: unknown) => e instanceof SandboxError && e.code === 'busy');
    assert.equal(treeHash(canary), before);
  } finally {
    unmountAll(s);
    await dropScratch(s);
  }
});

/** A tree of 30 dirs x 60 files: the walker yields between batches, which lets a test mount mid-walk. */
function bigTree(dir: string): void {
  for (let d = 0; d < 30; d++) {
    mkdirSync(`${dir}/d${d}`, { recursive: true });
    for (let f = 0; f < 60; f++) writeFileSync(`${dir}/d${d}/f${f}`, '');
  }
}

function filesLeft(dir: string): number {
  let n = 0;
  for (const d of readdirSync(dir)) n += readdirSync(`${dir}/${d}`).length;
  return n;
}

async function mountMidWalk(victim: string, mountOn: (dir: string) => void): Promise<unknown> {
  const p = removeTree(victim, victim.replace(/\/[^/]+$/, ''));
  let outcome: unknown = 'resolved';
  p.catch((e: unknown) => {
    outcome = e;
  });
  for (let i = 0; i < 10_000 && filesLeft(victim) === 1800; i++) await new Promise((r) => setImmediate(r));
  assert.ok(filesLeft(victim) < 1800, 'the walk started');
  // Leave alone the directory the walker has open right now: the others it has still to enter.
  const open = new Set(
    readdirSync('/proc/self/fd').map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    }),
  );
  const targets = readdirSync(victim)
    .map((d) => `${victim}/${d}`)
    .filter((d) => !open.has(d));
  assert.ok(targets.length > 0);
  for (const d of targets) mountOn(d);
  await p.catch(() => undefined);
  return outcome;
}

test('a bind mount appearing while the walk runs is never entered (mount id check): host files survive', async () => {
  requireRoot();
  const s = scratch('rm');
  try {
    const canary = hostTree(`${s}/host`);
    const before = treeHash(canary);
    bigTree(`${s}/base/victim`);
    const outcome = await mountMidWalk(`${s}/base/victim`, (d) => sh('mount', '--bind', canary, d));
    // Same disk, same st_dev: only the mount id tells.
    assert.ok(
      outcome instanceof SandboxError && outcome.code === 'busy' && /is a mount point/.test(outcome.message),
      `expected a refusal, got ${String(outcome)}`,
    );
    assert.equal(treeHash(canary), before);
  } finally {
    unmountAll(s);
    await dropScratch(s);
  }
});

test('another file system appearing while the walk runs is never entered (st_dev check): its files survive', async () => {
  requireRoot();
  const s = scratch('rm');
  try {
    bigTree(`${s}/base/victim`);
    const outcome = await mountMidWalk(`${s}/base/victim`, (d) => {
      sh('mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', d);
      writeFileSync(`${d}/CANARY`, 'x');
    });
    assert.ok(
      outcome instanceof SandboxError && outcome.code === 'busy' && /on another file system/.test(outcome.message),
      `expected a refusal, got ${String(outcome)}`,
    );
    for (const d of mountPointsUnder(`${s}/base/victim`)) assert.ok(existsSync(`${d}/CANARY`), `${d}/CANARY deleted`);
  } finally {
    unmountAll(s);
    await dropScratch(s);
  }
});

test('the walk stays on its device and its mount: another device on the same mount (a btrfs subvolume) is refused too', () => {
  const start = { dev: 64769, mnt: 31 };
  assert.doesNotThrow(() => checkSameFileSystem('/b/v/d', start, { dev: 64769, mnt: 31 }));
  assert.throws(
    () => checkSameFileSystem('/b/v/sub', start, { dev: 64770, mnt: 31 }),
    (e: unknown) =>
      e instanceof SandboxError && e.code === 'busy' && /\/b\/v\/sub: it is on another file system \(device 64770, expected 64769\)/.test(e.message),
  );
  assert.throws(
    () => checkSameFileSystem('/b/v/bind', start, { dev: 64769, mnt: 40 }),
    (e: unknown) => e instanceof SandboxError && e.code === 'busy' && /is a mount point \(mount id 40, expected 31\)/.test(e.message),
  );
});

type Node = { kind: 'file' } | { kind: 'link'; toCanary: boolean } | { kind: 'dir'; children: Record<string, Node> };

const nodeArb: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<Node>({ kind: 'file' }),
    fc.boolean().map<Node>((toCanary) => ({ kind: 'link', toCanary })),
    fc
      .dictionary(
        fc.stringMatching(/^[a-z.][a-z0-9._ -]{0,8}$/).filter((n) => n !== '.' && n !== '..'),
        tie('node'),
        { maxKeys: 4 },
      )
      .map<Node>((children) => ({ kind: 'dir', children })),
  ),
})).node;

function build(path: string, n: Node, canary: string): number {
  if (n.kind === 'file') writeFileSync(path, 'x');
  else if (n.kind === 'link') symlinkSync(n.toCanary ? canary : '/nonexistent/target', path);
  else {
    mkdirSync(path);
    return 1 + Object.entries(n.children).reduce((a, [k, c]) => a + build(`${path}/${k}`, c, canary), 0);
  }
  return 1;
}

test('any tree of files, dirs and symlinks is removed entry by entry and the canary outside survives (property)', async () => {
  const s = scratch('rm');
  try {
    const canary = hostTree(`${s}/host`, 4);
    const before = treeHash(canary);
    mkdirSync(`${s}/base`);
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), nodeArb, { maxKeys: 5 }), async (children) => {
        const victim = `${s}/base/v${i++}`;
        const count = build(victim, { kind: 'dir', children }, canary);
        assert.deepEqual(await removeTree(victim, `${s}/base`), { removed: count });
        assert.equal(existsSync(victim), false);
      }),
      { numRuns: 60 },
    );
    assert.equal(treeHash(canary), before);
  } finally {
    await dropScratch(s);
  }
});
