// `pkgsrc-bulk sandbox ...` as users run it: kept sandboxes, list, destroy, cleanup, and the
// refusals (someone else's directory, a running owner) with their exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { REPO, dropScratch, engineBundle, hostTree, mountPointsUnder, requireRoot, scratch, treeHash } from './fixtures';

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [engineBundle(), 'sandbox', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PBULK_CONF: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('create keeps sandboxes, list shows them with their mounts, destroy removes them; cleanup leaves kept ones', async () => {
  requireRoot();
  const s = scratch('cli');
  try {
    const host = hostTree(`${s}/host`);
    const before = treeHash(host);
    const base = `${s}/base`;
    const made = cli('create', '--base', base, '--pkgsrc', host, 'one', `${base}/two`);
    assert.equal(made.code, 0, made.err);
    assert.equal(made.out, `${base}/one\n${base}/two\n`);
    const list = JSON.parse(cli('list', '--base', base, '--json').out) as { root: string; status: string; backend: string; mounts: number }[];
    assert.deepEqual(
      list.map((x) => [x.root, x.status, x.backend]),
      [
        [`${base}/one`, 'kept', 'chroot'],
        [`${base}/two`, 'kept', 'chroot'],
      ],
    );
    assert.ok(list.every((x) => x.mounts > 10));
    const text = cli('list', '--base', base).out;
    assert.match(text, new RegExp(`^kept +chroot +pid - +\\d+ mounts  ${base}/one$`, 'm'));

    const clean = cli('cleanup', '--base', base);
    assert.equal(clean.code, 0);
    assert.match(clean.out, /kept .*\/one: kept by `sandbox create`/);
    assert.ok(existsSync(`${base}/one/usr/bin`));

    const gone = cli('destroy', `${base}/one`);
    assert.equal(gone.code, 0, gone.err);
    assert.match(gone.out, new RegExp(`^removed ${base}/one \\(\\d+ mounts, \\d+ entries\\)$`, 'm'));
    const kept = cli('cleanup', '--base', base, '--kept', '--json');
    assert.deepEqual(JSON.parse(kept.out).removed, [`${base}/two`]);
    assert.deepEqual(mountPointsUnder(s), []);
    assert.equal(cli('list', '--base', base).out, `no sandboxes in ${base}\n`);
    assert.equal(treeHash(host), before);
  } finally {
    await dropScratch(s);
  }
});

test('refusals: a directory we did not make (exit 2, untouched), bad usage (exit 2), a failing command (exit 1)', async () => {
  requireRoot();
  const s = scratch('cli');
  try {
    mkdirSync(`${s}/base/theirs`, { recursive: true });
    writeFileSync(`${s}/base/theirs/data`, 'keep me');
    const r = cli('destroy', `${s}/base/theirs`);
    assert.equal(r.code, 2);
    assert.match(r.err, /has no state file .*: it was not made by pkgsrc-bulk, or is already gone; not touching it/);
    assert.ok(existsSync(`${s}/base/theirs/data`));
    assert.equal(cli('frobnicate').code, 2);
    assert.match(cli('create', 'relative-name').err, /is not a path: give --base DIR/);
    assert.equal(cli('create', '--base', `${s}/base`, '--backend', 'zfs', 'x').code, 2);
    assert.equal(cli('list').code, 2);
    const failing = cli('create', '--base', `${s}/base`, 'runner', '--run', '--', '/bin/sh', '-c', 'exit 7');
    assert.equal(failing.code, 1, failing.err);
    assert.deepEqual(mountPointsUnder(s), []);
    assert.equal(existsSync(`${s}/base/runner`), false);
  } finally {
    await dropScratch(s);
  }
});

test('list and cleanup find the sandboxes from pbulk.conf (-c or $PBULK_CONF): the parent of chroot_dir', async () => {
  requireRoot();
  const s = scratch('cli');
  try {
    const host = hostTree(`${s}/host`);
    const base = `${s}/chroot`;
    const conf = `${s}/pbulk.conf`;
    writeFileSync(conf, `# as a build would use it\ntop=${s}\nchroot_dir=\${top}/chroot/pkgsrc-current\nbuild_chroots=2\n`);
    const made = cli('create', '--base', base, '--pkgsrc', host, 'pkgsrc-current-build-1');
    assert.equal(made.code, 0, made.err);
    const listed = JSON.parse(cli('list', '-c', conf, '--json').out) as { root: string; status: string }[];
    assert.deepEqual(
      listed.map((x) => [x.root, x.status]),
      [[`${base}/pkgsrc-current-build-1`, 'kept']],
    );
    const clean = cliWith({ PBULK_CONF: conf }, 'cleanup', '--kept');
    assert.equal(clean.code, 0, clean.err);
    assert.match(clean.out, new RegExp(`^removed ${base}/pkgsrc-current-build-1$`, 'm'));
    assert.deepEqual(mountPointsUnder(s), []);

    writeFileSync(conf, 'bulklog=/var/bulklog\n');
    const none = cli('cleanup', '-c', conf);
    assert.equal(none.code, 2);
    assert.match(none.err, new RegExp(`${conf}:1: .*sets no chroot_dir, so builds with it make no sandboxes; give --base DIR`));
    assert.match(cli('list', '-c', `${s}/missing.conf`).err, /missing\.conf:1:1: error: cannot read/);
    assert.match(cli('cleanup').err, /cleanup needs --base DIR, or a pbulk.conf \(-c FILE or \$PBULK_CONF\)/);
    // The engine setting sandboxBase wins, as it does for a build.
    writeFileSync(`${s}/settings.json`, JSON.stringify({ sandboxBase: `${s}/elsewhere` }));
    assert.equal(cli('list', '--settings', `${s}/settings.json`, '-c', conf).out, `no sandboxes in ${s}/elsewhere\n`);
  } finally {
    await dropScratch(s);
  }
});
