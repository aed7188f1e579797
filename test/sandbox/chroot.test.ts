// The chroot backend with real mounts (root): what a build sees, and teardown that leaves
// nothing and deletes nothing of the host. Read-write mounts are our own scratch trees.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, lstatSync, readlinkSync, symlinkSync } from 'node:fs';
import { ChrootBackend } from '../../src/engine/sandbox/backends/chroot';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { readState, statePathFor, privateDirFor } from '../../src/engine/sandbox/state';
import { isRunning, processesUsing } from '../../src/engine/sandbox/procs';
import { teardown } from '../../src/engine/sandbox/teardown';
import { ENV, dropScratch, engineBundle, hostTree, mountPointsUnder, requireRoot, scratch, specFor, treeHash, withScratch } from './fixtures';

const warnings: string[] = [];
// One backend and one base for the file: the /etc snapshot is made once and shared, as in a build.
const shared = scratch('chroot');
const BASE = `${shared}/base`;
const be = new ChrootBackend({ warn: (m) => warnings.push(m) });
const backend = () => be;
after(() => dropScratch(shared));

function assertGone(root: string): void {
  assert.deepEqual(mountPointsUnder(root), [], 'no mount left');
  assert.equal(existsSync(root), false, 'no root dir left');
  assert.equal(existsSync(statePathFor(root)), false, 'no state file left');
  assert.equal(existsSync(privateDirFor(root)), false, 'no scratch dir left');
}

test('create: rw writes reach the host, ro writes fail, /proc and /dev work; destroy leaves no mount and no dir', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const root = `${BASE}/${s.slice(-6)}`;
    const sb = keep(await backend().create(specFor(root, [host])));
    // Every mount the kernel shows below the root is in the state file, and nothing else.
    const view = (await readState(statePathFor(root)))!;
    const recorded = view.steps.flatMap((x) => (x.kind === 'mount' && x.target.startsWith(`${root}/`) ? [x.target] : [])).sort();
    assert.deepEqual(mountPointsUnder(root).sort(), recorded);
    assert.ok(recorded.includes(`${root}/usr/lib64`) && recorded.includes(`${root}/dev`) && recorded.includes(`${root}${host}`));
    // Merged /usr: /bin and /lib64 are links, as on the host, not second mounts.
    assert.equal(readlinkSync(`${root}/lib64`), readlinkSync('/lib64'));

    const r = await sb.exec(
      [
        '/bin/sh',
        '-c',
        [
          `echo from-sandbox > ${host}/written`,
          'if touch /usr/bin/x 2>/dev/null; then echo RO-BROKEN; fi',
          'if touch /usr/lib64/x 2>/dev/null; then echo RO-BROKEN; fi',
          'grep -c ^Name: /proc/self/status',
          'echo ok > /dev/null && echo dev-ok',
          'ls -d /tmp /var/tmp /usr/pkg/pkgdb',
          'stat -c %a /tmp',
        ].join('; '),
      ],
      { env: ENV, cwd: '/', capture: true },
    );
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, '1\ndev-ok\n/tmp\n/usr/pkg/pkgdb\n/var/tmp\n1777\n');
    assert.equal(readFileSync(`${host}/written`, 'utf8'), 'from-sandbox\n');

    const before = treeHash(host);
    await sb.destroy();
    await sb.destroy(); // idempotent
    assertGone(root);
    assert.equal(treeHash(host), before);
  });
});

test("/etc is the sandbox's own: changes stay inside it, and unprivileged_user is looked up there", async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const be = backend();
    const [a, b] = (await Promise.all([be.create(specFor(`${BASE}/a`, [host])), be.create(specFor(`${BASE}/b`, [host]))])).map(keep);
    const hostEtc = treeHash('/etc', (rel) => rel.startsWith('/.pwd.lock'));
    const add = await a.exec(['/bin/sh', '-c', 'echo "pbulkx:x:4321:4321::/nonexistent:/bin/sh" >> /etc/passwd && echo "pbulkx:x:4321:" >> /etc/group'], {
      env: ENV,
      cwd: '/',
      capture: true,
    });
    assert.equal(add.exitCode, 0, add.stderr);
    const who = await a.exec(['id', '-u'], { env: ENV, cwd: '/tmp', user: 'pbulkx', capture: true });
    assert.equal(who.stdout, '4321\n');
    await assert.rejects(b.exec(['id'], { env: ENV, cwd: '/', user: 'pbulkx', capture: true }), /user 'pbulkx' not found in .*\/b\/etc\/passwd/);
    assert.equal(
      treeHash('/etc', (rel) => rel.startsWith('/.pwd.lock')),
      hostEtc,
    );
    await Promise.all([a.destroy(), b.destroy()]);
    assertGone(`${BASE}/a`);
    assertGone(`${BASE}/b`);
  });
});

test('a busy mount (a host process with its cwd inside) makes destroy refuse, naming it; host files survive', async () => {
  requireRoot();
  const sleeper = { pid: 0 };
  try {
    await withScratch('chroot', async (s, keep) => {
      const host = hostTree(`${s}/host`);
      const before = treeHash(host);
      const root = `${BASE}/${s.slice(-6)}`;
      const sb = keep(await backend().create(specFor(root, [host])));
      const child = spawn('sleep', ['600'], { cwd: `${root}${host}/sub`, stdio: 'ignore' });
      sleeper.pid = child.pid!;
      const err = await sb.destroy().then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof SandboxError && err.code === 'busy', String(err));
      assert.match(err.message, new RegExp(`still mounted:\\n  ${root}${host} <- `));
      assert.match(err.message, new RegExp(`pid ${sleeper.pid} \\(sleep 600\\) has its working directory at ${root}${host}/sub`));
      assert.equal(treeHash(host), before, 'the host tree behind the busy mount is intact');
      assert.ok(existsSync(`${root}${host}/CANARY`), 'still mounted, not deleted through');
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await sb.destroy();
      assertGone(root);
      assert.equal(treeHash(host), before);
    });
  } finally {
    if (sleeper.pid && isRunning(sleeper.pid)) process.kill(sleeper.pid, 'SIGKILL');
  }
});

test('processes still chrooted inside (detached with setsid) are killed by destroy', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const root = `${BASE}/${s.slice(-6)}`;
    const sb = keep(await backend().create(specFor(root, [host])));
    const r = await sb.exec(
      ['/bin/sh', '-c', 'setsid sleep 600 </dev/null >/dev/null 2>&1 & p=$!; until [ "$(cut -d" " -f6 /proc/$p/stat)" = "$p" ]; do sleep 0.01; done; echo $p'],
      { env: ENV, cwd: '/', capture: true },
    );
    const pid = Number(r.stdout!.trim());
    assert.ok(pid > 0 && isRunning(pid), 'the detached sleeper outlived the command');
    assert.equal(readlinkSync(`/proc/${pid}/root`), root);
    await sb.destroy();
    assert.equal(isRunning(pid), false);
    assertGone(root);
  });
});

test('8 parallel creates and destroys, 3 rounds: no collision, nothing left; one name claimed once', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const before = treeHash(host);
    const be = backend();
    for (let round = 0; round < 3; round++) {
      const boxes = (await Promise.all(Array.from({ length: 8 }, (_v, i) => be.create(specFor(`${BASE}/b-${i}`, [host]))))).map(keep);
      assert.equal(new Set(boxes.map((b) => b.root)).size, 8);
      const outs = await Promise.all(boxes.map((b, i) => b.exec(['/bin/sh', '-c', `echo ${i} > /tmp/me; cat /tmp/me`], { env: ENV, cwd: '/', capture: true })));
      assert.deepEqual(
        outs.map((o) => o.stdout),
        boxes.map((_b, i) => `${i}\n`),
      );
      await Promise.all(boxes.map((b) => b.destroy()));
    }
    assert.deepEqual(
      readdirSync(BASE).filter((n) => n.includes('b-')),
      [],
    );
    assert.deepEqual(mountPointsUnder(BASE), []);
    assert.equal(treeHash(host), before);

    const same = await Promise.allSettled(Array.from({ length: 4 }, () => be.create(specFor(`${BASE}/one`, [host]))));
    const ok = same.filter((r) => r.status === 'fulfilled');
    assert.equal(ok.length, 1);
    for (const r of same) if (r.status === 'rejected') assert.ok(r.reason instanceof SandboxError && r.reason.code === 'owned', String(r.reason));
    await (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<ChrootBackend['create']>>>).value.destroy();
    assertGone(`${BASE}/one`);
  });
});

test('a directory not made by us is never taken over: create refuses and leaves it alone', async () => {
  requireRoot();
  await withScratch('chroot', async (s) => {
    mkdirSync(`${s}/base/theirs`, { recursive: true });
    writeFileSync(`${s}/base/theirs/keep`, 'x');
    await assert.rejects(backend().create(specFor(`${s}/base/theirs`, [])), (e: unknown) => e instanceof SandboxError && e.code === 'foreign');
    assert.ok(existsSync(`${s}/base/theirs/keep`));
    assert.equal(existsSync(statePathFor(`${s}/base/theirs`)), false);
    mkdirSync(`${s}/base/empty-theirs`);
    await assert.rejects(backend().create(specFor(`${s}/base/empty-theirs`, [])), (e: unknown) => e instanceof SandboxError && e.code === 'foreign');
    assert.ok(existsSync(`${s}/base/empty-theirs`), 'even an empty directory of someone else stays');
    await assert.rejects(backend().create(specFor(`${s}/base/x`, [`${s}`])), /contains the sandbox root/);
    await assert.rejects(
      backend().create(specFor(`${s}/base/x`, [], { createDirs: [{ path: '/usr/bin/evil', mode: 0o755 }] })),
      /inside the mount of \/usr\/bin/,
    );
  });
});

test('the bootstrap kit is unpacked inside; a broken kit rolls the whole create back', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    mkdirSync(`${s}/kit/usr/pkg/bin`, { recursive: true });
    writeFileSync(`${s}/kit/usr/pkg/bin/hello`, '#!/bin/sh\necho hello from the kit\n', { mode: 0o755 });
    assert.equal(spawnSync('tar', ['-czf', `${host}/bootstrap.tar.gz`, '-C', `${s}/kit`, 'usr']).status, 0);
    writeFileSync(`${s}/broken.tar.gz`, 'not a tarball');
    const sb = keep(await backend().create(specFor(`${BASE}/k`, [host], { bootstrapKit: `${host}/bootstrap.tar.gz` })));
    const r = await sb.exec(['/usr/pkg/bin/hello'], { env: ENV, cwd: '/', capture: true });
    assert.equal(r.stdout, 'hello from the kit\n');
    assert.ok(lstatSync(`${BASE}/k/usr/pkg/bin/hello`).isFile());
    await sb.destroy();
    await assert.rejects(backend().create(specFor(`${BASE}/bad`, [host], { bootstrapKit: `${s}/broken.tar.gz` })), /unpacking bootstrap kit .*broken\.tar\.gz/);
    assertGone(`${BASE}/bad`);
    assertGone(`${BASE}/k`);
  });
});

test('mounts added inside after create (stacked and nested) are all unmounted in reverse by destroy', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const root = `${BASE}/${s.slice(-6)}`;
    const sb = keep(await backend().create(specFor(root, [host])));
    mkdirSync(`${root}/tmp/t`);
    assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', `${root}/tmp/t`]).status, 0);
    mkdirSync(`${root}/tmp/t/inner`);
    assert.equal(spawnSync('mount', ['--bind', `${host}/sub`, `${root}/tmp/t/inner`]).status, 0);
    assert.equal(spawnSync('mount', ['--bind', `${host}/sub`, `${root}/tmp/t/inner`]).status, 0);
    const before = treeHash(host);
    // One unmount round, no retry: only the right order (deepest, then topmost first) takes all.
    const report = await teardown({ root, base: BASE, attempts: 1 });
    assert.ok(report.unmounted >= 3 && !existsSync(root), `one round left mounts: ${JSON.stringify(report)}`);
    await sb.destroy();
    assertGone(root);
    assert.equal(treeHash(host), before);
  });
});

test('paths with spaces, commas and a backslash are mounted at the same path (escaped in the fstab)', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/pkg src, 2013\\Q4`);
    const sb = keep(await backend().create(specFor(`${BASE}/spaces`, [host])));
    const r = await sb.exec(['cat', `${host}/CANARY`], { env: ENV, cwd: '/', capture: true });
    assert.equal(r.stdout, 'do not delete\n', r.stderr);
    assert.ok(mountPointsUnder(`${BASE}/spaces`).includes(`${BASE}/spaces${host}`));
    await sb.destroy();
    assertGone(`${BASE}/spaces`);
  });
});

test('a base reached through a symlink is used by its real path', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    mkdirSync(BASE, { recursive: true });
    symlinkSync(BASE, `${s}/linked-base`);
    const sb = keep(await backend().create(specFor(`${s}/linked-base/via-link`, [host])));
    assert.equal(sb.root, `${BASE}/via-link`);
    assert.ok(mountPointsUnder(`${BASE}/via-link`).length > 5);
    await sb.destroy();
    assertGone(`${BASE}/via-link`);
  });
});

test('a sandbox left by a killed owner is recognised as stale and taken over when its name is claimed again', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const before = treeHash(host);
    const root = `${BASE}/stale`;
    const owner = spawn(process.execPath, [engineBundle(), 'sandbox', 'create', '--base', BASE, '--pkgsrc', host, 'stale', '--run', '--', 'sleep', '60'], {
      stdio: 'ignore',
    });
    let sleeper = 0;
    for (let i = 0; i < 3000 && sleeper === 0; i++) {
      sleeper = (await processesUsing(root)).find((u) => u.command.startsWith('sleep'))?.pid ?? 0;
      if (sleeper === 0) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(sleeper > 0, 'the owner got its command running');
    owner.kill('SIGKILL');
    await new Promise((r) => owner.once('exit', r));
    const seen: string[] = [];
    const sb = keep(await new ChrootBackend({ warn: (m) => seen.push(m) }).create(specFor(root, [host])));
    assert.ok(
      seen.some((m) => m.startsWith(`removing sandbox ${root} left by a dead process (pid ${owner.pid}`)),
      seen.join('\n'),
    );
    assert.equal(isRunning(sleeper), false, 'what ran inside the stale sandbox was killed');
    assert.equal((await readState(statePathFor(root)))!.owner.pid, process.pid);
    await sb.destroy();
    assertGone(root);
    assert.equal(treeHash(host), before);
  });
});

test('where overlayfs cannot be used, /etc is a plain copy per sandbox, still private', async () => {
  requireRoot();
  await withScratch('chroot', async (s, keep) => {
    const host = hostTree(`${s}/host`);
    const copying = new ChrootBackend({ warn: () => undefined, copyMode: 'copy' });
    const sb = keep(await copying.create(specFor(`${BASE}/copied`, [host])));
    assert.ok(!mountPointsUnder(`${BASE}/copied`).includes(`${BASE}/copied/etc`), '/etc is not a mount');
    assert.ok(lstatSync(`${BASE}/copied/etc/passwd`).isFile());
    const r = await sb.exec(['/bin/sh', '-c', 'echo x > /etc/only-here && cat /etc/only-here'], { env: ENV, cwd: '/', capture: true });
    assert.equal(r.stdout, 'x\n');
    assert.equal(existsSync('/etc/only-here'), false);
    await sb.destroy();
    assertGone(`${BASE}/copied`);
  });
});
