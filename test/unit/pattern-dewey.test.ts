import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareVersions, deweyTest, parseVersion, type DeweyOp } from '../../src/pkgsrc/pattern/dewey';
import { pkgMatch } from '../../src/pkgsrc/pattern/match';

function cmp(a: string, b: string): number {
  return compareVersions(a, b);
}

test('numbers compare as numbers, missing components as zero', () => {
  assert.equal(cmp('10', '9'), 1);
  assert.equal(cmp('1.0', '1.0.0'), 0);
  assert.equal(cmp('1.0', '1.0.1'), -1);
  assert.equal(cmp('2.0', '1.9999'), 1);
  assert.equal(cmp('1.10', '1.9'), 1);
  assert.equal(cmp('20121220', '20070806'), 1);
});

test('alpha < beta < pre = rc < release < pl, case-insensitive', () => {
  const order = ['1.0alpha1', '1.0beta1', '1.0pre1', '1.0', '1.0pl1'];
  for (let i = 0; i + 1 < order.length; i++) assert.equal(cmp(order[i]!, order[i + 1]!), -1, `${order[i]} < ${order[i + 1]}`);
  assert.equal(cmp('1.0pre1', '1.0rc1'), 0);
  assert.equal(cmp('1.0RC1', '1.0rc1'), 0);
  assert.equal(cmp('1.0Beta2', '1.0beta2'), 0);
  assert.equal(cmp('1.0rc2', '1.0rc10'), -1);
  assert.equal(cmp('1.0alpha', '1.0'), -1);
});

test('pl, _ and . are all separators worth 0', () => {
  assert.equal(cmp('1.0pl1', '1.0.1'), 0);
  assert.equal(cmp('1.0_1', '1.0.1'), 0);
  assert.deepEqual(parseVersion('1.0').parts, [1, 0, 0]);
});

test('a letter counts as .N with its place in the alphabet (pkg_install quirk: 1.0a == 1.0.1)', () => {
  assert.equal(cmp('1.0a', '1.0.1'), 0);
  assert.equal(cmp('1.0b', '1.0a'), 1);
  assert.equal(cmp('1.0A', '1.0a'), 0);
  assert.equal(cmp('2.2.6b', '2.2.6a'), 1);
  assert.deepEqual(parseVersion('9.8e').parts, [9, 0, 8, 0, 5]);
});

test('nbN is the revision, compared last; the last nb wins', () => {
  assert.equal(cmp('1.0nb1', '1.0'), 1);
  assert.equal(cmp('1.0nb1', '1.0.1'), -1);
  assert.equal(cmp('1.2.3nb10', '1.2.3nb2'), 1);
  assert.equal(cmp('1.0NB3', '1.0nb3'), 0);
  assert.equal(parseVersion('1.0nb2nb5').nb, 5);
  assert.equal(cmp('2.2.6bnb8', '2.2.6bnb3'), 1);
});

test('other characters are skipped', () => {
  assert.equal(cmp('1.0+git', '1.0.7.9.20'), 0);
  assert.equal(cmp('1~2', '12'), -1);
  assert.deepEqual(parseVersion('1-2').parts, [1, 2]);
  assert.deepEqual(parseVersion('').parts, []);
});

test('components are C ints: digits wrap at 32 bits like pkg_install', () => {
  assert.equal(parseVersion('4294967296').parts[0], 0);
  assert.equal(parseVersion('2147483648').parts[0], -2147483648);
  assert.equal(cmp('4294967296', '0'), 0);
});

test('deweyTest evaluates each operator', () => {
  const cases: [string, DeweyOp, string, boolean][] = [
    ['1.2', '>=', '1.2', true],
    ['1.2', '>', '1.2', false],
    ['1.2nb1', '>', '1.2', true],
    ['1.1', '<', '1.2', true],
    ['1.2', '<=', '1.2.0', true],
    ['1.2', '==', '1.2.0', true],
    ['1.2', '!=', '1.2.0', false],
    ['1.2rc1', '<', '1.2', true],
  ];
  for (const [a, op, b, want] of cases) assert.equal(deweyTest(a, op, b), want, `${a} ${op} ${b}`);
});

// Versions made of the pieces pkgsrc uses; never '<', '>', '{' or glob characters, so they can
// be put into a dewey pattern unchanged.
const piece = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map(String),
  fc.constantFrom('.', '.', '_', 'alpha', 'beta', 'pre', 'rc', 'pl', 'nb', 'a', 'b', 'z', 'Rc', '+'),
);
// Digit runs stay under ten digits: beyond 32 bits components wrap as in C, and the order with them.
const version = fc
  .array(piece, { minLength: 1, maxLength: 8 })
  .map((p) => p.join(''))
  .filter((v) => !/\d{10}/.test(v));

test('property: version order is a total preorder', () => {
  fc.assert(
    fc.property(version, version, version, (a, b, c) => {
      assert.equal(cmp(a, a), 0);
      assert.ok(cmp(a, b) === -cmp(b, a), `${a} vs ${b}`);
      if (cmp(a, b) <= 0 && cmp(b, c) <= 0) assert.ok(cmp(a, c) <= 0, `${a} <= ${b} <= ${c}`);
      if (cmp(a, b) === 0) assert.equal(cmp(a, c), cmp(b, c));
    }),
    { numRuns: 3000 },
  );
});

test('property: name-v matches name<op>w exactly when the comparison holds', () => {
  const ops: DeweyOp[] = ['<', '<=', '>', '>='];
  fc.assert(
    fc.property(version, version, fc.constantFrom(...ops), (v, w, op) => {
      assert.equal(pkgMatch(`pkg${op}${w}`, `pkg-${v}`), deweyTest(v, op, w), `pkg-${v} vs pkg${op}${w}`);
    }),
    { numRuns: 3000 },
  );
});

test('property: a range matches exactly the versions between its bounds', () => {
  fc.assert(
    fc.property(version, version, version, fc.boolean(), (v, lo, hi, inclusive) => {
      const upper = inclusive ? '<=' : '<';
      const want = cmp(v, lo) >= 0 && (inclusive ? cmp(v, hi) <= 0 : cmp(v, hi) < 0);
      assert.equal(pkgMatch(`foo>=${lo}${upper}${hi}`, `foo-${v}`), want);
    }),
    { numRuns: 2000 },
  );
});

test('property: random strings never throw', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
      const c = compareVersions(a, b);
      assert.ok(c === -1 || c === 0 || c === 1);
    }),
    { numRuns: 2000 },
  );
});
