// Pre-flight with a HOWTO-pbulk bootstrap kit, before anything is scanned or built: each way
// the kit's mk.conf can disagree with pbulk.conf is one error on the pbulk.conf line it
// concerns, naming the tree's value, and the run stops as a configuration problem; so does a
// pkg_add or pkg_delete that is not there, while a missing pkg_info or digest is a warning. Builds
// on the host (no chroot_dir); the sandboxed cases are in test/sandbox/mkconf.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/core/engine';
import type { EventPayload } from '../../src/engine/core/events';
import type { KitMkConf } from '../fixtures/mk';
import { loadWorkspaceConfig, makeKitWorkspace, writePbulkConf, type KitWorkspace } from './harness';
import type { SmallPackage } from './tree';

const TREE: SmallPackage[] = [
  { path: 'devel/libfoo', distname: 'libfoo-1.0' },
  { path: 'devel/app', distname: 'app-1.0', depends: ['devel/libfoo'] },
];

interface Case {
  name: string;
  mk?: Partial<KitMkConf>;
  conf?: (ws: KitWorkspace) => Record<string, string>;
  settings?: Record<string, unknown>;
  /** The pbulk.conf variable whose line carries the error. */
  line: string;
  says: (ws: KitWorkspace) => RegExp;
  rootOnly?: boolean;
}

const CASES: Case[] = [
  {
    name: 'PACKAGES is not packages',
    mk: { packages: '/var/tmp/pkgsrc-bulk-nowhere/packages' },
    line: 'packages',
    says: (ws) =>
      new RegExp(
        `^packages=${ws.packages} but the tree's mk\\.conf has PACKAGES=/var/tmp/pkgsrc-bulk-nowhere/packages: pkg-build installs dependencies from ${ws.packages}/All while \`make package\` writes to /var/tmp/pkgsrc-bulk-nowhere/packages/All`,
      ),
  },
  {
    name: 'PKG_DBDIR is not pkgdb',
    mk: { pkgDbDir: '/var/db/pkg' },
    line: 'pkgdb',
    says: (ws) => new RegExp(`^pkgdb=${ws.pkgdb} but the tree's mk\\.conf has PKG_DBDIR=/var/db/pkg: dependencies are installed into`),
  },
  {
    name: 'LOCALBASE is not prefix',
    mk: { localbase: '/usr/pkg' },
    line: 'prefix',
    says: (ws) =>
      new RegExp(
        `^prefix=${ws.prefix} but the tree's mk\\.conf has LOCALBASE=/usr/pkg: packages install into /usr/pkg while the bootstrap kit is restored into and wiped from ${ws.prefix}`,
      ),
  },
  {
    name: 'PKGSRCDIR is not pkgsrc',
    // What make is told overrides what it computes: here the engine's environment setting.
    settings: { env: { _PKGSRCDIR: '/usr/pkgsrc' } },
    line: 'pkgsrc',
    says: (ws) => new RegExp(`^pkgsrc=${ws.pkgsrc} but the tree's mk\\.conf has PKGSRCDIR=/usr/pkgsrc: make builds from /usr/pkgsrc`),
  },
  {
    name: 'a pkg_add that is not there',
    conf: () => ({ pkg_add: '/var/tmp/pkgsrc-bulk-nowhere/sbin/pkg_add' }),
    line: 'pkg_add',
    says: () =>
      /^pkg_add=\/var\/tmp\/pkgsrc-bulk-nowhere\/sbin\/pkg_add is not an executable program on this host, with the bootstrap kit in place: it installs each package's dependencies/,
  },
  {
    name: 'WRKOBJDIR is not writable for unprivileged_user',
    conf: () => ({ unprivileged_user: 'nobody' }),
    line: 'unprivileged_user',
    says: (ws) => new RegExp(`^the tree's mk\\.conf has WRKOBJDIR=${ws.wrkObjDir}, where unprivileged_user=nobody cannot write`),
    rootOnly: true,
  },
];

for (const c of CASES) {
  test(`pre-flight: ${c.name} is an error on pbulk.conf's ${c.line} line, before anything is scanned or built`, async (t) => {
    if (c.rootOnly && process.getuid?.() !== 0) return t.skip("needs root (a build user other than the engine's)");
    const ws = makeKitWorkspace('preflight', TREE, { mk: c.mk ?? {} });
    t.after(() => ws.remove());
    if (c.conf) writePbulkConf(ws, { bootstrapkit: ws.kit, make: `"/usr/bin/bmake -m ${ws.prefix}/share/mk"`, ...c.conf(ws) });
    chmodSync(ws.wrkObjDir, 0o755);
    const engine = new Engine(await loadWorkspaceConfig(ws, c.settings ?? {}));
    const errors: EventPayload<'error'>[] = [];
    engine.hub.on((name, p) => name === 'error' && errors.push(p as EventPayload<'error'>));
    const res = await (await engine.start()).done;
    assert.equal(res.setup, true, 'a configuration problem');
    assert.match(res.error ?? '', /^pre-flight: 1 problem with the tree's settings/);
    const bad = errors.filter((e) => e.severity === 'error');
    assert.equal(bad.length, 1, JSON.stringify(bad));
    const e = bad[0]!;
    assert.match(e.message, c.says(ws));
    const line = readFileSync(ws.conf, 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith(`${c.line}=`));
    assert.deepEqual(e.location, { file: ws.conf, line, character: 0 });
    assert.equal(existsSync(join(ws.bulklog, 'meta/pscan')), false, 'nothing scanned');
    assert.deepEqual(
      readdirSync(ws.bulklog).filter((n) => n !== 'meta' && !n.startsWith('.')),
      [],
      'nothing built',
    );
  });
}

test('pre-flight passes with the kit as HOWTO-pbulk has it; a scan alone reports a mismatch as a warning and goes on', async (t) => {
  const ws = makeKitWorkspace('preflight-ok', TREE, { mk: { packages: '/var/tmp/pkgsrc-bulk-nowhere/packages' } });
  t.after(() => ws.remove());
  const engine = new Engine(await loadWorkspaceConfig(ws));
  const errors: EventPayload<'error'>[] = [];
  engine.hub.on((name, p) => name === 'error' && errors.push(p as EventPayload<'error'>));
  const res = await (await engine.start({ scanOnly: true })).done;
  assert.equal(res.error, undefined);
  assert.ok(errors.some((e) => e.severity === 'warning' && e.code === 'mkconf-mismatch'));
  assert.ok(existsSync(join(ws.bulklog, 'meta/presolve')));
});

test('a pkg_info or digest that is not an executable program is a warning on its line: the build goes on, every package built', async (t) => {
  const ws = makeKitWorkspace('preflight-info', TREE);
  t.after(() => ws.remove());
  const info = join(ws.dir, 'pkg_info');
  writeFileSync(info, 'not a program\n', { mode: 0o644 });
  writePbulkConf(ws, {
    bootstrapkit: ws.kit,
    make: `"/usr/bin/bmake -m ${ws.prefix}/share/mk"`,
    pkg_info: info,
    digest: '/var/tmp/pkgsrc-bulk-nowhere/digest',
  });
  chmodSync(ws.wrkObjDir, 0o755);
  const engine = new Engine(await loadWorkspaceConfig(ws));
  const errors: EventPayload<'error'>[] = [];
  engine.hub.on((name, p) => name === 'error' && errors.push(p as EventPayload<'error'>));
  const res = await (await engine.start()).done;
  assert.equal(res.error, undefined);
  const w = errors.filter((e) => e.code === 'tool-missing');
  assert.equal(w.length, 2, JSON.stringify(errors));
  const digest = w.find((e) => e.message.startsWith('digest='))!;
  assert.equal(digest.severity, 'warning');
  assert.match(
    digest.message,
    /is not an executable program on this host, so SHA512\.bz2 cannot be written after the build \(the packages still build\)\. .*leave it unset: the engine then computes SHA512 itself/,
  );
  assert.equal(
    digest.location?.line,
    readFileSync(ws.conf, 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith('digest=')),
  );
  w.splice(w.indexOf(digest), 1);
  assert.equal(w[0]!.severity, 'warning');
  assert.match(
    w[0]!.message,
    /^pkg_info=.* is not an executable program on this host, with the bootstrap kit in place: it tells which packages are up to date and gives the repository index its records/,
  );
  const line = readFileSync(ws.conf, 'utf8')
    .split('\n')
    .findIndex((l) => l.startsWith('pkg_info='));
  assert.equal(w[0]!.location?.line, line);
  assert.equal(
    readFileSync(join(ws.bulklog, 'meta/pbuild'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.split('|')[1] === 'done').length,
    2,
  );
});
