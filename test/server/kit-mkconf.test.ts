// The language server compares the bootstrap kit's mk.conf with pbulk.conf when the kit can be
// read, as the build engine's pre-flight does before building: a kit whose PACKAGES, PKG_DBDIR
// or LOCALBASE is not pbulk.conf's packages, pkgdb or prefix is an error on that line; a kit
// set up as HOWTO-pbulk says gives none. Static reading of mk.conf is tested on its own too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestLspClient } from './lspClient';
import { makeKitWorkspace } from '../engine/harness';
import { kitMkConfText } from '../fixtures/mk';
import { readKitMkConf } from '../../src/pkgsrc/mkconf/kit';
import { staticMkConf } from '../../src/pkgsrc/mkconf/read';

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start();
});
after(async () => {
  await client.stop();
});

const TREE = [{ path: 'devel/libfoo', distname: 'libfoo-1.0' }];

test("a kit whose mk.conf disagrees with pbulk.conf: an error on the packages, pkgdb and prefix lines, naming the kit's values", async (t) => {
  const ws = makeKitWorkspace('lsp-kit', TREE, { mk: { packages: '/packages', pkgDbDir: '/var/db/pkg', localbase: '/usr/pkg' } });
  t.after(() => ws.remove());
  const text = readFileSync(ws.conf, 'utf8');
  const p = await client.open(pathToFileURL(ws.conf).href, text);
  const ds = p.diagnostics.filter((d) => d.code === 'mkconf-mismatch');
  const lineOf = (name: string) => text.split('\n').findIndex((l) => l.startsWith(`${name}=`));
  assert.deepEqual(
    ds.map((d) => d.range.start.line).sort((a, b) => a - b),
    ['packages', 'prefix', 'pkgdb'].map(lineOf).sort((a, b) => a - b),
  );
  const pk = ds.find((d) => d.range.start.line === lineOf('packages'))!;
  assert.equal(pk.severity, 1);
  assert.match(
    pk.message as string,
    new RegExp(
      `^packages=${ws.packages} but the bootstrap kit's mk\\.conf \\(${ws.kit}:${ws.prefix.slice(1)}/etc/mk\\.conf\\) has PACKAGES=/packages: pkg-build installs dependencies from`,
    ),
  );
});

test('a kit set up as HOWTO-pbulk says, and a directory kit, give no mkconf error', async (t) => {
  const ws = makeKitWorkspace('lsp-kit-ok', TREE);
  t.after(() => ws.remove());
  const p = await client.open(pathToFileURL(ws.conf).href, readFileSync(ws.conf, 'utf8'));
  assert.deepEqual(
    p.diagnostics.filter((d) => d.code === 'mkconf-mismatch'),
    [],
  );
  const dirKit = join(ws.dir, 'kitdir');
  mkdirSync(join(dirKit, 'etc'), { recursive: true });
  writeFileSync(
    join(dirKit, 'etc/mk.conf'),
    kitMkConfText({ localbase: ws.prefix, pkgDbDir: ws.pkgdb, packages: '/elsewhere', wrkObjDir: '/scratch', distDir: '/distfiles', pkgsrcDir: ws.pkgsrc }),
  );
  assert.equal(readKitMkConf(dirKit, ws.prefix)?.where, join(dirKit, 'etc/mk.conf'));
  const text = readFileSync(ws.conf, 'utf8').replace(/^bootstrapkit=.*$/m, `bootstrapkit=${dirKit}`);
  const q = await client.open(pathToFileURL(join(ws.dir, 'dir.pbulk.conf')).href, text);
  assert.deepEqual(
    q.diagnostics.filter((d) => d.code === 'mkconf-mismatch').map((d) => (d.message as string).slice(0, 30)),
    [`packages=${ws.packages}`.slice(0, 30)],
  );
});

test('mk.conf read without make: plain assignments and references are certain; commands, conditions and includes are not guessed', () => {
  const v = staticMkConf(
    [
      '.ifdef BSD_PKG_MK',
      'LOCALBASE=\t/usr/pkg # comment',
      'PACKAGES =\t${PKGSRCDIR}/packages/${LOCALBASE:T}',
      'DISTDIR=\t${PKGSRCDIR}/distfiles',
      'WRKOBJDIR?=\t/scratch',
      'WRKOBJDIR?=\t/other',
      'CFLAGS+=\t-O2',
      'CFLAGS+=\t-g',
      'OS!=\tuname -s',
      '.if ${OPSYS} == "Linux"',
      'PKG_DBDIR=\t/var/db/pkg',
      '.endif',
      'X=\t$$HOME\\',
      '\tcontinued',
      '.endif',
    ].join('\n'),
    { PKGSRCDIR: '/usr/pkgsrc' },
  );
  assert.deepEqual(v, { LOCALBASE: '/usr/pkg', DISTDIR: '/usr/pkgsrc/distfiles', WRKOBJDIR: '/scratch', CFLAGS: '-O2 -g', X: '$HOME continued' });
  assert.deepEqual(staticMkConf('PACKAGES=/p\n.sinclude "/etc/mk.conf.local"\nDISTDIR=/d\n'), { DISTDIR: '/d' });
});
