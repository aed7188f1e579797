import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { build, check, logs, notifications, packages, ProtocolError, requests } from '../../src/protocol';
import { emptyTotals } from '../../src/pkgsrc/bulklog/states';

test('every method name exists once', () => {
  const names = [...requests, ...notifications].map((d) => d.method);
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.match(n, /^[a-z]+\/[a-zA-Z]+$/);
});

test('valid payloads pass and come back equal', () => {
  const start = { locations: ['devel/foo', 'lang/py-bar'], jobs: 2 };
  assert.deepEqual(check(build.Start.method, build.Start.params, start), start);
  const fin = {
    runId: 'r1',
    pkgname: 'foo-1.0nb2',
    location: 'devel/foo',
    state: 'failed',
    phase: 'build',
    slot: 0,
    time: 1,
    durationMs: 5,
    logPath: '/b/foo-1.0nb2/build.log',
    finished: 3,
    total: 9,
  };
  assert.deepEqual(check(packages.PackageFinished.method, packages.PackageFinished.params, fin), fin);
  const status = { stage: 'idle', bulklog: '/b', config: '/c', counts: emptyTotals(), total: 0, running: [] };
  assert.deepEqual(check(build.Status.method, build.Status.result, status), status);
});

test('invalid payloads are refused with the method and the field', () => {
  assert.throws(
    () => check(build.Start.method, build.Start.params, { locations: ['devel/foo/bar'] }),
    (e: unknown) => e instanceof ProtocolError && /build\/start/.test(e.message) && /locations\.0/.test(e.message),
  );
  assert.throws(() => check(build.Rebuild.method, build.Rebuild.params, {}), ProtocolError);
  assert.throws(() => check(logs.Follow.method, logs.Follow.params, { pkgname: 'a b' }), ProtocolError);
});

test('random payloads either pass or raise ProtocolError, never anything else', () => {
  const all = [...requests.map((r) => [r.method, r.params] as const), ...notifications.map((n) => [n.method, n.params] as const)];
  fc.assert(
    fc.property(fc.constantFrom(...all), fc.anything(), ([method, schema], value) => {
      try {
        check(method, schema, value);
      } catch (e) {
        assert.ok(e instanceof ProtocolError);
      }
    }),
    { numRuns: 500 },
  );
});

test('locations never climb out of their category', () => {
  for (const bad of ['devel/..', 'devel/.', '../x', '/abs/x', 'a/b/c', 'a b/c', '.hidden/x']) {
    assert.throws(() => check(build.Start.method, build.Start.params, { locations: [bad] }), ProtocolError, bad);
  }
  for (const good of ['devel/p5-Foo', 'x11/gtk2', 'lang/.x', 'wip/py-..x']) {
    assert.deepEqual(check(build.Start.method, build.Start.params, { locations: [good] }), { locations: [good] });
  }
});

test('a followed PKGNAME cannot name a directory outside the bulklog', () => {
  for (const bad of ['../../etc', '..', 'foo-1.0/../../x', '/etc/passwd']) {
    assert.throws(() => check(logs.Follow.method, logs.Follow.params, { pkgname: bad }), ProtocolError, bad);
  }
  assert.deepEqual(check(logs.Follow.method, logs.Follow.params, { pkgname: 'p5-Foo-Bar-1.0nb2' }), { pkgname: 'p5-Foo-Bar-1.0nb2' });
});

test("a client cannot hand the engine paths or commands: fields beyond the protocol's are dropped", () => {
  const sneaky = { locations: ['devel/foo'], pkgsrc: '/etc', bulklog: '/', make: 'rm -rf /', config: '/tmp/evil.conf', env: { LD_PRELOAD: '/x.so' } };
  assert.deepEqual(check(build.Start.method, build.Start.params, sneaky), { locations: ['devel/foo'] });
  const rb = check(build.Rebuild.method, build.Rebuild.params, { packages: ['foo-1.0'], pkgAdd: '/bin/sh' });
  assert.deepEqual(Object.keys(rb as object), ['packages']);
});
