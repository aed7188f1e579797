import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { lookupUser, setprivArgs } from '../../src/engine/sandbox/users';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { limitArgv } from '../../src/engine/sandbox/exec';
import { dropScratch, scratch } from './fixtures';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\n# a comment\npbulk:x:500:500:pbulk user:/home/pbulk:/bin/sh\nbroken line\n';
const GROUP = 'root:x:0:\nwheel:x:10:root,pbulk\npbulk:x:500:\nstaff:x:50:other\n';

test("lookupUser reads the sandbox's passwd and group: ids, supplementary groups, numeric names", async () => {
  const s = scratch('users');
  try {
    mkdirSync(`${s}/etc`);
    writeFileSync(`${s}/etc/passwd`, PASSWD);
    writeFileSync(`${s}/etc/group`, GROUP);
    assert.deepEqual(lookupUser(`${s}/etc`, 'pbulk'), { name: 'pbulk', uid: 500, gid: 500, groups: [10, 500], home: '/home/pbulk' });
    assert.equal(lookupUser(`${s}/etc`, '500').name, 'pbulk');
    assert.throws(
      () => lookupUser(`${s}/etc`, 'nobody-here'),
      (e: unknown) => e instanceof SandboxError && e.message.includes(`${s}/etc/passwd`),
    );
    writeFileSync(`${s}/etc/passwd`, 'pbulk:x::500::/:/bin/sh\n');
    assert.throws(() => lookupUser(`${s}/etc`, 'pbulk'), /bad uid or gid/, 'an empty uid never reads as root');
    writeFileSync(`${s}/etc/passwd`, PASSWD);
    assert.deepEqual(setprivArgs('/usr/bin/setpriv', lookupUser(`${s}/etc`, 'pbulk')), [
      '/usr/bin/setpriv',
      '--reuid=500',
      '--regid=500',
      '--groups=10,500',
      '--',
    ]);
  } finally {
    await dropScratch(s);
  }
});

test('lookupUser on random or mutated passwd/group files returns ids or a SandboxError, nothing else (property)', async () => {
  const s = scratch('users');
  try {
    mkdirSync(`${s}/etc`);
    const mutate = (text: string) =>
      fc.tuple(fc.nat(text.length), fc.nat(10), fc.string()).map(([at, del, ins]) => text.slice(0, at) + ins + text.slice(at + del));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), mutate(PASSWD)),
        fc.oneof(fc.string(), mutate(GROUP)),
        fc.constantFrom('pbulk', 'root', '500', '', 'x:y'),
        (passwd, group, user) => {
          writeFileSync(`${s}/etc/passwd`, passwd);
          writeFileSync(`${s}/etc/group`, group);
          try {
            const ids = lookupUser(`${s}/etc`, user);
            assert.ok(Number.isInteger(ids.uid) && Number.isInteger(ids.gid));
            assert.ok(ids.uid !== 0 || /(^|\n)[^:\n]*:[^:\n]*:0+:/.test(passwd), 'uid 0 only when the file says 0');
            assert.ok(ids.groups.includes(ids.gid));
          } catch (e) {
            assert.ok(e instanceof SandboxError, String(e));
          }
        },
      ),
      { numRuns: 300 },
    );
  } finally {
    await dropScratch(s);
  }
});

test('limits become a prlimit prefix with soft = hard, as `ulimit -t/-v` sets both', () => {
  assert.deepEqual(limitArgv(undefined, ['make']), ['make']);
  const a = limitArgv({ cpuSeconds: 3600, virtualMemoryKiB: 2048 }, ['make', 'all']);
  assert.match(a[0]!, /\/prlimit$/);
  assert.deepEqual(a.slice(1), ['--cpu=3600:3600', `--as=${2048 * 1024}:${2048 * 1024}`, '--', 'make', 'all']);
  assert.throws(() => limitArgv({ cpuSeconds: 1.5 }, ['x']), /positive integer/);
});
