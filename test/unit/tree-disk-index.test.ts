// The on-disk index between processes: categories and packages taken from it while their
// Makefiles keep their identity, read again when not; text that is not ASCII kept exactly; a
// damaged index file (fast-check mutations of a real one) never fatal, never a malformed model;
// the overview `pkgsrc-bulk tree` prints from it, equal to the full index's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateTree } from '../fixtures/generate';
import type { TreeManifest } from '../fixtures/generate';
import { PkgsrcTree, packageVars } from '../../src/pkgsrc/tree';
import type { TreeIndex, TreeOverview } from '../../src/pkgsrc/tree';
import { hasIdentity, identityOf } from '../../src/pkgsrc/tree/identity';
import { readIndex, writeIndex } from './tree-index-file';

let dir: string;
let m: TreeManifest;
let fresh: TreeIndex;
let cacheFile: string;
let saved: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-disk-index-'));
  m = generateTree(join(dir, 'pkgsrc'), { packages: 120, seed: 5, oddities: { latin1Comment: 2, crlf: 1, noMakefile: 1, noDir: 1 } });
  fresh = await new PkgsrcTree(m.root).index();
  cacheFile = join(dir, 'index.json');
  const t = new PkgsrcTree(m.root, { cacheFile });
  await t.index();
  assert.equal(t.saveCache(), undefined);
  saved = readFileSync(cacheFile, 'latin1');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('a second process gets the same model from the index, text that is not ASCII included', async () => {
  const parts = readIndex(cacheFile);
  assert.match(JSON.stringify(parts.head) + parts.rows.join('\n'), /^[\x00-\x7f]*$/, 'the head and the rows are ASCII');
  assert.equal(parts.stamps.length, 32 * m.counts.packages, 'four numbers per package');
  const again = await new PkgsrcTree(m.root, { cacheFile }).index();
  assert.deepEqual(again, fresh);
  const cafe = again.packages.filter((p) => p.vars.COMMENT?.value.startsWith('Caf\u00e9 '));
  assert.equal(cafe.length, 2);
});

test('categories come from the index while their Makefile is unchanged, and are read again when it changes', async () => {
  const data = readIndex(cacheFile);
  const [kept, edited] = m.categories.filter((c) => c.active);
  data.head.categories.find((c) => c[0] === kept!.name)![2].comment!.value = 'from the on-disk index';
  data.head.categories.find((c) => c[0] === edited!.name)![2].comment!.value = 'stale';
  const file = join(dir, 'marked.json');
  writeIndex(file, data);
  const makefile = join(m.root, edited!.name, 'Makefile');
  const before = readFileSync(makefile);
  try {
    appendFileSync(makefile, '# touched\n');
    const tree = new PkgsrcTree(m.root, { cacheFile: file });
    assert.equal((await tree.category(kept!.name)).comment?.value, 'from the on-disk index');
    assert.equal((await tree.category(edited!.name)).comment?.value, edited!.comment);
    // Forgotten when the model is told the file changed, even with the same identity.
    assert.deepEqual(tree.invalidate(join(m.root, kept!.name, 'Makefile')), { kind: 'category', category: kept!.name });
    assert.equal((await tree.category(kept!.name)).comment?.value, kept!.comment);
    // What was read again is written back.
    assert.equal(tree.saveCache(), undefined);
    const after = readIndex(file).head;
    assert.equal(after.categories.find((c) => c[0] === kept!.name)![2].comment!.value, kept!.comment);
    assert.equal(after.categories.find((c) => c[0] === edited!.name)![2].comment!.value, edited!.comment);
  } finally {
    writeFileSync(makefile, before);
  }
});

test('damaged index files: ignored or taken, never fatal, never a malformed model', async () => {
  const file = join(dir, 'damaged.json');
  const check = async (text: string) => {
    writeFileSync(file, text, 'latin1');
    const idx = await new PkgsrcTree(m.root, { cacheFile: file }).index();
    // A well-formed entry is taken as it is (the Makefiles it names kept their identity), so a
    // name changed inside one may show; what matters is that the model keeps its shape.
    assert.deepEqual(
      idx.categories.map((c) => c.name),
      fresh.categories.map((c) => c.name),
    );
    assert.equal(idx.packages.length, idx.totals.packages);
    for (const c of idx.categories)
      for (const e of c.packages) assert.ok(typeof e.path === 'string' && typeof e.dir === 'string' && e.range.start !== undefined);
    for (const p of idx.packages) {
      assert.equal(typeof p.makefile, 'string');
      assert.equal(p.path, `${p.category}/${p.dir}`);
      for (const [name, v] of Object.entries(p.vars)) {
        assert.ok((packageVars as readonly string[]).includes(name), name);
        assert.equal(typeof v.value, 'string');
        assert.equal(typeof v.file, 'string');
        for (const n of [v.line, v.character, v.endLine, v.endCharacter]) assert.ok(Number.isInteger(n) && n >= 0);
      }
      for (const inc of p.includes) assert.equal(typeof inc, 'string');
    }
  };
  // Damage that breaks the structure: the index is ignored and the model is the fresh one.
  const rowsAt = saved.indexOf('\n[');
  const damaged = [
    '',
    'null',
    '[]',
    '{}',
    saved.replace('tree index 4 ', 'tree index 3 '),
    saved.replace(/ (le|be) /, (o) => (o === ' le ' ? ' be ' : ' le ')),
    saved.replace(/"version":\d+/, '"version":1'),
    // The same length, so that the head is still found where the first line says.
    saved.replace(/\],\["([a-z])/, '],["/'),
    saved.replace(/"paths":\[(\d)/, (_, d: string) => `"paths":[${(Number(d) + 1) % 10}`),
    `${saved.slice(0, 200)}\u00e9${saved.slice(201)}`,
    // Longer or shorter: the head is not where the first line says.
    `${saved.slice(0, 200)}\u00e9${saved.slice(200)}`,
    saved.replace(/"includes":\[/, '"includes":[1,'),
    // The rows: damaged ones are read again, missing ones too.
    saved.slice(0, rowsAt) + saved.slice(rowsAt).replace(/,"ok",0,0,\d+,"/, ',"ok",0,0,"x","'),
    saved.slice(0, rowsAt + 1),
  ];
  for (const text of damaged) {
    assert.notEqual(text, saved);
    await check(text);
    assert.deepEqual(await new PkgsrcTree(m.root, { cacheFile: file }).index(), fresh);
  }
  const tokens = ['0', '-1', '1e9', '"x"', 'null', '[]', '{}', 'true', '"ok"', '99', '[0]'];
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: saved.length - 1 }), fc.nat({ max: 12 }), fc.constantFrom(...tokens), async (at, del, ins) =>
      check(saved.slice(0, at) + ins + saved.slice(at + del)),
    ),
    { numRuns: 60 },
  );
});

test('checked afterwards: the index answers at once, what changed is reported, dropped and read again', async () => {
  const t = join(dir, 'after');
  const mm = generateTree(t, { packages: 40, seed: 9 });
  const file = join(dir, 'after.json');
  const first = new PkgsrcTree(t, { cacheFile: file });
  await first.index();
  assert.equal(first.saveCache(), undefined);
  const plain = mm.packages.filter((p) => p.scanned && !p.family);
  const owner = mm.packages.find((p) => p.style === 'owner' && p.scanned)!;
  const family = mm.packages.filter((p) => p.family === owner.family && p.scanned).map((p) => p.path);
  const cat = mm.categories.find((c) => c.active)!;
  appendFileSync(join(t, plain[0]!.path, 'Makefile'), 'COMMENT=\tEdited while closed\n');
  appendFileSync(join(t, owner.path, 'Makefile.common'), 'HOMEPAGE=\thttps://after.example/\n');
  appendFileSync(join(t, cat.name, 'Makefile'), 'COMMENT=\tRenamed category\n');
  const truth = await new PkgsrcTree(t).index();

  const changes: unknown[] = [];
  const tree = new PkgsrcTree(t, { cacheFile: file, checkDiskIndex: 'after', onChange: (c) => changes.push(c) });
  const stale = await tree.index();
  assert.equal(stale.packages.find((p) => p.path === plain[0]!.path)!.vars.COMMENT?.value, plain[0]!.comment, 'answered from the file, unchecked');
  assert.equal(stale.categories.find((c) => c.name === cat.name)!.comment?.value, cat.comment);
  assert.deepEqual(changes, []);
  await tree.checked();
  assert.deepEqual(changes[0], { kind: 'category', category: cat.name });
  assert.equal(changes.length, 2);
  const reported = (changes[1] as { kind: string; paths: string[] }).paths.sort();
  assert.deepEqual(reported, [plain[0]!.path, ...family].sort());
  assert.deepEqual(await tree.index(), truth, 'what was stale is read again');
  await tree.checked();
  assert.equal(changes.length, 2, 'nothing more to report');
  // Written back with the checked entries and the ones read again: the next process agrees.
  assert.equal(tree.saveCache(), undefined);
  assert.deepEqual(await new PkgsrcTree(t, { cacheFile: file }).index(), truth);
  const again: unknown[] = [];
  const quiet = new PkgsrcTree(t, { cacheFile: file, checkDiskIndex: 'after', onChange: (c) => again.push(c) });
  assert.deepEqual(await quiet.index(), truth);
  await quiet.checked();
  assert.deepEqual(again, []);
});

/** What overview() must give: the index without the packages' metadata. */
function overviewOf(idx: TreeIndex): TreeOverview {
  const { packages: _, categories, ...rest } = idx;
  return { ...rest, categories: categories.map(({ packages, ...c }) => ({ ...c, packageCount: packages.length })) };
}

test('the overview (what `pkgsrc-bulk tree` prints) agrees with the index: fresh, from the on-disk index, after edits', async () => {
  const t = join(dir, 'overview');
  const mm = generateTree(t, { packages: 60, seed: 12, oddities: { noMakefile: 1, trailingWhitespace: 1 } });
  const file = join(dir, 'overview.json');
  assert.deepEqual(await new PkgsrcTree(t).overview(), overviewOf(await new PkgsrcTree(t).index()), 'without an on-disk index');
  const first = new PkgsrcTree(t, { cacheFile: file });
  assert.deepEqual(await first.overview(), overviewOf(await new PkgsrcTree(t).index()), 'writing the on-disk index');
  assert.equal(first.saveCache(), undefined);
  assert.deepEqual(await new PkgsrcTree(t, { cacheFile: file }).overview(), overviewOf(await new PkgsrcTree(t).index()), 'from the on-disk index');

  // A package loses its COMMENT, a Makefile.common gains trailing whitespace, a category lists a new entry.
  const plain = mm.packages.find((p) => p.scanned && !p.family && p.oddities.length === 0)!;
  const owner = mm.packages.find((p) => p.style === 'owner' && p.scanned)!;
  const cat = mm.categories.find((c) => c.active && c.name !== plain.category)!;
  const makefile = join(t, plain.path, 'Makefile');
  writeFileSync(makefile, readFileSync(makefile, 'latin1').replace(/^COMMENT=.*\n/m, ''));
  appendFileSync(join(t, owner.path, 'Makefile.common'), 'HOMEPAGE=\thttps://new.example/ \n');
  appendFileSync(join(t, cat.name, 'Makefile'), 'SUBDIR+=\tnot-there\n');
  const truth = overviewOf(await new PkgsrcTree(t).index());
  assert.ok(truth.problems.some((p) => p.code === 'no-comment' && p.file === makefile));
  assert.ok(truth.problems.some((p) => p.code === 'missing-package-dir'));
  const tree = new PkgsrcTree(t, { cacheFile: file });
  assert.deepEqual(await tree.overview(), truth, 'the changed ones read again');
  assert.equal(tree.saveCache(), undefined);
  assert.deepEqual(await new PkgsrcTree(t, { cacheFile: file }).overview(), truth, 'and written back');
  assert.deepEqual(await new PkgsrcTree(t, { cacheFile: file }).index(), await new PkgsrcTree(t).index(), 'the rows written back as they were');
});

test('file identities from the fast path are those fs.statSync gives', () => {
  const files = [cacheFile, join(m.root, 'Makefile'), ...m.packages.slice(0, 20).map((p) => join(m.root, p.path, 'Makefile'))];
  for (const f of files) {
    const s = statSync(f, { throwIfNoEntry: false });
    assert.deepEqual(identityOf(f), s ? [s.ino, s.size, s.mtimeMs, s.ctimeMs] : null, f);
    if (s) {
      assert.ok(hasIdentity(f, s.ino, s.size, s.mtimeMs, s.ctimeMs));
      assert.ok(!hasIdentity(f, s.ino, s.size + 1, s.mtimeMs, s.ctimeMs));
    }
  }
  assert.equal(identityOf(join(m.root, 'no', 'such', 'Makefile')), null);
  assert.equal(identityOf(join(m.root, 'Makefile', 'under-a-file')), null);
  assert.ok(!hasIdentity(join(m.root, 'no-such-file'), 1, 1, 1, 1));
});
