import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  escapeMountPath,
  isReadOnly,
  mountsUnder,
  parseMountinfo,
  readMountinfoSync,
  unescapeMountPath,
  unmountOrder,
} from '../../src/engine/sandbox/mountinfo';
import { checkMounted } from '../../src/engine/sandbox/mounts';

const SAMPLE = [
  '22 27 0:21 / /proc rw,relatime - proc proc rw',
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
  '42 27 254:0 /usr /sb/r/usr ro,relatime shared:5 master:1 - ext4 /dev/vda rw',
  '43 42 254:0 /var/tmp/pkg\\040src /sb/r/usr/pkg\\040src rw,relatime - ext4 /dev/vda rw',
  '44 27 0:39 / /sb/r/proc rw,nosuid,nodev,noexec - proc proc rw',
  '45 27 254:0 /usr/bin /sb/r2/bin ro - ext4 /dev/vda rw',
  '46 44 0:40 / /sb/r/proc rw - tmpfs tmpfs rw',
].join('\n');

test('parseMountinfo reads optional fields, escapes and the ro flag', () => {
  const { entries, problems } = parseMountinfo(SAMPLE);
  assert.deepEqual(problems, []);
  assert.equal(entries.length, 7);
  const usr = entries[2]!;
  assert.equal(usr.mountPoint, '/sb/r/usr');
  assert.equal(usr.fsType, 'ext4');
  assert.equal(isReadOnly(usr), true);
  assert.equal(entries[3]!.mountPoint, '/sb/r/usr/pkg src');
  assert.equal(entries[3]!.fsRoot, '/var/tmp/pkg src');
  assert.equal(isReadOnly(entries[3]!), false);
  assert.equal(entries[3]!.line, 4);
});

test('mountsUnder takes the root and below, not a sibling with the same prefix', () => {
  const { entries } = parseMountinfo(SAMPLE);
  assert.deepEqual(
    mountsUnder(entries, '/sb/r').map((e) => e.id),
    [42, 43, 44, 46],
  );
  assert.deepEqual(
    mountsUnder(entries, '/sb/r2').map((e) => e.id),
    [45],
  );
});

test('unmountOrder: deepest first, and the upper of two stacked mounts before the lower', () => {
  const { entries } = parseMountinfo(SAMPLE);
  const order = unmountOrder(mountsUnder(entries, '/sb/r')).map((e) => e.id);
  assert.deepEqual(order, [43, 46, 44, 42]);
});

test('checkMounted reports a read-only mount that the kernel shows writable, and a missing one', () => {
  const { entries } = parseMountinfo(SAMPLE);
  const bad = checkMounted(
    '/sb/r',
    [
      { type: 'bind', source: '/usr', target: '/usr', ro: true },
      { type: 'bind', source: '/var/tmp/pkg src', target: '/usr/pkg src', ro: true },
      { type: 'bind', source: '/opt', target: '/opt', ro: false },
      { type: 'proc', source: 'proc', target: '/proc', ro: false },
    ],
    entries,
  );
  assert.equal(bad.length, 3);
  assert.match(bad[0]!, /\/usr\/pkg src: asked read-only but the kernel shows it writable/);
  assert.match(bad[1]!, /\/opt: not mounted/);
  assert.match(bad[2]!, /\/proc: expected proc, found tmpfs/);
});

test('the real /proc/self/mountinfo parses without problems', () => {
  const entries = readMountinfoSync();
  assert.ok(entries.some((e) => e.mountPoint === '/'));
});

test('mount path escaping round-trips any string (property)', () => {
  const tricky = fc.string({ unit: fc.constantFrom('a', '/', '\\', ' ', '\t', '\n', '0', '4', '7', 'é', '\u{1F600}') });
  fc.assert(
    fc.property(fc.oneof(tricky, fc.string()), (s) => {
      // A path never holds a literal backslash-octal sequence we did not write ourselves.
      assert.equal(unescapeMountPath(escapeMountPath(s)), s);
    }),
  );
});

test('parseMountinfo never throws on random or mutated input and keeps lines in range (property)', () => {
  const lines = SAMPLE.split('\n');
  const mutated = fc.tuple(fc.integer({ min: 0, max: lines.length - 1 }), fc.integer({ min: 0, max: 200 }), fc.string()).map(([i, at, ins]) => {
    const l = lines.slice();
    l[i] = l[i]!.slice(0, at) + ins + l[i]!.slice(at + ins.length);
    return l.join('\n');
  });
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('1', ' ', '-', '/', '\n', ',', 'x') }), mutated), (text) => {
      const { entries, problems } = parseMountinfo(text);
      const count = text.split('\n').length;
      for (const e of entries) {
        assert.ok(e.line >= 1 && e.line <= count);
        assert.ok(e.mountPoint.startsWith('/'));
      }
      assert.ok(entries.length + problems.length <= count);
    }),
    { numRuns: 500 },
  );
});
