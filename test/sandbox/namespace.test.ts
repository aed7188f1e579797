// The rootless backend as a real unprivileged user: one is created for the test (and removed
// after), and a driver runs as that user through setpriv. The mounts must never appear on the
// host, even while a command runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { buildSync } from 'esbuild';
import { NamespaceBackend } from '../../src/engine/sandbox/backends/namespace';
import { REPO, dropScratch, engineBundle, hostTree, mountPointsUnder, requireRoot, scratch, treeHash } from './fixtures';

const user = `pbsbx${randomBytes(3).toString('hex')}`;
let uid = -1;
let gid = -1;
let dir = '';

before(() => {
  requireRoot();
  const add = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', user], { encoding: 'utf8' });
  assert.equal(add.status, 0, `useradd: ${add.stderr}`);
  const id = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  uid = Number(id.stdout.trim());
  gid = Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
  dir = scratch('ns');
  chownSync(dir, uid, gid);
});

after(async () => {
  spawnSync('userdel', [user]);
  if (dir) await dropScratch(dir);
});

/**
 * The driver bundled into the user's scratch directory: the user may not be able to read the
 * checkout (a clone in root's home, or in a private temporary directory).
 */
function driver(): string {
  const out = posix.join(dir, 'namespace-user.js');
  if (!existsSync(out)) {
    buildSync({
      entryPoints: [posix.join(REPO, 'test/sandbox/drivers/namespace-user.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'warning',
    });
  }
  return out;
}

function runAsUser(tool: string, base: string, host: string, roHost: string): Record<string, any> {
  const r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', process.execPath, driver(), tool, base, host, roHost], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: dir },
    timeout: 120_000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  assert.ok(line.startsWith('{'), `driver printed no result (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(line);
  assert.equal(out.error, undefined, out.error);
  return out;
}

for (const tool of ['bwrap', 'unshare']) {
  test(`namespace backend with ${tool}, as a normal user: rw reaches the host, ro and /etc refuse, /proc is its own, no host mount ever`, () => {
    const base = `${dir}/base-${tool}`;
    const host = hostTree(`${dir}/host-${tool}`);
    const roHost = hostTree(`${dir}/ro-${tool}`);
    for (const d of [base, host, `${host}/sub`, `${host}/sub/deeper`, roHost]) {
      mkdirSync(d, { recursive: true });
      chownSync(d, uid, gid);
    }
    const before = treeHash(host, (rel) => rel === '/written');
    // A mount the user namespace did not make, under both binds (as /run/netns is under /run
    // once `ip netns add` has run): the kernel refuses a plain bind of such a directory there.
    const submounts = [`${host}/sub/deeper`, roHost].map((d) => `${d}/mnt`);
    for (const m of submounts) {
      mkdirSync(m);
      assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', `pbsbx-${tool}`, m]).status, 0);
    }
    let out: Record<string, any>;
    try {
      out = runAsUser(tool, base, host, roHost);
    } finally {
      for (const m of submounts) if (spawnSync('umount', [m]).status === 0) rmdirSync(m);
    }
    assert.equal(out.uid, uid);
    assert.deepEqual(out.hostMountsDuringExec, [], 'mounts live only inside the namespace');
    // bubblewrap keeps the user's uid; unshare alone can only map it to root inside.
    assert.equal(out.checks.id, tool === 'bwrap' ? `${uid}\n` : '0\n');
    assert.equal(out.checks.rw, 'ok\n');
    assert.equal(out.written, `from-${tool}\n`);
    assert.equal(statSync(`${host}/written`).uid, uid, 'files written inside belong to the user on the host');
    assert.match(out.checks.ro, /Read-only file system\nrefused\n/, 'a read-only dir the user owns refuses writes');
    assert.equal(out.checks.roFlags, `/etc ro\n/usr/bin ro\n${roHost} ro\n`);
    assert.equal(existsSync(`${roHost}/x`), false);
    const [pidLines, pids] = out.checks.proc.trim().split('\n').map(Number);
    assert.equal(pidLines, 1);
    assert.ok(pids < 10, `its own pid namespace shows only its processes, saw ${pids}`);
    assert.equal(out.checks.cwd, '/tmp\n');
    assert.equal(out.checks.readOnlyDirs, 'ok\n');
    assert.match(out.userSwitch, /cannot switch to user 'root'/);
    assert.deepEqual(out.after, { rootExists: false, stateExists: false, privateExists: false, mounts: 0 });
    assert.ok(
      out.warnings.some((w: string) => /unreadable to this user were left out/.test(w)),
      'copying /etc as a user says what it left out',
    );
    assert.equal(
      treeHash(host, (rel) => rel === '/written'),
      before,
    );
    assert.deepEqual(mountPointsUnder(dir), []);
  });
}

test('the namespace backend prefers bwrap, and names both tools when neither is there (mocked tool lookup)', () => {
  assert.equal(new NamespaceBackend().tool().tool, 'bwrap');
  assert.equal(new NamespaceBackend({ lookup: (n) => (n === 'unshare' ? '/usr/bin/unshare' : null) }).tool().tool, 'unshare');
  assert.throws(() => new NamespaceBackend({ lookup: () => null }).tool(), /needs bubblewrap \(bwrap\) or unshare\(1\) from util-linux; neither is installed/);
  assert.throws(() => new NamespaceBackend({ tool: 'unshare', lookup: () => null }).tool(), /asked to use unshare, which is not installed/);
});

test('with neither bwrap nor unshare there (both hidden in a private mount namespace), the namespace backend names both and makes nothing', async () => {
  requireRoot();
  const s = scratch('nstool');
  try {
    // /dev/null over both programs, in a mount namespace of this command only: gone with it.
    const r = spawnSync(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        '--',
        '/bin/sh',
        '-c',
        'mount --bind /dev/null /usr/bin/bwrap && mount --bind /dev/null /usr/bin/unshare && exec "$@"',
        'sh',
        process.execPath,
        engineBundle(),
        'sandbox',
        'create',
        '--backend',
        'namespace',
        '--base',
        `${s}/base`,
        'x',
        '--run',
        '--',
        'true',
      ],
      { cwd: REPO, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, timeout: 60_000 },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /the namespace backend needs bubblewrap \(bwrap\) or unshare\(1\) from util-linux; neither is installed/);
    assert.equal(existsSync(`${s}/base/x`), false);
    assert.ok(statSync('/usr/bin/bwrap').isFile(), 'the host still has bwrap');
    assert.deepEqual(
      mountPointsUnder('/usr/bin').filter((m) => m === '/usr/bin/bwrap' || m === '/usr/bin/unshare'),
      [],
    );
  } finally {
    await dropScratch(s);
  }
});
