// The on-disk index between processes: categories and packages taken from it while their
// Makefiles keep their identity, read again when not; text that is not ASCII kept exactly; and a
// damaged index file (fast-check mutations of a real one) never fatal, never a malformed model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateTree } from '../fixtures/generate';
import type { TreeManifest } from '../fixtures/generate';
import { PkgsrcTree, packageVars } from '../../src/pkgsrc/tree';
import type { TreeIndex } from '../../src/pkgsrc/tree';

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

/** JSON as the index is written: ASCII, other characters escaped. */
const ascii = (json: string) => json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

interface IndexFile {
  categories: [string, unknown, { comment?: { value: string }; packages: unknown[] }][];
  packages: (string | number)[][];
}

test('a second process gets the same model from the index, text that is not ASCII included', async () => {
  assert.match(saved, /^[\x00-\x7f]*$/, 'the index file is ASCII');
  const again = await new PkgsrcTree(m.root, { cacheFile }).index();
  assert.deepEqual(again, fresh);
  const cafe = again.packages.filter((p) => p.vars.COMMENT?.value.startsWith('Caf\u00e9 '));
  assert.equal(cafe.length, 2);
});

test('categories come from the index while their Makefile is unchanged, and are read again when it changes', async () => {
  const data = JSON.parse(saved) as IndexFile;
  const [kept, edited] = m.categories.filter((c) => c.active);
  data.categories.find((c) => c[0] === kept!.name)![2].comment!.value = 'from the on-disk index';
  data.categories.find((c) => c[0] === edited!.name)![2].comment!.value = 'stale';
  const file = join(dir, 'marked.json');
  writeFileSync(file, ascii(JSON.stringify(data)), 'latin1');
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
    const after = JSON.parse(readFileSync(file, 'latin1')) as IndexFile;
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
    assert.deepEqual(idx.categories.map((c) => c.name), fresh.categories.map((c) => c.name));
    assert.equal(idx.packages.length, idx.totals.packages);
    for (const c of idx.categories) for (const e of c.packages) assert.ok(typeof e.path === 'string' && typeof e.dir === 'string' && e.range.start !== undefined);
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
  for (const text of ['', 'null', '[]', '{}', saved.replace(/"version":\d+/, '"version":1'), saved.replace(/"packages":\["[^"]+",/, '"packages":["a/b",'), saved.replace(/"packages":\["[^"]+",\d+/, '"packages":["x","9"'), saved.replace(/"stamps":\[/, '"stamps":[1,'), `${saved.slice(0, 200)}\u00e9${saved.slice(200)}`, saved.replace(/,"ok",0,0,\d+,"/, ',"ok",0,0,"x","')]) {
    assert.notEqual(text, saved);
    await check(text);
    assert.deepEqual(await new PkgsrcTree(m.root, { cacheFile: file }).index(), fresh);
  }
  const tokens = ['0', '-1', '1e9', '"x"', 'null', '[]', '{}', 'true', '"ok"', '99', '[0]'];
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: saved.length - 1 }), fc.nat({ max: 12 }), fc.constantFrom(...tokens), async (at, del, ins) => check(saved.slice(0, at) + ins + saved.slice(at + del))),
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
