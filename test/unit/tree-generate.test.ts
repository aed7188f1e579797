// The fixture generator itself: deterministic, counts that match its files, and Makefiles that
// real bmake reads to the values the manifest promises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTree } from '../fixtures/generate';
import type { TreeManifest } from '../fixtures/generate';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-gen-'));
}

const odd = { crlf: 2, trailingWhitespace: 2, latin1Comment: 2, noMakefile: 1, noDir: 1 };

function withTree(n: number, seed: number, fn: (m: TreeManifest) => Promise<void> | void, extra = {}) {
  return async () => {
    const dir = tmp();
    try {
      await fn(generateTree(join(dir, 'pkgsrc'), { packages: n, seed, oddities: odd, leftovers: true, ...extra }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Active SUBDIR+= entries, the way §7.2 says to count them. */
function subdirs(file: string): string[] {
  return readFileSync(file, 'latin1')
    .split('\n')
    .map((l) => /^SUBDIR\+=\s*(\S+)/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined && !x.startsWith('${'));
}

test('the same seed gives the same tree; another seed another one', () => {
  const a = tmp();
  try {
    const m1 = generateTree(join(a, 't1'), { packages: 40, seed: 5 });
    const m2 = generateTree(join(a, 't2'), { packages: 40, seed: 5 });
    const m3 = generateTree(join(a, 't3'), { packages: 40, seed: 6 });
    const strip = (m: TreeManifest) => JSON.stringify({ ...m, root: '' });
    assert.equal(strip(m1), strip(m2));
    assert.notEqual(strip(m1), strip(m3));
    for (const p of m1.packages.slice(0, 10)) {
      assert.deepEqual(readFileSync(join(a, 't1', p.path, 'Makefile')), readFileSync(join(a, 't2', p.path, 'Makefile')));
    }
  } finally {
    rmSync(a, { recursive: true, force: true });
  }
});

test('out-of-range sizes and non-empty directories are refused', () => {
  const a = tmp();
  try {
    assert.throws(() => generateTree(join(a, 'x'), { packages: 9 }), RangeError);
    assert.throws(() => generateTree(join(a, 'x'), { packages: 12001 }), RangeError);
    generateTree(join(a, 'y'), { packages: 10 });
    assert.throws(() => generateTree(join(a, 'y'), { packages: 10 }), /not empty/);
  } finally {
    rmSync(a, { recursive: true, force: true });
  }
});

test(
  'counts in the manifest match the files (pbulk-reference §7.2 recipe)',
  withTree(250, 11, (m) => {
    const cats = subdirs(join(m.root, 'Makefile'));
    assert.equal(cats.length, m.counts.categories);
    assert.ok(!cats.includes('regress'));
    assert.match(readFileSync(join(m.root, 'Makefile'), 'utf8'), /^#SUBDIR\+=\s+regress\s+# regression tests/m);
    let locations = 0;
    let withMakefile = 0;
    for (const c of cats) {
      locations += subdirs(join(m.root, c, 'Makefile')).length;
      withMakefile += readdirSync(join(m.root, c)).filter((d) => existsSync(join(m.root, c, d, 'Makefile'))).length;
    }
    assert.equal(locations, m.counts.packages);
    assert.equal(locations, 250);
    assert.equal(withMakefile, m.counts.packageDirsWithMakefile);
    assert.equal(m.counts.disabledCategories, 1);
    assert.ok(m.counts.disabledPackages >= 1 && m.counts.fragments >= 1 && m.counts.includeOtherCommon >= 1);
    assert.ok(m.counts.pkgnameUnresolved > 0 && m.counts.pkgnameUnresolved < m.counts.pkgnameSet);
    assert.ok(existsSync(join(m.root, 'lang/python/pyversion.mk')) && !existsSync(join(m.root, 'lang/python/Makefile')));
    assert.equal(m.leftovers.length, 5);
  }),
);

test(
  'real bmake reads SUBDIR and package values as the manifest says',
  withTree(80, 3, async (m) => {
    // execa is ESM-only and the tests run as CommonJS.
    const { execa } = await import('execa');
    const V = async (cwd: string, ...vars: string[]) => {
      const r = await execa(
        'bmake',
        vars.flatMap((v) => ['-V', `\${${v}}`]),
        { cwd, encoding: 'latin1' },
      );
      return r.stdout.split('\n');
    };
    const [top] = await V(m.root, 'SUBDIR');
    assert.deepEqual(
      top!.trim().split(/\s+/),
      m.categories
        .filter((c) => c.active)
        .map((c) => c.name)
        .sort((a, b) => (a === 'x11' ? -1 : b === 'x11' ? 1 : a.localeCompare(b))),
    );
    for (const c of m.categories.filter((x) => x.active)) {
      const [sub] = await V(join(m.root, c.name), 'SUBDIR');
      assert.deepEqual(
        sub!.trim().split(/\s+/).filter(Boolean),
        c.packages.filter((p) => p.listed).map((p) => p.dir),
        c.name,
      );
    }
    const sample = m.packages.filter((p) => p.scanned && !p.oddities.some((o) => o === 'no-dir' || o === 'no-makefile'));
    // Every kind of naming and every oddity once, rather than many of one kind.
    const seen = new Set<string>();
    const picked = sample.filter((p) => {
      const kind = `${p.style}:${p.oddities.join(',')}`;
      if (seen.has(kind)) return false;
      seen.add(kind);
      return true;
    });
    for (const p of picked) {
      const [comment, pkgname, homepage, categories] = await V(join(m.root, p.path), 'COMMENT', 'PKGNAME', 'HOMEPAGE', 'CATEGORIES');
      assert.equal(comment, p.comment, `${p.path} COMMENT`);
      assert.equal(pkgname, p.pkgname, `${p.path} PKGNAME`);
      assert.equal(homepage, p.homepage ?? '', `${p.path} HOMEPAGE`);
      assert.equal(categories, p.categories.join(' '), `${p.path} CATEGORIES`);
    }
  }),
);

test(
  'customize can set engine knobs, and PKGNAMEs follow',
  withTree(
    30,
    4,
    (m) => {
      const p = m.packages.find((x) => x.python && x.scanned && x.oddities.length === 0);
      assert.ok(p, 'the tree has a Python package');
      assert.deepEqual(p.variants, [
        `py27-${p.stem}-${p.version}${p.pkgrevision ? `nb${p.pkgrevision}` : ''}`,
        `py26-${p.stem}-${p.version}${p.pkgrevision ? `nb${p.pkgrevision}` : ''}`,
      ]);
      const text = readFileSync(join(m.root, p.path, 'Makefile'), 'utf8');
      assert.match(text, /^PYTHON_VERSIONS_ACCEPTED=\t26 27$/m);
      assert.match(text, /^FIXTURE_FAIL_PHASE=\tbuild$/m);
      assert.match(text, /^BROKEN=\t\tdoes not \\# compile$/m);
    },
    {
      customize: (pkgs: import('../fixtures/generate').PackagePlan[]) => {
        for (const p of pkgs) {
          if (p.python && p.scanned && p.oddities.length === 0) {
            p.multiVersion = ['26', '27'];
            p.failPhase = 'build';
            p.broken = 'does not # compile';
          }
        }
      },
    },
  ),
);

test(
  'package Makefiles are as large and include-heavy as pkgsrc 2013 (31 lines, 910 bytes, 3.2 includes each)',
  withTree(1500, 17, (m) => {
    let files = 0;
    let bytes = 0;
    let lines = 0;
    let includes = 0;
    const sizes: number[] = [];
    for (const p of m.packages) {
      if (p.oddities.includes('no-dir') || p.oddities.includes('no-makefile')) continue;
      const text = readFileSync(join(m.root, p.path, 'Makefile'), 'latin1');
      const n = text.split('\n').length - 1;
      files++;
      bytes += text.length;
      lines += n;
      sizes.push(n);
      includes += text.split('\n').filter((l) => l.startsWith('.include')).length;
    }
    sizes.sort((a, b) => a - b);
    const near = (what: string, got: number, want: number, tolerance: number) =>
      assert.ok(Math.abs(got - want) <= want * tolerance, `${what}: ${got.toFixed(2)}, pkgsrc has ${want}`);
    near('lines per Makefile', lines / files, 31.0, 0.1);
    near('bytes per Makefile', bytes / files, 910, 0.1);
    near('.include lines per Makefile', includes / files, 3.2, 0.1);
    // The long tail: a tenth of pkgsrc's Makefiles have more than 50 lines.
    assert.ok(sizes[Math.floor(files * 0.9)]! >= 40, `90th percentile ${sizes[Math.floor(files * 0.9)]} lines`);
  }),
);
