// A bootstrap kit set up as HOWTO-pbulk says (its mk.conf sets WRKOBJDIR, DISTDIR and
// PACKAGES; the kit lies in the directory that also holds WRKOBJDIR, so sandboxes show that
// directory read-only): the same limited build without sandboxes, in chroot sandboxes and in
// namespace sandboxes gives the same states; the sandboxes' work directories are their own,
// distfiles are fetched before the builds into the host's DISTDIR, and namespace builds have
// no network. A kit whose PACKAGES is not pbulk.conf's packages is refused before anything is
// scanned or built, as is a WRKOBJDIR inside a read-only directory where there is none, a
// DISTDIR on a read-only file system, and sandboxes inside the kit's directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeKitWorkspace, writePbulkConf, type KitWorkspace } from '../engine/harness';
import { kitMkConfText, writeBootstrapKit } from '../fixtures/mk';
import type { SmallPackage } from '../engine/tree';
import { dropScratch, engineBundle, mountPointsUnder, REPO, requireRoot } from './fixtures';

/** Every make run of the package appends its targets and how many network interfaces it sees. */
const RECORD_NET = '_NET!=\techo "${.TARGETS} $$(grep -c : /proc/net/dev)" >> ${.CURDIR}/net';

const PACKAGES: SmallPackage[] = [
  { path: 'devel/libfoo', distname: 'libfoo-1.0' },
  { path: 'devel/app', distname: 'app-1.0', depends: ['devel/libfoo'] },
  { path: 'devel/libbad', distname: 'libbad-1.0', failPhase: 'configure' },
  { path: 'devel/needbad', distname: 'needbad-1.0', depends: ['devel/libbad'] },
  { path: 'misc/broken', distname: 'broken-1.0', broken: 'needs porting' },
  {
    path: 'net/fetched',
    distname: 'fetched-1.0',
    distfiles: ['fetched-1.0.tar.gz'],
    masterSites: ['http://ftp.example.org/pub/', '@SITE@'],
    depends: ['devel/libfoo'],
  },
  { path: 'net/gone', distname: 'gone-1.0', distfiles: ['gone-1.0.tar.gz'], masterSites: ['http://ftp.example.org/pub/', '@SITE@'] },
  { path: 'net/needgone', distname: 'needgone-1.0', depends: ['net/gone'] },
  { path: 'misc/netcheck', distname: 'netcheck-1.0', extra: [RECORD_NET] },
];

const EXPECTED = {
  'libfoo-1.0': 'done',
  'app-1.0': 'done',
  'libbad-1.0': 'failed',
  'needbad-1.0': 'indirect-failed',
  'broken-1.0': 'prefailed',
  'fetched-1.0': 'done',
  'gone-1.0': 'failed',
  'needgone-1.0': 'indirect-failed',
  'netcheck-1.0': 'done',
};

function workspace(tag: string, backend: 'none' | 'chroot' | 'namespace', o: Parameters<typeof makeKitWorkspace>[2] = {}): KitWorkspace {
  const ws = makeKitWorkspace(`sbx-mk-${tag}`, PACKAGES, { site: { 'fetched-1.0.tar.gz': 'distfile\n' }, ...o });
  const limited = join(ws.dir, 'limited_list');
  writeFileSync(limited, PACKAGES.map((p) => p.path).join('\n') + '\n');
  const sandboxed: Record<string, string> = backend === 'none' ? {} : { chroot_dir: `${ws.dir}/sandboxes/run`, build_chroots: '2' };
  writePbulkConf(ws, { bootstrapkit: ws.kit, make: `"/usr/bin/bmake -m ${ws.prefix}/share/mk"`, limited_list: limited, ...sandboxed, ...o.confExtra });
  if (backend === 'namespace') writeFileSync(join(ws.dir, 'settings.json'), JSON.stringify({ sandbox: 'namespace' }));
  return ws;
}

function build(ws: KitWorkspace): Promise<{ code: number | null; stderr: string }> {
  const settings = join(ws.dir, 'settings.json');
  const args = [engineBundle(), 'build', '-c', ws.conf, ...(existsSync(settings) ? ['--settings', settings] : [])];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': stderr is all read only once the pipe closes.
  return new Promise((r) => child.once('close', (code) => r({ code, stderr })));
}

function states(ws: KitWorkspace): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of readFileSync(join(ws.bulklog, 'meta/pbuild'), 'utf8').trim().split('\n')) {
    const [name, state] = l.split('|');
    out[name!] = state!;
  }
  return out;
}

function lineOf(file: string, prefix: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith(prefix)) + 1
  );
}

async function drop(sites: KitWorkspace[]): Promise<void> {
  for (const ws of sites) await dropScratch(ws.dir);
}

test(
  "with a HOWTO-pbulk kit, builds without sandboxes, in chroots and in namespaces give the same states; work dirs are each sandbox's own",
  { timeout: 300_000 },
  async () => {
    requireRoot();
    const sites = { none: workspace('none', 'none'), chroot: workspace('chroot', 'chroot'), namespace: workspace('ns', 'namespace') };
    try {
      const runs = await Promise.all(Object.values(sites).map((ws) => build(ws)));
      for (const [i, [backend, ws]] of Object.entries(sites).entries()) {
        const r = runs[i]!;
        assert.equal(r.code, 1, `${backend}: failed packages give exit 1\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, /Read-only file system|error: .*mkconf/, backend);
        assert.deepEqual(states(ws), EXPECTED, `${backend}: states`);
        // The distfile came from the master site into the host's DISTDIR, before the builds.
        assert.equal(readFileSync(join(ws.distDir, 'fetched-1.0.tar.gz'), 'utf8'), 'distfile\n', backend);
        const log = readFileSync(join(ws.bulklog, 'gone-1.0/checksum.log'), 'utf8');
        assert.match(log, /Unable to fetch expected file gone-1\.0\.tar\.gz/, `${backend}: the fetch output is the checksum log`);
        assert.match(log, /still not in DISTDIR=.*: gone-1\.0\.tar\.gz/, backend);
        assert.equal(existsSync(join(ws.bulklog, 'libbad-1.0/configure.log')), true, backend);
        // meta/status has the platform make reported.
        assert.match(readFileSync(join(ws.bulklog, 'meta/status'), 'utf8'), /^PLATFORM=Linux \S+\/\S+$/m, backend);
        assert.deepEqual(mountPointsUnder(ws.dir), [], `${backend}: nothing left mounted`);
      }
      // Without sandboxes make works in the host's WRKOBJDIR; sandboxes had their own and left it empty.
      assert.ok(readdirSync(sites.none.wrkObjDir).includes('devel'), 'the host build used WRKOBJDIR');
      assert.deepEqual(readdirSync(sites.chroot.wrkObjDir), [], 'chroot builds wrote nothing to the host WRKOBJDIR');
      assert.deepEqual(readdirSync(sites.namespace.wrkObjDir), [], 'namespace builds wrote nothing to the host WRKOBJDIR');
      // Namespace builds run without a network (only the loopback interface is there).
      const net = readFileSync(join(sites.namespace.pkgsrc, 'misc/netcheck/net'), 'utf8').trim().split('\n');
      const built = net.filter((l) => /^(configure|all|stage-install|package) /.test(l));
      assert.ok(built.length >= 4, net.join(' | '));
      for (const l of built) assert.match(l, / 1$/, `a namespace build step saw a network: ${l}`);
    } finally {
      await drop(Object.values(sites));
    }
  },
);

test(
  "a kit whose PACKAGES is not pbulk.conf's packages, or whose WRKOBJDIR cannot exist in a sandbox, is refused before anything is scanned or built",
  { timeout: 120_000 },
  async () => {
    requireRoot();
    const packagesWs = workspace('pkgs', 'chroot', { mk: { packages: '/var/tmp/pkgsrc-bulk-elsewhere/packages' } });
    const wrk = workspace('wrk', 'chroot');
    // Inside the kit's directory (read-only in sandboxes) and missing there: nothing to mount on.
    const missing = join(wrk.dir, 'bulk/no-such-scratch');
    writeBootstrapKit(
      wrk.kit,
      wrk.prefix,
      kitMkConfText({ localbase: wrk.prefix, pkgDbDir: wrk.pkgdb, packages: wrk.packages, wrkObjDir: missing, distDir: wrk.distDir, pkgsrcDir: wrk.pkgsrc }),
    );
    const sites = [packagesWs, wrk];
    try {
      const [a, b] = await Promise.all([build(packagesWs), build(wrk)]);
      assert.equal(a.code, 2, a.stderr);
      const line = lineOf(packagesWs.conf, 'packages=');
      assert.match(
        a.stderr,
        new RegExp(
          `${packagesWs.conf}:${line}:1: error: packages=${packagesWs.packages} but the tree's mk\\.conf has PACKAGES=/var/tmp/pkgsrc-bulk-elsewhere/packages: pkg-build installs dependencies from`,
        ),
      );
      assert.match(a.stderr, /pre-flight: 1 problem/);
      assert.equal(b.code, 2, b.stderr);
      assert.match(
        b.stderr,
        new RegExp(
          `${wrk.conf}:${lineOf(wrk.conf, 'chroot_dir=')}:1: error: the tree's mk\\.conf has WRKOBJDIR=${missing}, inside ${wrk.dir}/bulk, which every sandbox shows read-only`,
        ),
      );
      for (const ws of [packagesWs, wrk]) {
        assert.equal(existsSync(join(ws.bulklog, 'meta/pscan')), false, 'nothing scanned');
        assert.deepEqual(
          readdirSync(ws.bulklog).filter((n) => n !== 'meta' && !n.startsWith('.')),
          [],
          'nothing built',
        );
        assert.deepEqual(mountPointsUnder(ws.dir), []);
      }
    } finally {
      await drop(sites);
    }
  },
);

test('a DISTDIR on a read-only file system is refused before anything runs, on the bootstrapkit line', { timeout: 120_000 }, async () => {
  requireRoot();
  const ws = workspace('dist', 'none');
  const ro = join(ws.dir, 'readonly');
  mkdirSync(ro);
  const distDir = join(ro, 'distfiles');
  writeBootstrapKit(
    ws.kit,
    ws.prefix,
    kitMkConfText({ localbase: ws.prefix, pkgDbDir: ws.pkgdb, packages: ws.packages, wrkObjDir: ws.wrkObjDir, distDir, pkgsrcDir: ws.pkgsrc }),
  );
  execFileSync('mount', ['--bind', '-o', 'ro', ro, ro]);
  try {
    const r = await build(ws);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `${ws.conf}:${lineOf(ws.conf, 'bootstrapkit=')}:1: error: the tree's mk\\.conf has DISTDIR=${distDir}, where the engine's user \\(uid 0\\) cannot write`,
      ),
    );
    assert.equal(existsSync(join(ws.bulklog, 'meta/pscan')), false, 'nothing scanned');
  } finally {
    execFileSync('umount', [ro]);
    await drop([ws]);
  }
});

test('sandboxes under the directory the kit lies in are refused before anything runs, on the chroot_dir line', { timeout: 120_000 }, async () => {
  requireRoot();
  // The kit's directory is shown read-only in every sandbox: a sandbox inside it would show itself.
  const ws = workspace('kitdir', 'chroot');
  const kitDir = ws.kit.slice(0, ws.kit.lastIndexOf('/'));
  writeFileSync(ws.conf, readFileSync(ws.conf, 'utf8').replace(/^chroot_dir=.*$/m, `chroot_dir=${kitDir}/chroot/run`));
  try {
    const r = await build(ws);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${ws.conf}:${lineOf(ws.conf, 'chroot_dir=')}:1: error: cannot make the sandboxes: .*contains the sandbox root`));
    assert.equal(existsSync(join(ws.bulklog, 'meta/pscan')), false, 'nothing scanned');
  } finally {
    await drop([ws]);
  }
});
