import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateTree } from '../fixtures/generate';
import { ScanCache, SCAN_CACHE_FORMAT, outputDepends } from '../../src/pkgsrc/scan/cache';
import { assemblePscan } from '../../src/pkgsrc/scan/pscan';
import { scanDependPath } from '../../src/pkgsrc/scan/scan-depends';

const T0 = 1_700_000_000; // files written "long ago"
const SCAN = T0 + 1000; // when the cached scans started

function tempTree(): string {
  return mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-cache-'));
}

/** Writes a file and dates it (seconds). */
function put(file: string, text: string, mtime = T0): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, mtime, mtime);
}

function touch(file: string, mtime: number): void {
  utimesSync(file, mtime, mtime);
}

const output = (name: string, deps: string): string => `PKGNAME=${name}\nALL_DEPENDS=\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\nSCAN_DEPENDS=${deps}\n`;

test('SCAN_DEPENDS paths follow pbulk-scan -L', () => {
  assert.equal(scanDependPath('/usr/pkgsrc', 'devel/foo', '/etc/mk.conf'), '/etc/mk.conf');
  assert.equal(scanDependPath('/usr/pkgsrc', 'devel/foo', '../../mk/bsd.pkg.mk'), '/usr/pkgsrc/mk/bsd.pkg.mk');
  assert.equal(scanDependPath('/usr/pkgsrc', 'devel/foo', 'options.mk'), '/usr/pkgsrc/devel/foo/options.mk');
  assert.equal(scanDependPath('/usr/pkgsrc', 'devel/foo', '../bar/Makefile.common'), '/usr/pkgsrc/devel/foo/../bar/Makefile.common');
  assert.equal(scanDependPath('/usr/pkgsrc', 'wip/foo/bar', '../../mk/bsd.pkg.mk'), '/usr/pkgsrc/wip/foo/bar/../../mk/bsd.pkg.mk');
  assert.deepEqual(outputDepends(output('a-1', 'x.mk  ../../y.mk') + output('b-1', 'z.mk x.mk')), ['Makefile', 'x.mk', '../../y.mk', 'z.mk']);
});

test('a cached location stays current until one of its makefiles is newer than its scan', () => {
  const root = tempTree();
  try {
    const pkgsrc = path.join(root, 'pkgsrc');
    const conf = path.join(root, 'etc/mk.conf');
    put(conf, 'X=1\n');
    put(path.join(pkgsrc, 'mk/bsd.pkg.mk'), '# mk\n');
    put(path.join(pkgsrc, 'devel/foo/Makefile'), '# foo\n');
    put(path.join(pkgsrc, 'devel/foo/options.mk'), '# options\n');
    put(path.join(pkgsrc, 'devel/bar/Makefile'), '# bar\n');
    const cache = new ScanCache(pkgsrc);
    cache.store('devel/foo', output('foo-1.0', `${conf} ../../mk/bsd.pkg.mk Makefile options.mk`), SCAN);
    cache.store('devel/bar', output('bar-1.0', '../../mk/bsd.pkg.mk'), new Date(SCAN * 1000));

    assert.equal(cache.lookup('devel/foo').current, true);
    assert.equal(cache.lookup('devel/bar').current, true);
    assert.deepEqual(cache.lookup('devel/nope'), { current: false, reason: 'not in the scan cache' });

    // A package's own file: only that location goes stale.
    touch(path.join(pkgsrc, 'devel/foo/options.mk'), SCAN + 5);
    assert.deepEqual(cache.lookup('devel/foo'), { current: false, reason: `${pkgsrc}/devel/foo/options.mk changed since the last scan` });
    assert.equal(cache.lookup('devel/bar').current, true);

    // A file from the very second the scan started counts as newer.
    touch(path.join(pkgsrc, 'devel/foo/options.mk'), SCAN);
    assert.equal(cache.lookup('devel/foo').current, false);
    touch(path.join(pkgsrc, 'devel/foo/options.mk'), SCAN - 1);
    assert.equal(cache.lookup('devel/foo').current, true);

    // A shared mk file and an absolute path: everything using them goes stale.
    touch(path.join(pkgsrc, 'mk/bsd.pkg.mk'), SCAN + 60);
    const all = cache.freshness(['devel/foo', 'devel/bar']);
    assert.equal(all.get('devel/foo')!.current, false);
    assert.equal(all.get('devel/bar')!.current, false);
    touch(path.join(pkgsrc, 'mk/bsd.pkg.mk'), T0);
    touch(conf, SCAN + 1);
    assert.deepEqual(cache.lookup('devel/foo'), { current: false, reason: `${conf} changed since the last scan` });
    touch(conf, T0);

    // The Makefile is always checked, even when SCAN_DEPENDS does not list it.
    touch(path.join(pkgsrc, 'devel/bar/Makefile'), SCAN + 2);
    assert.equal(cache.lookup('devel/bar').current, false);
    touch(path.join(pkgsrc, 'devel/bar/Makefile'), T0);

    // A vanished file.
    unlinkSync(path.join(pkgsrc, 'devel/foo/options.mk'));
    assert.deepEqual(cache.lookup('devel/foo'), { current: false, reason: `${pkgsrc}/devel/foo/options.mk is gone` });

    // A rescan replaces the entry.
    cache.store('devel/foo', output('foo-1.1', 'Makefile'), SCAN + 100);
    assert.equal(cache.lookup('devel/foo').current, true);
    assert.equal(cache.delete('devel/foo'), true);
    assert.equal(cache.size, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('every multi-version record counts, not only the first', () => {
  const root = tempTree();
  try {
    put(path.join(root, 'lang/py-foo/Makefile'), '');
    put(path.join(root, 'lang/python27/version.mk'), '');
    put(path.join(root, 'lang/python26/version.mk'), '');
    const cache = new ScanCache(root);
    cache.store(
      'lang/py-foo',
      output('py27-foo-1', 'Makefile ../../lang/python27/version.mk') + output('py26-foo-1', 'Makefile ../../lang/python26/version.mk'),
      SCAN,
    );
    assert.equal(cache.lookup('lang/py-foo').current, true);
    touch(path.join(root, 'lang/python26/version.mk'), SCAN + 1);
    assert.equal(cache.lookup('lang/py-foo').current, false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the cache is saved and loaded with its format version, tree and key', async () => {
  const root = tempTree();
  try {
    const pkgsrc = path.join(root, 'pkgsrc');
    put(path.join(pkgsrc, 'devel/foo/Makefile'), '');
    const file = path.join(root, 'state/scan-cache.json');
    const cache = new ScanCache(pkgsrc, 'bmake|/etc/mk.conf');
    cache.store('devel/foo', output('foo-1.0', 'Makefile'), SCAN);
    await cache.save(file);
    assert.deepEqual(readdirSync(path.dirname(file)), ['scan-cache.json'], 'no temporary file left');

    const back = await ScanCache.load(file, pkgsrc, 'bmake|/etc/mk.conf');
    assert.deepEqual(back.problems, []);
    assert.deepEqual(back.cache.get('devel/foo'), cache.get('devel/foo'));
    assert.equal(back.cache.lookup('devel/foo').current, true);

    const other = await ScanCache.load(file, pkgsrc, 'gmake');
    assert.equal(other.cache.size, 0);
    assert.match(other.problems[0]!.message, /scan settings changed/);
    const tree = await ScanCache.load(file, '/elsewhere', 'bmake|/etc/mk.conf');
    assert.equal(tree.cache.size, 0);
    assert.match(tree.problems[0]!.message, /is for .*pkgsrc, not \/elsewhere/);

    const missing = await ScanCache.load(path.join(root, 'none.json'), pkgsrc);
    assert.deepEqual([missing.cache.size, missing.problems], [0, []]);

    writeFileSync(file, JSON.stringify({ format: SCAN_CACHE_FORMAT, version: 99, pkgsrc, key: '', locations: {} }));
    const newer = await ScanCache.load(file, pkgsrc);
    assert.equal(newer.problems[0]!.severity, 'information');
    assert.match(newer.problems[0]!.message, /format version 99, this version reads 1/);

    writeFileSync(file, '{"format": "pkgsrc-bulk scan cache", "version": 1, "pkgsrc": 3');
    const torn = await ScanCache.load(file, pkgsrc);
    assert.equal(torn.cache.size, 0);
    assert.match(torn.problems[0]!.message, /not valid JSON/);
    assert.equal(torn.problems[0]!.file, file);

    writeFileSync(file, JSON.stringify({ format: SCAN_CACHE_FORMAT, version: 1, pkgsrc, key: '', locations: { 'a/b': { scannedAt: 'x' } } }));
    assert.match((await ScanCache.load(file, pkgsrc)).problems[0]!.message, /damaged/);
    writeFileSync(file, '[1,2]');
    assert.match((await ScanCache.load(file, pkgsrc)).problems[0]!.message, /not a pkgsrc-bulk scan cache/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an old meta/pscan seeds the cache like pbulk-scan -L, dated with its mtime', () => {
  const outputs = [
    { location: 'devel/foo', output: output('foo-1.0', 'Makefile') },
    { location: 'lang/py-foo', output: output('py27-foo-1', 'Makefile') + output('py26-foo-1', 'Makefile') },
  ];
  const pscan = assemblePscan(outputs).text;
  const cache = new ScanCache('/usr/pkgsrc');
  assert.equal(cache.importPscan(pscan, SCAN), 2);
  for (const o of outputs) assert.deepEqual(cache.get(o.location), { ...o, scannedAt: SCAN });
  assert.equal(assemblePscan(cache.locations().map((l) => ({ location: l, output: cache.get(l)!.output }))).text, pscan);
});

test('real bmake scans of a generated tree: a limited scan seeds a full one, edits invalidate', async () => {
  const { execa } = await import('execa');
  const dir = tempTree();
  try {
    const tree = generateTree(path.join(dir, 'pkgsrc'), { packages: 10, seed: 11 });
    const ageAll = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) ageAll(p);
        else utimesSync(p, T0, T0);
      }
    };
    ageAll(tree.root);
    const locations = tree.packages.filter((p) => p.scanned && !p.oddities.length).map((p) => p.path);
    const cache = new ScanCache(tree.root);
    const scan = async (loc: string): Promise<void> => {
      const started = Date.now() / 1000;
      const r = await execa('bmake', ['pbulk-index'], { cwd: path.join(tree.root, loc), encoding: 'latin1' });
      cache.store(loc, `${r.stdout}\n`, started);
    };
    // A limited build scans two locations ...
    const limited = locations.slice(0, 2);
    for (const loc of limited) await scan(loc);
    // ... a full build then rescans only what is not current.
    const before = cache.freshness(locations);
    assert.deepEqual(
      locations.filter((l) => before.get(l)!.current),
      limited,
    );
    for (const loc of locations) if (!before.get(loc)!.current) await scan(loc);
    assert.ok(locations.every((l) => cache.lookup(l).current));
    for (const l of locations) assert.ok(cache.get(l)!.output.includes('SCAN_DEPENDS=') && cache.get(l)!.output.includes('/usr/share/mk/sys.mk'));

    // Editing one package's Makefile invalidates that location only.
    const edited = path.join(tree.root, locations[3]!, 'Makefile');
    writeFileSync(edited, '# edited\n', { flag: 'a' });
    const after = cache.freshness(locations);
    assert.deepEqual(
      locations.filter((l) => !after.get(l)!.current),
      [locations[3]],
    );
    // Editing the shared infrastructure invalidates all of them.
    writeFileSync(path.join(tree.root, 'mk/bsd.pkg.mk'), '# edited\n', { flag: 'a' });
    assert.ok(locations.every((l) => !cache.lookup(l).current));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
