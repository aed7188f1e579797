import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPbulkConf } from '../../src/pkgsrc/conf';
import { planSandboxes, defaultSpec, MKSANDBOX_RO_DIRS } from '../../src/engine/sandbox/plan';
import { createBackend } from '../../src/engine/sandbox/index';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { ownConf } from '../fixtures/reference-data';

function num(v: string | undefined): number | undefined {
  return v === undefined || v === '' ? undefined : Number(v);
}

test('a site pbulk.conf with its own sandbox scripts: command backend, <chroot_dir>-build-1..4 and -scan-1..4', async () => {
  const conf = await loadPbulkConf(ownConf('site.pbulk.conf'));
  const plan = planSandboxes({
    chrootDir: conf.get('chroot_dir'),
    buildChroots: num(conf.get('build_chroots')),
    scanChroots: num(conf.get('scan_chroots')),
    chrootCreate: conf.get('chroot_create'),
    chrootDelete: conf.get('chroot_delete'),
  });
  assert.equal(plan.backend, 'command');
  assert.equal(plan.base, '/sandbox');
  assert.deepEqual(
    plan.buildRoots,
    [1, 2, 3, 4].map((i) => `/sandbox/q4-build-${i}`),
  );
  assert.deepEqual(
    plan.scanRoots,
    [1, 2, 3, 4].map((i) => `/sandbox/q4-scan-${i}`),
  );
  assert.match(plan.reason, /chroot_create/);
});

test('backend defaults: none without chroot_dir, chroot as root, namespace as a user; settings override', () => {
  assert.equal(planSandboxes({}).backend, 'none');
  assert.deepEqual(planSandboxes({ buildChroots: 4 }).buildRoots, ['/']);
  assert.equal(planSandboxes({ chrootDir: '/c/x', uid: 0 }).backend, 'chroot');
  assert.equal(planSandboxes({ chrootDir: '/c/x', uid: 1000 }).backend, 'namespace');
  assert.equal(planSandboxes({ chrootDir: '/c/x', uid: 0, backend: 'namespace' }).backend, 'namespace');
  const p = planSandboxes({ chrootDir: '/c/x', uid: 0, buildChroots: 4, scanProcs: 3, buildSlots: 2 });
  assert.deepEqual(p.buildRoots, ['/c/x-build-1', '/c/x-build-2']);
  assert.deepEqual(p.scanRoots, ['/c/x-scan-1', '/c/x-scan-2', '/c/x-scan-3']);
  assert.equal(planSandboxes({ chrootDir: '/c/x', uid: 0, scanChroots: 2, scanProcs: 5 }).scanRoots.length, 2);
});

test('plan errors name the setting: bad counts, sandboxes in /, command without chroot_create', () => {
  assert.throws(() => planSandboxes({ chrootDir: '/c/x', buildChroots: 0 }), /build_chroots must be a whole number/);
  assert.throws(() => planSandboxes({ chrootDir: '/c/x', scanChroots: 2.5 }), /scan_chroots/);
  assert.throws(
    () => planSandboxes({ chrootDir: '/x', uid: 0 }),
    (e: unknown) => e instanceof SandboxError && /directly in '\/'/.test(e.message),
  );
  assert.throws(() => planSandboxes({ chrootDir: 'rel/x', uid: 0 }), /chroot_dir must be an absolute path/);
  assert.throws(() => planSandboxes({ backend: 'command', chrootDir: '/c/x' }), /needs chroot_create/);
  assert.throws(() => planSandboxes({ backend: 'chroot' }), /needs chroot_dir/);
  assert.throws(() => createBackend('command'), /needs chroot_create/);
});

test('defaultSpec is mksandbox on Linux: its read-only set (with /lib64, /usr/lib64), /etc copied, /dev, /proc, tmp dirs 1777', () => {
  const s = defaultSpec('/c/x-build-1', {
    pkgsrc: '/p/pkgsrc',
    packages: '/p/packages',
    bulklog: '/p/bulklog',
    distdir: '/p/distfiles',
    prefix: '/usr/pkg',
    pkgdb: '/usr/pkg/pkgdb',
  });
  assert.deepEqual(s.roDirs, MKSANDBOX_RO_DIRS);
  assert.ok(s.roDirs.includes('/lib64') && s.roDirs.includes('/usr/lib64'));
  assert.deepEqual(s.rwDirs, ['/p/pkgsrc', '/p/bulklog', '/p/packages', '/p/distfiles']);
  assert.deepEqual(s.copyDirs, ['/etc']);
  assert.equal(s.dev && s.proc, true);
  assert.deepEqual(
    s.createDirs.filter((d) => d.mode === 0o1777).map((d) => d.path),
    ['/tmp', '/var/tmp'],
  );
  assert.ok(s.createDirs.some((d) => d.path === '/usr/pkg/pkgdb'));
  assert.ok(!defaultSpec('/c/x', { withoutX: true }).roDirs.includes('/usr/X11R7'));
});
