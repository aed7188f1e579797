// The command backend with scripts written here in the style of the tutorial's mksandbox /
// rmsandbox wrappers (chroot_create / chroot_delete). Their read-write mount is a scratch tree;
// /dev is deliberately not bound, so even a broken delete script could not reach the host's.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CommandBackend } from '../../src/engine/sandbox/backends/command';
import { createBackend, planSandboxes } from '../../src/engine/sandbox/index';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { readState, statePathFor } from '../../src/engine/sandbox/state';
import { ENV, dropScratch, hostTree, mountPointsUnder, requireRoot, scratch, specFor, treeHash } from './fixtures';

const s = scratch('cmd');
after(() => dropScratch(s));

function script(name: string, body: string): string {
  const p = `${s}/${name}`;
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

function mksandbox(host: string, tail = ''): string {
  return script(
    `mksandbox-${Math.random().toString(36).slice(2, 8)}`,
    `set -e
sb=$1
if [ -d "$sb" ]; then echo "Chroot $sb exists"; exit 1; fi
mkdir -p "$sb"
for d in /usr/bin /usr/lib /usr/lib64 /usr/sbin /usr/share; do
  [ -d "$d" ] || continue
  mkdir -p "$sb$d"; mount --bind -o ro "$d" "$sb$d"
done
for l in bin lib lib64 sbin; do ln -s usr/$l "$sb/$l"; done
mkdir -p "$sb${host}"; mount --bind "${host}" "$sb${host}"
mkdir -p "$sb/proc" "$sb/tmp" "$sb/etc"; mount -t proc proc "$sb/proc"
cp /etc/passwd /etc/group "$sb/etc/"
echo "create $sb" >> ${s}/log
${tail}`,
  );
}

test('chroot_create makes the sandbox, commands run in it by chroot, chroot_delete is called at destroy', async () => {
  requireRoot();
  const host = hostTree(`${s}/host1`);
  const before = treeHash(host, (r) => r === '/written');
  const del = script('rmsandbox', `sb=$(echo "$1" | sed -e 's,/$,,')\necho "delete $sb" >> ${s}/log\nif [ -d "$sb" ]; then rm -rf "$sb"; fi`);
  const be = new CommandBackend({ createScript: mksandbox(host), deleteScript: del, warn: () => undefined });
  const root = `${s}/base/c1`;
  const sb = await be.create(specFor(root, [host]));
  assert.equal(sb.backend, 'command');
  const view = (await readState(statePathFor(root)))!;
  assert.deepEqual(
    view.steps
      .filter((x) => x.kind === 'mount')
      .map((x) => (x as { target: string }).target)
      .sort(),
    mountPointsUnder(root).sort(),
    'what the script mounted is on record',
  );
  const r = await sb.exec(['/bin/sh', '-c', `echo inside > ${host}/written; touch /usr/bin/x 2>/dev/null || echo ro; grep -c ^Pid: /proc/self/status`], {
    env: ENV,
    cwd: '/tmp',
    capture: true,
  });
  assert.equal(r.stdout, 'ro\n1\n', r.stderr);
  assert.equal(readFileSync(`${host}/written`, 'utf8'), 'inside\n');
  await sb.destroy();
  assert.equal(readFileSync(`${s}/log`, 'utf8'), `create ${root}\ndelete ${root}\n`);
  assert.deepEqual(mountPointsUnder(root), []);
  assert.equal(existsSync(root), false);
  assert.equal(existsSync(statePathFor(root)), false);
  assert.equal(
    treeHash(host, (r) => r === '/written'),
    before,
  );
});

test('a delete script that only does rm -rf (no umount) cannot reach the host: we unmount and check first', async () => {
  requireRoot();
  const host = hostTree(`${s}/host2`);
  const before = treeHash(host);
  const be = new CommandBackend({ createScript: mksandbox(host), deleteScript: script('rm-only', 'rm -rf "$1"'), warn: () => undefined });
  const sb = await be.create(specFor(`${s}/base/c2`, [host]));
  assert.ok(existsSync(`${s}/base/c2${host}/CANARY`));
  await sb.destroy();
  assert.equal(treeHash(host), before, 'the host tree behind the rw mount is intact');
  assert.equal(existsSync(`${s}/base/c2`), false);
});

test('a failing chroot_create is an error with its output, and what it mounted is rolled back', async () => {
  requireRoot();
  const host = hostTree(`${s}/host3`);
  const before = treeHash(host);
  const be = new CommandBackend({ createScript: mksandbox(host, 'echo "no space left for the bootstrap" >&2; exit 4'), warn: () => undefined });
  await assert.rejects(
    be.create(specFor(`${s}/base/c3`, [host])),
    (e: unknown) => e instanceof SandboxError && e.code === 'script-failed' && /exited 4:\nno space left for the bootstrap/.test(e.message),
  );
  assert.deepEqual(mountPointsUnder(`${s}/base/c3`), []);
  assert.equal(existsSync(`${s}/base/c3`), false);
  assert.equal(existsSync(statePathFor(`${s}/base/c3`)), false);
  assert.equal(treeHash(host), before);
  const lazy = new CommandBackend({ createScript: script('noop', 'exit 0'), warn: () => undefined });
  await assert.rejects(lazy.create(specFor(`${s}/base/c4`, [])), /exited 0 but did not create/);
  await assert.rejects(new CommandBackend({ createScript: `${s}/missing-script` }).create(specFor(`${s}/base/c5`, [])), /is not an executable file/);
});

test('pbulk.conf with chroot_create/chroot_delete selects the command backend, wired to those scripts', async () => {
  requireRoot();
  const host = hostTree(`${s}/host4`);
  const del = script('rmsandbox4', 'rm -rf "$1"');
  const create = mksandbox(host);
  const plan = planSandboxes({ chrootDir: `${s}/base/pkgsrc-test`, buildChroots: 2, chrootCreate: create, chrootDelete: del });
  assert.equal(plan.backend, 'command');
  const be = createBackend(plan.backend, { chrootCreate: create, chrootDelete: del, warn: () => undefined });
  const boxes = await Promise.all(plan.buildRoots.map((r) => be.create(specFor(r, [host]))));
  assert.deepEqual(
    boxes.map((b) => b.root),
    [`${s}/base/pkgsrc-test-build-1`, `${s}/base/pkgsrc-test-build-2`],
  );
  await Promise.all(boxes.map((b) => b.destroy()));
  assert.deepEqual(mountPointsUnder(`${s}/base`), []);
});
