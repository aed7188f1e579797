// The tree model against generated trees whose contents are known: counts as pbulk counts them
// (pbulk-reference §7.2), per-package values, oddities as problems, lazy loading, invalidation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTree } from '../fixtures/generate';
import { readIndex, writeIndex } from './tree-index-file';
import type { PackagePlan, TreeManifest } from '../fixtures/generate';
import { PkgsrcTree, checkPkgsrcRoot, displayName, findPkgsrcRoot } from '../../src/pkgsrc/tree';
import type { PackageInfo, TreeIndex } from '../../src/pkgsrc/tree';

let dir: string;
let m: TreeManifest;
let idx: TreeIndex;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-model-'));
  m = generateTree(join(dir, 'pkgsrc'), {
    packages: 400,
    seed: 21,
    leftovers: true,
    oddities: { crlf: 2, trailingWhitespace: 2, latin1Comment: 2, noMakefile: 1, noDir: 1 },
  });
  idx = await new PkgsrcTree(m.root).index();
});

after(() => rmSync(dir, { recursive: true, force: true }));

const byPath = (i: TreeIndex) => new Map(i.packages.map((p) => [p.path, p]));

test('counts match the manifest, counted the way pbulk counts', () => {
  assert.equal(idx.totals.categories, m.counts.categories);
  assert.equal(idx.totals.packages, m.counts.packages);
  assert.equal(idx.totals.packages, 400);
  assert.equal(idx.totals.disabledCategories, 1);
  const disabledEntries = m.categories
    .filter((c) => c.active)
    .reduce((a, c) => a + c.packages.filter((p) => !p.listed).length + c.fragments.filter((f) => f.listedDisabled).length, 0);
  assert.equal(idx.totals.disabledPackages, disabledEntries);
  assert.deepEqual(
    idx.categories.map((c) => c.name).sort(),
    m.categories
      .filter((c) => c.active)
      .map((c) => c.name)
      .sort(),
  );
  for (const c of idx.categories) {
    const planned = m.categories.find((x) => x.name === c.name)!;
    assert.equal(c.comment?.value, planned.comment);
    assert.deepEqual(
      c.packages.map((p) => p.dir),
      planned.packages.filter((p) => p.listed).map((p) => p.dir),
    );
  }
});

function expectVars(info: PackageInfo, p: PackagePlan): void {
  const v = info.vars;
  const has = (x: string | undefined) => x;
  assert.equal(v.COMMENT?.value, has(p.comment), `${p.path} COMMENT`);
  assert.equal(v.PKGNAME?.value, p.pkgnameRaw, `${p.path} PKGNAME`);
  assert.equal(v.PKGNAME?.unresolved, p.pkgnameRaw === undefined ? undefined : p.pkgnameRaw.includes('${'), `${p.path} PKGNAME unresolved`);
  assert.equal(v.DISTNAME?.value, p.family ? p.family.distnameRaw : p.distname, `${p.path} DISTNAME`);
  assert.equal(v.PKGREVISION?.value, p.pkgrevision === undefined ? undefined : String(p.pkgrevision), `${p.path} PKGREVISION`);
  assert.equal(v.CATEGORIES?.value, p.categories.join(' '), `${p.path} CATEGORIES`);
  assert.equal(v.MAINTAINER?.value, p.maintainer, `${p.path} MAINTAINER`);
  assert.equal(v.OWNER?.value, p.owner, `${p.path} OWNER`);
  assert.equal(v.HOMEPAGE?.value, p.homepage, `${p.path} HOMEPAGE`);
  assert.equal(v.LICENSE?.value, p.license, `${p.path} LICENSE`);
  assert.equal(info.includes.length, p.family ? 1 : 0, `${p.path} includes`);
}

test('every package carries the values its Makefile (and Makefile.common) set', () => {
  const got = byPath(idx);
  let families = 0;
  for (const p of m.packages.filter((x) => x.scanned)) {
    const info = got.get(p.path)!;
    assert.ok(info, p.path);
    if (p.oddities.includes('no-dir')) {
      assert.equal(info.state, 'no-dir');
      continue;
    }
    if (p.oddities.includes('no-makefile')) {
      assert.equal(info.state, 'no-makefile');
      continue;
    }
    assert.equal(info.state, 'ok', p.path);
    expectVars(info, p);
    if (p.family) families++;
  }
  assert.ok(families > 5, 'the tree has Makefile.common families');
});

test('display names: PKGNAME or DISTNAME, nbN added, unresolved when bmake is needed', () => {
  const got = byPath(idx);
  for (const p of m.packages.filter((x) => x.scanned && x.oddities.length === 0).slice(0, 200)) {
    const d = displayName(got.get(p.path)!)!;
    const raw = p.pkgnameRaw ?? (p.family ? p.family.distnameRaw : p.distname)!;
    assert.equal(d.name, p.pkgrevision && !raw.includes('${') ? `${raw}nb${p.pkgrevision}` : raw);
    assert.equal(d.unresolved, raw.includes('${'));
    if (!d.unresolved) assert.equal(d.name, p.pkgname, 'a resolved name is the one bmake computes');
  }
});

test('oddities become problems at the right place, values still read', () => {
  const got = byPath(idx);
  const codes = (p: PackagePlan) => got.get(p.path)!.problems.map((x) => x.code);
  const odd = (o: string) => m.packages.filter((p) => p.oddities.includes(o as never));
  for (const p of odd('crlf')) assert.ok(codes(p).includes('crlf-line-ends'), p.path);
  for (const p of odd('trailing-whitespace')) assert.ok(codes(p).includes('trailing-whitespace'), p.path);
  for (const p of odd('latin1-comment')) {
    assert.ok(codes(p).includes('invalid-utf8'), p.path);
    assert.match(got.get(p.path)!.vars.COMMENT!.value, /^Caf\u00e9 /);
  }
  const [noDir] = odd('no-dir');
  const problem = got.get(noDir!.path)!.problems.find((x) => x.code === 'missing-package-dir')!;
  assert.equal(problem.file, join(m.root, noDir!.category, 'Makefile'));
  const catText = readFileSync(problem.file, 'utf8').split('\n')[problem.range.start.line]!;
  assert.equal(catText.slice(problem.range.start.character, problem.range.end.character), noDir!.dir);
  assert.ok(codes(odd('no-makefile')[0]!).includes('missing-package-makefile'));
  // Nothing else in a clean package is a problem.
  const clean = m.packages.filter((p) => p.scanned && p.oddities.length === 0);
  for (const p of clean) assert.deepEqual(codes(p), [], p.path);
});

test('leftovers in work/, distfiles/ and packages/ are never read', () => {
  for (const p of idx.packages) assert.ok(!p.path.includes('work') || m.packages.some((x) => x.path === p.path));
  for (const x of idx.problems) for (const l of m.leftovers) assert.ok(!x.file.includes(l), x.file);
  assert.ok(!idx.categories.some((c) => ['distfiles', 'packages', 'mk', 'doc', 'licenses'].includes(c.name)));
});

test('optional files per package, for the context menu', async () => {
  const tree = new PkgsrcTree(m.root);
  for (const p of m.packages.filter((x) => x.scanned && !x.oddities.includes('no-dir')).slice(0, 80)) {
    const expected = [
      p.files.descr && 'DESCR',
      p.files.plist && 'PLIST',
      p.files.distinfo && 'distinfo',
      p.files.buildlink3 && 'buildlink3.mk',
      p.files.options && 'options.mk',
      p.files.makefileCommon && 'Makefile.common',
    ].filter(Boolean);
    assert.deepEqual(await tree.packageFiles(p.path), expected, p.path);
    assert.deepEqual((await new PkgsrcTree(m.root).packageFilesMany([p.path]))[0], expected, p.path);
  }
  assert.deepEqual(await tree.packageFiles('no/such'), []);
});

test('lazy: categories alone read no package, concurrent loads share one read', async () => {
  const tree = new PkgsrcTree(m.root);
  const cats = await tree.categories();
  assert.equal(cats.length, m.counts.categories);
  const c = await tree.category(cats[0]!.name);
  const paths = c.packages.map((p) => p.path);
  const [a, b] = await Promise.all([tree.packages(paths), tree.packages(paths)]);
  for (let i = 0; i < a.length; i++) assert.equal(a[i], b[i]);
  assert.equal(await tree.package(paths[0]!), a[0]);
});

test('invalidate refreshes only what a change touches', async () => {
  const copy = join(dir, 'copy');
  const mm = generateTree(copy, { packages: 40, seed: 8 });
  const tree = new PkgsrcTree(copy);
  const first = await tree.index();
  const plain = mm.packages.find((p) => p.scanned && !p.family)!;
  const other = mm.packages.find((p) => p.scanned && !p.family && p !== plain)!;
  const otherInfo = first.packages.find((p) => p.path === other.path)!;

  appendFileSync(join(copy, plain.path, 'Makefile'), 'COMMENT=\tChanged on disk\n');
  assert.equal((await tree.package(plain.path)).vars.COMMENT?.value, plain.comment, 'cached until invalidated');
  assert.deepEqual(tree.invalidate(join(copy, plain.path, 'Makefile')), { kind: 'packages', paths: [plain.path] });
  assert.equal((await tree.package(plain.path)).vars.COMMENT?.value, 'Changed on disk');
  assert.equal(await tree.package(other.path), otherInfo, 'other packages are not read again');

  const owner = mm.packages.find((p) => p.style === 'owner')!;
  const members = mm.packages
    .filter((p) => p.family === owner.family && p.scanned)
    .map((p) => p.path)
    .sort();
  appendFileSync(join(copy, owner.path, 'Makefile.common'), 'HOMEPAGE=\thttps://moved.example/\n');
  const ch = tree.invalidate(join(copy, owner.path, 'Makefile.common'));
  assert.equal(ch.kind, 'packages');
  assert.deepEqual(ch.kind === 'packages' && ch.paths.sort(), members);
  for (const p of members) assert.equal((await tree.package(p)).vars.HOMEPAGE?.value, 'https://moved.example/');

  writeFileSync(join(copy, plain.path, 'options.mk'), '# options\n');
  assert.deepEqual(tree.invalidate(join(copy, plain.path, 'options.mk')), { kind: 'packages', paths: [plain.path] });
  assert.ok((await tree.packageFiles(plain.path)).includes('options.mk'));

  const cat = plain.category;
  mkdirSync(join(copy, cat, 'newpkg'));
  writeFileSync(join(copy, cat, 'newpkg', 'Makefile'), 'COMMENT=\tNew\n');
  appendFileSync(join(copy, cat, 'Makefile'), 'SUBDIR+=\tnewpkg\n');
  assert.deepEqual(tree.invalidate(join(copy, cat, 'Makefile')), { kind: 'category', category: cat });
  assert.ok((await tree.category(cat)).packages.some((p) => p.dir === 'newpkg'));
  assert.equal((await tree.index()).totals.packages, 41);

  rmSync(join(copy, other.path), { recursive: true });
  assert.deepEqual(tree.invalidate(join(copy, other.path)), { kind: 'packages', paths: [other.path] });
  assert.equal((await tree.package(other.path)).state, 'no-dir');

  assert.deepEqual(tree.invalidate(join(copy, 'Makefile')), { kind: 'root' });
  assert.deepEqual(tree.invalidate(join(copy, plain.path, 'work', 'x', 'Makefile')), { kind: 'none' });
  assert.deepEqual(tree.invalidate(join(copy, plain.path, 'patches', 'patch-aa')), { kind: 'none' });
  assert.deepEqual(tree.invalidate(join(copy, 'distfiles', 'x.tar.gz')), { kind: 'none' });
  assert.deepEqual(tree.invalidate('/elsewhere/Makefile'), { kind: 'none' });
});

test('finding the root: from inside, from a parent with pkgsrc/, and clear reasons when not', async () => {
  const p = m.packages.find((x) => x.scanned && x.oddities.length === 0)!;
  assert.equal(await findPkgsrcRoot([join(m.root, p.path, 'patches')]), m.root);
  assert.equal(await findPkgsrcRoot([dir]), m.root);
  assert.equal(await findPkgsrcRoot([join(dir, 'nowhere')]), undefined);
  const bare = join(dir, 'bare');
  mkdirSync(bare);
  writeFileSync(join(bare, 'Makefile'), 'all:\n');
  const c = await checkPkgsrcRoot(bare);
  assert.equal(c.ok, false);
  assert.match(!c.ok ? c.reason : '', /no mk\/ directory/);
  assert.match(((await checkPkgsrcRoot(join(dir, 'nope'))) as { reason: string }).reason, /does not exist/);
  assert.equal((await checkPkgsrcRoot(m.root)).ok, true);
});

test('broken trees: no top Makefile, unreadable and binary Makefiles, oversized files', async () => {
  const t = join(dir, 'broken');
  mkdirSync(join(t, 'mk'), { recursive: true });
  const empty = await new PkgsrcTree(t).index();
  assert.deepEqual(
    empty.problems.map((p) => p.code),
    ['missing-top-makefile'],
  );
  writeFileSync(join(t, 'Makefile'), 'SUBDIR+=\tcat\nSUBDIR+=\tgone\nSUBDIR+=\tbare\n');
  mkdirSync(join(t, 'cat', 'dirmk', 'Makefile'), { recursive: true });
  mkdirSync(join(t, 'cat', 'bin'));
  mkdirSync(join(t, 'cat', 'big'));
  mkdirSync(join(t, 'bare'));
  writeFileSync(join(t, 'cat', 'Makefile'), 'COMMENT=\tBroken things\nSUBDIR+=\tdirmk\nSUBDIR+=\tbin\nSUBDIR+=\tbig\n');
  writeFileSync(join(t, 'cat', 'bin', 'Makefile'), Buffer.from([0x43, 0x4f, 0x4d, 0x4d, 0x45, 0x4e, 0x54, 0x3d, 0, 0xff, 0x0a]));
  writeFileSync(join(t, 'cat', 'big', 'Makefile'), `COMMENT=\tBig\n${'# filler line\n'.repeat(8000)}`);
  const i = await new PkgsrcTree(t, { maxBytes: 64 * 1024 }).index();
  const codes = i.problems.map((p) => p.code).sort();
  assert.deepEqual(codes, ['binary-file', 'file-too-large', 'invalid-utf8', 'missing-category-dir', 'missing-category-makefile', 'unreadable'].sort());
  assert.deepEqual(
    i.packages.map((p) => [p.dir, p.state]),
    [
      ['dirmk', 'unreadable'],
      ['bin', 'ok'],
      ['big', 'unreadable'],
    ],
  );
});

test('on-disk index: unchanged packages come from it, changed ones are read again', async () => {
  const t = join(dir, 'cached');
  const mm = generateTree(t, { packages: 30, seed: 4 });
  const cacheFile = join(dir, 'cache', 'index.json');
  const first = new PkgsrcTree(t, { cacheFile });
  const i1 = await first.index();
  assert.equal(first.saveCache(), undefined);
  const plain = mm.packages.filter((p) => p.scanned && !p.family);
  const [kept, edited] = [plain[0]!, plain[1]!];
  // Mark the entry of a package whose Makefile stays untouched: the mark must come back.
  const data = readIndex(cacheFile);
  const at = data.rows.findIndex((r) => r.startsWith(`[${JSON.stringify(kept.path)},`));
  const row = JSON.parse(data.rows[at]!) as (string | number)[];
  row[row.findIndex((x, k) => k >= 4 && (k - 4) % 8 === 0 && x === 0) + 1] = 'from the on-disk index';
  data.rows[at] = JSON.stringify(row);
  writeIndex(cacheFile, data);
  appendFileSync(join(t, edited.path, 'Makefile'), 'COMMENT=\tEdited\n');
  const owner = mm.packages.find((p) => p.style === 'owner' && p.scanned)!;
  const member = mm.packages.find((p) => p.style === 'member' && p.family === owner.family && p.scanned);
  appendFileSync(join(t, owner.path, 'Makefile.common'), 'HOMEPAGE=\thttps://new.example/\n');

  const i2 = await new PkgsrcTree(t, { cacheFile }).index();
  const got = byPath(i2);
  assert.equal(got.get(kept.path)!.vars.COMMENT?.value, 'from the on-disk index');
  assert.equal(got.get(edited.path)!.vars.COMMENT?.value, 'Edited');
  assert.equal(got.get(owner.path)!.vars.HOMEPAGE?.value, 'https://new.example/');
  if (member) assert.equal(got.get(member.path)!.vars.HOMEPAGE?.value, 'https://new.example/');
  assert.equal(i2.totals.packages, i1.totals.packages);
  assert.deepEqual(got.get(plain[2]!.path), byPath(i1).get(plain[2]!.path), 'an entry from the index equals the parsed one');

  // Another tree, a broken file, a missing directory: the index is ignored or not written, never fatal.
  const other = await new PkgsrcTree(join(dir, 'pkgsrc'), { cacheFile }).index();
  assert.equal(other.totals.packages, 400);
  writeFileSync(cacheFile, '{not json');
  assert.equal((await new PkgsrcTree(t, { cacheFile }).index()).totals.packages, 30);
  const blocked = new PkgsrcTree(t, { cacheFile: join(cacheFile, 'under-a-file', 'x.json') });
  await blocked.index();
  assert.ok(blocked.saveCache() instanceof Error);
});

test('a slow disk: reading goes asynchronous with bounded concurrency and gives the same model', async () => {
  const slow = await new PkgsrcTree(m.root, { slowFileMs: -1, concurrency: 4 }).index();
  assert.deepEqual(slow.packages, idx.packages);
  assert.deepEqual(slow.problems, idx.problems);
});
