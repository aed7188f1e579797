// "Go to Package..." matching: words of the path or COMMENT in any order, prefixes, path letters
// in order; checked on a generated tree's real index and by fast-check on random queries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateTree } from '../fixtures/generate';
import { PkgsrcTree, findEntries, findPackages } from '../../src/pkgsrc/tree';
import type { FindEntry, PackageInfo } from '../../src/pkgsrc/tree';

let dir: string;
let packages: PackageInfo[];
let entries: FindEntry<PackageInfo>[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-find-'));
  const m = generateTree(join(dir, 'pkgsrc'), { packages: 300, seed: 9 });
  packages = (await new PkgsrcTree(m.root, { workers: false }).index()).packages;
  entries = findEntries(packages, (p) => ({ path: p.path, comment: p.vars.COMMENT?.value, other: p.vars.MAINTAINER?.value }));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const rows = [
  { path: 'www/firefox', comment: 'Web browser from Mozilla', maintainer: 'ryoon@NetBSD.org' },
  { path: 'www/firefox-l10n', comment: 'Language packs for www/firefox', maintainer: 'ryoon@NetBSD.org' },
  { path: 'textproc/py-lxml', comment: 'Python binding for libxml2 and libxslt', maintainer: 'wiz@NetBSD.org' },
  { path: 'textproc/libxml2', comment: 'XML parser library from the GNOME project', maintainer: 'pkgsrc-users@NetBSD.org' },
  { path: 'devel/py-setuptools', comment: 'New Python packaging system', maintainer: 'wiz@NetBSD.org' },
];
const small = findEntries(rows, (r) => ({ path: r.path, comment: r.comment, other: r.maintainer }));
const paths = (q: string) => findPackages(small, q).map((r) => r.path);

test('words in any order, prefixes, path letters in order, case ignored', () => {
  assert.deepEqual(paths('firefox'), ['www/firefox', 'www/firefox-l10n']);
  assert.deepEqual(paths('xml python'), ['textproc/py-lxml']);
  assert.deepEqual(paths('PYTHON xml'), ['textproc/py-lxml']);
  assert.deepEqual(paths('gnome pars'), ['textproc/libxml2']);
  assert.deepEqual(paths('wwwffox'), ['www/firefox', 'www/firefox-l10n']);
  // Equal fits: the shorter path first.
  assert.deepEqual(paths('wiz python'), ['textproc/py-lxml', 'devel/py-setuptools']);
  assert.deepEqual(paths('browser nonsense'), []);
  assert.equal(paths('').length, rows.length);
});

test('the better fit comes first: the package name, then the path, then the COMMENT', () => {
  // py-lxml's COMMENT says "libxml2", but libxml2 is the package of that name.
  assert.deepEqual(paths('libxml2'), ['textproc/libxml2', 'textproc/py-lxml']);
  // Both COMMENTs hold both words; one holds them as typed.
  assert.deepEqual(paths('packaging python'), ['devel/py-setuptools']);
  assert.deepEqual(paths('python packaging')[0], 'devel/py-setuptools');
});

test('on a real index: every package is found first by its path and among the hits for its COMMENT', () => {
  for (const p of packages) {
    assert.equal(findPackages(entries, p.path)[0], p, p.path);
    const comment = p.vars.COMMENT?.value;
    if (comment) assert.ok(findPackages(entries, comment, Infinity).includes(p), `${p.path}: ${comment}`);
  }
});

test('property: any query gives hits in which every word fits the path, COMMENT or maintainer', () => {
  const word = fc.stringMatching(/^[a-z0-9.\-/]{1,6}$/);
  const query = fc.oneof(
    fc.array(word, { maxLength: 3 }).map((ws) => ws.join(' ')),
    fc.string({ maxLength: 12 }),
  );
  fc.assert(
    fc.property(query, (q) => {
      const hits = findPackages(entries, q, Infinity);
      const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length === 0) assert.equal(hits.length, packages.length);
      for (const h of hits) {
        const text = [h.path, h.vars.COMMENT?.value ?? '', h.vars.MAINTAINER?.value ?? ''].join('\n').toLowerCase();
        for (const w of words) {
          let at = 0;
          for (const ch of w) at = at < 0 ? at : h.path.toLowerCase().indexOf(ch, at) + 1 || -1;
          assert.ok(text.includes(w) || at > 0, `${h.path} for "${q}"`);
        }
      }
    }),
    { numRuns: 300 },
  );
});
