import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fnmatch } from '../../src/pkgsrc/pattern/fnmatch';
import { expandFirstGroup, patternError, pkgMatch, quickMatch } from '../../src/pkgsrc/pattern/match';
import { bestMatch, comparePkgnames, pkgOrder, splitPkgname } from '../../src/pkgsrc/pattern/order';

function yes(pattern: string, ...names: string[]): void {
  for (const n of names) assert.equal(pkgMatch(pattern, n), true, `${pattern} should match ${n}`);
}
function no(pattern: string, ...names: string[]): void {
  for (const n of names) assert.equal(pkgMatch(pattern, n), false, `${pattern} should not match ${n}`);
}

test('dewey patterns compare the version of the same package name', () => {
  yes('foo>=1.2', 'foo-1.2', 'foo-1.3', 'foo-1.2nb1', 'foo-10');
  no('foo>=1.2', 'foo-1.1', 'foo-1.2rc1', 'foobar-1.3', 'foo-bar-1.3', 'fo-1.3', 'foo');
  yes('foo<2', 'foo-1.9', 'foo-2.0rc1');
  no('foo<2', 'foo-2', 'foo-2.0nb1');
  yes('foo>1.0', 'foo-1.0nb1', 'foo-1.0.1');
  no('foo>1.0', 'foo-1.0', 'foo-1.0.0');
  yes('foo<=1.0', 'foo-1.0.0');
  // Components are numbers, not decimals: 0.4003 < 0.36030 (why pkgsrc perl modules pad).
  yes('p5-Module-Build>=0.36030', 'p5-Module-Build-0.40030');
  no('p5-Module-Build>=0.36030', 'p5-Module-Build-0.4003nb1', 'p5-Module-Build-0.3603');
});

test('dewey ranges: a lower bound with an upper < or <= bound', () => {
  yes('foo>=1.2<2', 'foo-1.2', 'foo-1.9.9', 'foo-2.0rc1');
  no('foo>=1.2<2', 'foo-2', 'foo-2.0', 'foo-1.1');
  yes('foo>1.2<=2', 'foo-2', 'foo-1.2nb1');
  no('foo>1.2<=2', 'foo-1.2', 'foo-2.0nb1');
  yes('python27>=2.7<2.8', 'python27-2.7.3nb3');
});

test('globs use fnmatch with FNM_PERIOD', () => {
  yes('tnftp-[0-9]*', 'tnftp-20070806');
  no('tnftp-[0-9]*', 'tnftp-bsd-1.0', 'tnftp-');
  yes('libao-[a-z]*-[0-9]*', 'libao-oss-1.1.0nb7', 'libao-pulse-1.1.0nb7');
  no('libao-[a-z]*-[0-9]*', 'libao-1.1.0');
  yes('py2[67]-foo-*', 'py26-foo-1', 'py27-foo-2');
  no('py2[67]-foo-*', 'py25-foo-1');
  yes('foo-?.0', 'foo-1.0');
  yes('*', 'anything-1');
  no('*', '.hidden-1');
  yes('.hidden-*', '.hidden-1');
});

test('fnmatch sets, escapes and broken brackets', () => {
  assert.equal(fnmatch('[!a]*', 'b-1'), true);
  assert.equal(fnmatch('[^a]*', 'a-1'), false);
  assert.equal(fnmatch('[]a]x', ']x'), true);
  assert.equal(fnmatch('[a-c]x', 'bx'), true);
  assert.equal(fnmatch('[a-c]x', 'dx'), false);
  assert.equal(fnmatch('[a-]x', '-x'), true);
  assert.equal(fnmatch('[[:digit:]]*', '9lives-1'), true);
  assert.equal(fnmatch('[[:alpha:]]*', '9lives-1'), false);
  assert.equal(fnmatch('\\*x', '*x'), true);
  assert.equal(fnmatch('\\*x', 'ax'), false);
  assert.equal(fnmatch('a[b', 'a[b'), true, 'a [ without ] is an ordinary character');
  assert.equal(fnmatch('ab\\', 'ab\\'), false, 'a trailing backslash matches nothing');
  assert.equal(fnmatch('*a*b*c', 'xaybzc'), true);
  assert.equal(fnmatch('*a*b*c', 'xaybz'), false);
});

test('csh alternatives, nested, with empty members', () => {
  yes('mpg123{,-esound,-nas}>=0.59.18', 'mpg123-1.12.5nb1', 'mpg123-nas-1.12.5nb1', 'mpg123-esound-1.0');
  no('mpg123{,-esound,-nas}>=0.59.18', 'mpg123-oss-1.0', 'mpg123-0.59.17');
  yes('{perl>=5.10.1,p5-ExtUtils-CBuilder>=0.24}', 'perl-5.16.2nb4', 'p5-ExtUtils-CBuilder-0.24');
  no('{perl>=5.10.1,p5-ExtUtils-CBuilder>=0.24}', 'perl-5.8.9', 'p5-ExtUtils-CBuilder-0.23');
  yes('{a{b,c},d}-[0-9]*', 'ab-1', 'ac-1', 'd-1');
  no('{a{b,c},d}-[0-9]*', 'a-1', 'abc-1');
  yes('{ghostscript-gpl,ghostscript-agpl}>=6.01', 'ghostscript-agpl-9.07nb1');
  yes('x{a,b}y{1,2}-[0-9]*', 'xay2-3', 'xby1-0');
  assert.deepEqual(expandFirstGroup('x{a,{b,c}}y{1,2}'), ['xay{1,2}', 'x{b,c}y{1,2}']);
});

test('malformed alternatives are an error and match nothing', () => {
  assert.equal(patternError('{a,b'), "Malformed alternate `{a,b'");
  assert.equal(patternError('x{a,b}{c'), "Malformed alternate `xa{c'");
  assert.equal(patternError('foo>=1.0'), undefined);
  no('{a,b', 'a-1', '{a,b');
  assert.match(patternError('{a,b}'.repeat(13)) ?? '', /Too many alternatives/);
});

test('an exact name matches only itself; pkg_install also accepts a bare name on request', () => {
  yes('foo-1.0', 'foo-1.0');
  no('foo-1.0', 'foo-1.0nb1', 'foo-1.00');
  no('foo', 'foo-1.0');
  assert.equal(pkgMatch('foo', 'foo-1.0', { bareNames: true }), true);
  assert.equal(pkgMatch('foo', 'foobar-1.0', { bareNames: true }), false);
  assert.equal(pkgMatch('fo?', 'foo-2', { bareNames: true }), true);
  assert.equal(pkgMatch('foo>=1', 'foo-2', { bareNames: true }), true);
});

test('quickMatch looks only at the first two plain characters', () => {
  assert.equal(quickMatch('foo>=1', 'bar-1'), false);
  assert.equal(quickMatch('foo>=1', 'fx-1'), false);
  assert.equal(quickMatch('foo>=1', 'fo-1'), true);
  assert.equal(quickMatch('{a,b}', 'zz'), true);
  assert.equal(quickMatch('f*', 'zz'), false);
  assert.equal(quickMatch('f*', 'fz'), true);
});

test('pkgOrder: highest version, then the byte-wise later name', () => {
  assert.equal(pkgOrder('foo-1.0', 'foo-1.1'), 'foo-1.1');
  assert.equal(pkgOrder('foo-1.1', 'foo-1.0'), 'foo-1.1');
  assert.equal(pkgOrder('libao-oss-1.1.0nb7', 'libao-pulse-1.1.0nb7'), 'libao-pulse-1.1.0nb7');
  assert.equal(pkgOrder('foo-1.0.0', 'foo-1.0'), 'foo-1.0.0', 'equal versions: the later name');
  assert.equal(pkgOrder('a-2', 'b-1'), 'a-2', 'versions first, names only on a tie');
  assert.equal(bestMatch(['mpg123-1.12.5nb1', 'mpg123-nas-1.12.5nb1', 'mpg123-esound-1.12.5nb1']), 'mpg123-nas-1.12.5nb1');
  assert.equal(bestMatch([]), undefined);
  assert.deepEqual(splitPkgname('p5-Foo-Bar-1.0nb2'), { base: 'p5-Foo-Bar', version: '1.0nb2' });
  assert.equal(splitPkgname('noversion'), undefined);
});

const nameChar = fc.constantFrom(...'abcxyz019-._+'.split(''));
const name = fc.array(nameChar, { minLength: 1, maxLength: 12 }).map((c) => c.join(''));
const plainPattern = fc.oneof(
  name,
  name.map((n) => `${n}-[0-9]*`),
  fc.tuple(name, fc.constantFrom('>=', '<', '>', '<='), name).map(([n, op, v]) => `${n}${op}${v}`),
  name.map((n) => `${n}*`),
);

test('property: matching random patterns against random names never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.boolean(), (p, n, bare) => {
      assert.equal(typeof pkgMatch(p, n, { bareNames: bare }), 'boolean');
      const e = patternError(p);
      assert.ok(e === undefined || typeof e === 'string');
    }),
    { numRuns: 5000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('{', '}', ',', 'a', '>', '=', '1', '-', '*', '[', ']', '\\'), maxLength: 24 }), name, (p, n) => {
      pkgMatch(p, n);
    }),
    { numRuns: 5000 },
  );
});

test('property: {p,q} matches exactly what p or q matches', () => {
  fc.assert(
    fc.property(plainPattern, plainPattern, name, name, (p, q, base, ver) => {
      const n = `${base}-${ver}`;
      assert.equal(pkgMatch(`{${p},${q}}`, n), pkgMatch(p, n) || pkgMatch(q, n), `{${p},${q}} vs ${n}`);
    }),
    { numRuns: 3000 },
  );
});

test('property: a name escaped character by character globs to itself only', () => {
  fc.assert(
    fc.property(name, name, (a, b) => {
      const escaped = `${a
        .split('')
        .map((c) => `\\${c}`)
        .join('')}*`;
      assert.equal(fnmatch(escaped, a), true);
      assert.equal(fnmatch(escaped, b), b.startsWith(a));
    }),
    { numRuns: 2000 },
  );
});

test('property: comparePkgnames is a total order and bestMatch is its maximum', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(name, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 8 }), (parts) => {
      const names = parts.map(([n, v, nb]) => `${n}-${v}${nb ? `nb${nb}` : ''}`);
      for (const a of names) {
        for (const b of names) {
          assert.ok(comparePkgnames(a, b) === -comparePkgnames(b, a));
          assert.equal(comparePkgnames(a, b) === 0, a === b);
          for (const c of names) if (comparePkgnames(a, b) > 0 && comparePkgnames(b, c) > 0) assert.ok(comparePkgnames(a, c) > 0);
        }
      }
      const best = bestMatch(names)!;
      for (const n of names) assert.ok(comparePkgnames(best, n) >= 0);
    }),
    { numRuns: 1000 },
  );
});
