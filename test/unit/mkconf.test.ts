// The pieces of asking the tree: show-vars output, the values scans get, the comparison with
// pbulk.conf, the write places of build sandboxes, the systemic-failure watch, the network test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { cacheEnv, CACHE_VARS, parseShowVars, showVarsArgs, TREE_VAR_NAMES } from '../../src/pkgsrc/mkconf/vars';
import { comparePlaces } from '../../src/pkgsrc/mkconf/compare';
import { normaliseError, SystemicWatch } from '../../src/engine/core/systemic';
import { hostHasNetwork } from '../../src/engine/fetch/distfiles';
import { tmpfsBytesPerSlot, TMPFS_MIN_BYTES } from '../../src/engine/core/write-places';
import { planLayout } from '../../src/engine/sandbox/layout';

test('show-vars: asked once per name, read back line by line; a wrong line count is an error, never a guess', () => {
  assert.equal(new Set(TREE_VAR_NAMES).size, TREE_VAR_NAMES.length);
  for (const n of [
    'WRKOBJDIR',
    'DISTDIR',
    'PACKAGES',
    'PKG_DBDIR',
    'LOCALBASE',
    'VARBASE',
    'PKG_TOOLS_BIN',
    'PKGSRCDIR',
    'OPSYS',
    'OS_VERSION',
    'MACHINE_ARCH',
    'LOWER_OPSYS',
  ])
    assert.ok(TREE_VAR_NAMES.includes(n), n);
  assert.deepEqual(showVarsArgs(['A', 'B']), ['show-vars', 'VARNAMES=A B']);
  assert.deepEqual(parseShowVars(['A', 'B'], 'x y\n\n'), { values: { A: 'x y', B: '' } });
  assert.match((parseShowVars(['A', 'B'], 'one\n') as { error: string }).error, /printed 1 lines for 2 variables/);
  assert.match((parseShowVars(['A'], '') as { error: string }).error, /printed 0 lines/);
  fc.assert(
    fc.property(
      fc.array(
        fc.string().filter((s) => !s.includes('\n')),
        { minLength: 1, maxLength: 20 },
      ),
      (values) => {
        const names = values.map((_, i) => `V${i}`);
        const r = parseShowVars(names, values.join('\n') + '\n');
        assert.ok('values' in r);
        assert.deepEqual(
          names.map((n) => r.values[n]),
          values,
        );
      },
    ),
  );
  fc.assert(
    fc.property(fc.string(), (out) => {
      const r = parseShowVars(['A', 'B', 'C'], out);
      assert.ok('error' in r || Object.keys(r.values).length === 3);
    }),
  );
});

test('scans get the per-tree values the tree sets, and nothing it leaves empty', () => {
  const env = cacheEnv({ OPSYS: 'Linux', OS_VERSION: '6.1.0', NATIVE_OPSYS: '', WRKOBJDIR: '/scratch', _PKGSRCDIR: '/usr/pkgsrc' });
  assert.deepEqual(env, { OPSYS: 'Linux', OS_VERSION: '6.1.0', _PKGSRCDIR: '/usr/pkgsrc' });
  for (const k of Object.keys(env)) assert.ok((CACHE_VARS as readonly string[]).includes(k));
});

test('tree values against pbulk.conf: each difference names both values and says what breaks; equal or unset ones pass', () => {
  const conf = { packages: '/bulk/packages', pkgdb: '/usr/pkg/pkgdb', prefix: '/usr/pkg', pkgsrc: '/usr/pkgsrc' };
  assert.deepEqual(comparePlaces({ PACKAGES: '/bulk/packages/', PKG_DBDIR: '/usr/pkg/pkgdb', LOCALBASE: '/usr/pkg', PKGSRCDIR: '' }, conf), []);
  const m = comparePlaces({ PACKAGES: '/packages', PKG_DBDIR: '/var/db/pkg', LOCALBASE: '/opt/pkg', PKGSRCDIR: '/src/pkgsrc' }, conf);
  assert.deepEqual(
    m.map((x) => [x.setting, x.variable, x.treeValue]),
    [
      ['packages', 'PACKAGES', '/packages'],
      ['pkgdb', 'PKG_DBDIR', '/var/db/pkg'],
      ['prefix', 'LOCALBASE', '/opt/pkg'],
      ['pkgsrc', 'PKGSRCDIR', '/src/pkgsrc'],
    ],
  );
  assert.match(
    m[0]!.message,
    /^packages=\/bulk\/packages but the tree's mk\.conf has PACKAGES=\/packages: pkg-build installs dependencies from \/bulk\/packages\/All while `make package` writes to \/packages\/All/,
  );
  assert.match(comparePlaces({ PACKAGES: '/p' }, conf, { source: "the kit's mk.conf" })[0]!.message, /the kit's mk\.conf has PACKAGES=\/p/);
  assert.deepEqual(comparePlaces({ PACKAGES: '/x' }, conf, { same: () => true }), []);
  // pbulk.conf's ${bulklog}/../local/pkg names the same place as the tree's /bulk/local/pkg.
  assert.deepEqual(
    comparePlaces(
      { LOCALBASE: '/bulk/local/pkg', PKG_DBDIR: '/bulk/local/pkg/pkgdb' },
      { prefix: '/bulk/log/../local/pkg', pkgdb: '/bulk/log/../local//pkg/./pkgdb/' },
    ),
    [],
  );
});

test('the first error of a failure loses the names of its package, so one cause compares equal across packages', () => {
  const a = normaliseError("/bin/mkdir: cannot create directory '/scratch/pkgtools': Read-only file system", {
    pkgname: 'pkg_install-20120221',
    location: 'pkgtools/pkg_install',
  });
  const b = normaliseError("/bin/mkdir: cannot create directory '/scratch/devel':  Read-only file system", { pkgname: 'm4-1.4.16', location: 'devel/m4' });
  assert.equal(a, b);
  assert.notEqual(
    normaliseError('foo.c:1: error: x', { pkgname: 'foo-1.0', location: 'devel/foo' }),
    normaliseError('bar.c:1: error: y', { pkgname: 'bar-1.0', location: 'devel/bar' }),
  );
});

test('the systemic watch: five alike from configure on; a success, another phase, another error or an early phase end the watch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-systemic-'));
  try {
    const log = (name: string, text: string) => {
      const p = join(dir, `${name}.log`);
      writeFileSync(p, text);
      return p;
    };
    const fail = (
      i: number,
      text = 'checking for cc... no\nconfigure: error: no acceptable C compiler found in $PATH\n',
      phase: 'configure' | 'checksum' | 'build' = 'configure',
    ) => ({ pkgname: `p${i}-1.0`, location: `devel/p${i}`, ok: false, phase, logPath: log(`p${i}-${phase}`, text) });
    const w = new SystemicWatch();
    const verdicts = await Promise.all([0, 1, 2, 3, 4].map((i) => w.add(fail(i))));
    assert.deepEqual(verdicts.slice(0, 4), [undefined, undefined, undefined, undefined]);
    assert.equal(verdicts[4]!.phase, 'configure');
    assert.equal(verdicts[4]!.firstError, 'configure: error: no acceptable C compiler found in $PATH');
    assert.deepEqual(verdicts[4]!.packages, ['p0-1.0', 'p1-1.0', 'p2-1.0', 'p3-1.0', 'p4-1.0']);
    assert.equal(await w.add(fail(5)), undefined, 'said once');

    const ok = new SystemicWatch();
    await ok.add(fail(0));
    await ok.add({ pkgname: 'x-1.0', location: 'devel/x', ok: true });
    for (let i = 1; i < 8; i++) assert.equal(await ok.add(fail(i)), undefined);

    const fetches = new SystemicWatch();
    for (let i = 0; i < 8; i++) assert.equal(await fetches.add(fail(i, 'fetch: Unable to fetch expected file x.tar.gz\n', 'checksum')), undefined);

    const mixed = new SystemicWatch();
    for (let i = 0; i < 4; i++) await mixed.add(fail(i));
    assert.equal(await mixed.add(fail(4, 'p4.c:3: error: expected ;\n', 'build')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no network at all is no default route off the loopback, read from the routing tables', () => {
  const head = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n';
  const files = (v4: string, v6?: string) => (p: string) => {
    if (p.endsWith('ipv6_route')) {
      if (v6 === undefined) throw new Error('ENOENT');
      return v6;
    }
    return v4;
  };
  assert.equal(hostHasNetwork(files(`${head}eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n`)), true);
  assert.equal(hostHasNetwork(files(`${head}eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`, '')), false);
  assert.equal(
    hostHasNetwork(files(head, `${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00 fe800000000000000000000000000001 00000400 00000000 00000000 00000001 eth0\n`)),
    true,
  );
  assert.equal(hostHasNetwork(files(head, `${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00 ${'0'.repeat(32)} ffffffff 00000001 00000000 00200200 lo\n`)), false);
  assert.equal(
    hostHasNetwork(() => {
      throw new Error('no /proc');
    }),
    true,
  );
});

test('WRKOBJDIR on tmpfs only with at least 1 GiB of free memory per build slot', () => {
  assert.equal(tmpfsBytesPerSlot(2, 16 * 1024 ** 3), 4 * 1024 ** 3);
  assert.equal(tmpfsBytesPerSlot(8, 8 * 1024 ** 3), undefined);
  assert.equal(tmpfsBytesPerSlot(1, 2 * TMPFS_MIN_BYTES), TMPFS_MIN_BYTES);
});

test('sandbox layout of a private dir: its own directory or tmpfs, mounted over a directory of a read-only mount, shared inside a read-write one', () => {
  const dir = mkdtempSync('/var/tmp/pkgsrc-bulk-layout-');
  try {
    const root = `${dir}/sbx/root`;
    mkdirSync(`${dir}/kit/scratch`, { recursive: true });
    mkdirSync(`${dir}/tree`, { recursive: true });
    const spec = (p: string) => ({
      root,
      roDirs: [`${dir}/kit`],
      rwDirs: [`${dir}/tree`],
      copyDirs: [],
      createDirs: [],
      dev: false,
      proc: false,
      privateDirs: [{ path: p, mode: 0o755, uid: 65534, gid: 65534, tmpfsBytes: 1 << 30 }],
    });
    const own = planLayout(spec('/scratch'), root);
    assert.deepEqual(own.dirs, [{ path: '/scratch', mode: 0o755, uid: 65534, gid: 65534 }]);
    const tmpfs = planLayout(spec('/scratch'), root, { tmpfs: true });
    assert.deepEqual(
      tmpfs.mounts.find((m) => m.type === 'tmpfs'),
      { type: 'tmpfs', source: 'tmpfs', target: '/scratch', ro: false, tmpfs: { bytes: 1 << 30, mode: 0o755, uid: 65534, gid: 65534 } },
    );
    const over = planLayout(spec(`${dir}/kit/scratch`), root);
    const bind = over.mounts.find((m) => m.target === `${dir}/kit/scratch`)!;
    assert.equal(bind.ro, false);
    assert.match(bind.source, /\.root\.pkgsrc-bulk-sandbox\.d\/private-0$/);
    assert.deepEqual(over.privateSources, [{ path: bind.source, mode: 0o755, uid: 65534, gid: 65534 }]);
    assert.deepEqual(
      planLayout(spec(`${dir}/tree/work`), root).mounts.filter((m) => m.target.startsWith(`${dir}/tree/`)),
      [],
      "inside a read-write mount: that mount's",
    );
    assert.throws(
      () => planLayout(spec(`${dir}/kit/none`), root),
      /private dir .*\/kit\/none lies inside the read-only mount of .*\/kit and does not exist there/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
