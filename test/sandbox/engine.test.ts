// The engine's own sandboxes (`pkgsrc-bulk build` with chroot_dir and build_chroots in
// pbulk.conf, as root: the chroot backend): scans and builds run inside them; SIGTERM and SIGINT during builds tear them all down
// before the engine exits; kill -9 at random points of a build leaves them, recorded, for the
// next run or `sandbox cleanup`, and never costs a file of the trees mounted read-write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorkspace, writePbulkConf, type Workspace } from '../engine/harness';
import { listStateFiles, readState } from '../../src/engine/sandbox/state';
import { processesUsing } from '../../src/engine/sandbox/procs';
import { REPO, dropScratch, engineBundle, mountPointsUnder, requireRoot, treeHash, assertMountsRecorded } from './fixtures';

interface Site {
  ws: Workspace;
  base: string;
  /** Hashes of the read-write trees (pkgsrc, and a directory in packages the builds never write). */
  trees(): string;
}

/**
 * Every bmake run of a package (its scan and each build step) appends its targets and the
 * device:inode of the `/` it sees to pkgsrc/<cat>/<pkg>/roots.
 */
const RECORD_ROOT = '_SBX_ROOT!=\techo "${.TARGETS} $$(stat -c %d:%i /)" >> ${.CURDIR}/roots';

function site(tag: string, buildSeconds: number): Site {
  const ws = makeWorkspace(`sbx-${tag}`, [
    { path: 'devel/slowa', distname: 'slowa-1.0', buildSeconds, extra: [RECORD_ROOT] },
    { path: 'devel/slowb', distname: 'slowb-1.0', buildSeconds, extra: [RECORD_ROOT] },
  ]);
  const base = join(ws.dir, 'sandboxes');
  writePbulkConf(ws, { chroot_dir: `${base}/run`, build_chroots: '2' });
  mkdirSync(join(ws.packages, 'kept'), { recursive: true });
  for (const d of [ws.pkgsrc, join(ws.packages, 'kept')]) writeFileSync(join(d, 'CANARY'), 'do not delete\n');
  return {
    ws,
    base,
    // A cancelled build leaves its WRKDIR (pkgsrc/<cat>/<pkg>/work), as pkgsrc does.
    trees: () => treeHash(ws.pkgsrc, (rel) => /^\/[^/]+\/[^/]+\/(work|roots)(\/|$)/.test(rel)) + treeHash(join(ws.packages, 'kept')),
  };
}

function build(s: Site) {
  const child = spawn(process.execPath, [engineBundle(), 'build', '-c', s.ws.conf, '--fresh'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, exited, stderr: () => stderr };
}

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Package builds running chrooted in the build sandboxes. */
async function buildsInside(base: string): Promise<number> {
  return (await processesUsing(base)).filter((u) => u.via === 'root' && u.command.startsWith('sleep')).length;
}

async function assertNothingLeft(s: Site): Promise<void> {
  assert.deepEqual(mountPointsUnder(s.ws.dir), [], 'no mount left');
  assert.deepEqual(await listStateFiles(s.base), [], 'no sandbox state left');
  for (const n of ['run-scan-1', 'run-build-1', 'run-build-2']) assert.equal(existsSync(join(s.base, n)), false, `${n} removed`);
  assert.deepEqual(await processesUsing(s.base), [], 'nothing runs inside any more');
}

function cleanup(s: Site): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [engineBundle(), 'sandbox', 'cleanup', '--base', s.base], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
}

async function drop(sites: Site[]): Promise<void> {
  for (const s of sites) {
    cleanup(s); // whatever a failed assertion left
    await dropScratch(s.ws.dir);
  }
}

test('the engine scans in the scan sandbox and builds each package in a build sandbox, never on the host', { timeout: 120_000 }, async () => {
  requireRoot();
  const s = site('inside', 0);
  try {
    const b = build(s);
    assert.equal((await b.exited).code, 0, b.stderr());
    await assertNothingLeft(s);
    const host = statSync('/');
    const hostRoot = `${host.dev}:${host.ino}`;
    const scanRoots = new Set<string>();
    const buildRoots = new Set<string>();
    for (const pkg of ['slowa', 'slowb']) {
      const lines = readFileSync(join(s.ws.pkgsrc, 'devel', pkg, 'roots'), 'utf8')
        .trim()
        .split('\n');
      for (const line of lines) {
        const [targets, root] = [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)];
        assert.notEqual(root, hostRoot, `bmake ${targets} of ${pkg} ran on the host`);
        // show-vars: the tree asked in the scan sandbox, and the distfiles check in a build one.
        if (targets === 'show-vars') continue;
        (targets === 'pbulk-index' ? scanRoots : buildRoots).add(root);
      }
      assert.ok(
        lines.some((l) => l.startsWith('pbulk-index ')),
        `${pkg} was scanned: ${lines.join(' | ')}`,
      );
      assert.ok(
        lines.some((l) => !l.startsWith('pbulk-index ')),
        `${pkg} was built: ${lines.join(' | ')}`,
      );
    }
    assert.equal(scanRoots.size, 1, 'one scan sandbox');
    assert.ok(buildRoots.size >= 1 && buildRoots.size <= 2, 'build sandboxes (build_chroots=2)');
    for (const r of buildRoots) assert.ok(!scanRoots.has(r), 'builds run in build sandboxes, not the scan one');
  } finally {
    await drop([s]);
  }
});

test('SIGTERM and SIGINT to the engine during builds: all its sandboxes are torn down before it exits', { timeout: 120_000 }, async () => {
  requireRoot();
  const sites = [site('term', 60), site('int', 60)];
  try {
    await Promise.all(
      (['SIGTERM', 'SIGINT'] as const).map(async (signal, i) => {
        const s = sites[i]!;
        const before = s.trees();
        const b = build(s);
        await until(`two builds inside the sandboxes of ${s.base}`, async () => (await buildsInside(s.base)) >= 2 || b.child.exitCode !== null);
        assert.equal(b.child.exitCode, null, b.stderr());
        assert.ok(mountPointsUnder(s.base).length > 10, 'the sandboxes are mounted');
        b.child.kill(signal);
        const { code } = await b.exited;
        assert.equal(code, 1, b.stderr());
        assert.match(b.stderr(), new RegExp(`${signal}: stopping the running builds[^]*cancelled`));
        await assertNothingLeft(s);
        assert.equal(s.trees(), before, 'pkgsrc and packages intact');
      }),
    );
  } finally {
    await drop(sites);
  }
});

/** When the first state file owned by this engine appears (or the engine ends without one). */
async function firstSandbox(s: Site, child: ChildProcess): Promise<number> {
  const owned = async () => {
    for (const f of await listStateFiles(s.base)) {
      if ((await readState(f).catch(() => null))?.owner.pid === child.pid) return true;
    }
    return false;
  };
  await until(`a sandbox of pid ${child.pid} in ${s.base}`, async () => child.exitCode !== null || child.signalCode !== null || (await owned()));
  return Date.now();
}

test('kill -9 of the engine at random points of builds, 20 times, then cleanup: canaries and trees intact, nothing left', { timeout: 300_000 }, async () => {
  requireRoot();
  const sites = [0, 1, 2, 3].map((k) => site(`kill${k}`, 1));
  try {
    const before = sites.map((s) => s.trees());
    // One whole run each, left alone: it cleans up after itself, and tells how long the engine
    // takes to its first sandbox (scan, resolve) and how long it holds sandboxes after that.
    const timings = await Promise.all(
      sites.map(async (s) => {
        const t0 = Date.now();
        const b = build(s);
        const seen = await firstSandbox(s, b.child);
        const r = await b.exited;
        assert.equal(r.code, 0, b.stderr());
        return { startup: seen - t0, active: Date.now() - seen };
      }),
    );
    for (const s of sites) await assertNothingLeft(s);
    const startup = Math.min(...timings.map((t) => t.startup));
    const active = Math.min(...timings.map((t) => t.active));

    // Four engines at once, each killed before its sandboxes exist (scan) or somewhere while it
    // holds them (creation, builds, teardown), until 20 kills landed; the next run's engine
    // takes over what a killed one left under the same names.
    let killed = 0;
    let leftMounted = 0;
    for (let round = 0; round < 12 && killed < 20; round++) {
      await Promise.all(
        sites.map(async (s) => {
          const b = build(s);
          const dice = Math.random();
          if (dice < 0.2) await new Promise((r) => setTimeout(r, Math.random() * startup));
          else if (round === 0 || dice < 0.4) {
            // The case that matters most, made sure of rather than left to timing: a kill while
            // the sandboxes are mounted.
            await until(`mounted sandboxes in ${s.base}`, async () => b.child.exitCode !== null || mountPointsUnder(s.base).length > 10);
          } else {
            await firstSandbox(s, b.child);
            await new Promise((r) => setTimeout(r, Math.random() * active));
          }
          b.child.kill('SIGKILL');
          const r = await b.exited;
          if (r.signal === 'SIGKILL') killed++;
          else assert.equal(r.code, 0, b.stderr()); // done before the kill came
          await assertMountsRecorded(s.base);
          if (mountPointsUnder(s.base).length > 0) leftMounted++;
        }),
      );
    }
    assert.ok(killed >= 20, `only ${killed} runs were killed before they ended`);
    assert.ok(leftMounted > 0, 'no kill left a mounted sandbox behind: the kills came too late');

    for (const [i, s] of sites.entries()) {
      const r = cleanup(s);
      assert.equal(r.status, 0, `cleanup failed:\n${r.stdout}\n${r.stderr}`);
      await assertNothingLeft(s);
      assert.equal(readFileSync(join(s.ws.pkgsrc, 'CANARY'), 'utf8'), 'do not delete\n');
      assert.equal(s.trees(), before[i], 'pkgsrc and packages intact');
    }
  } finally {
    await drop(sites);
  }
});
