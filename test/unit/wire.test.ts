// pbulk's wire format and master_port parsing: frames survive any cutting of the stream,
// lengths and locations are refused where pbulk's masters and clients refuse them, and
// addresses parse as inet_aton and strtoul do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { inetAton, parseMasterAddress } from '../../src/pkgsrc/wire/address';
import {
  buildInfoLengthProblem,
  buildInfoPkgname,
  decodeStats,
  encodeBuildInfo,
  encodeScanJob,
  encodeScanOutput,
  encodeStats,
  formatStats,
  LengthPrefixed,
  scanJobLengthProblem,
  scanLocationProblem,
  scanOutputLengthProblem,
  WireError,
} from '../../src/pkgsrc/wire/frames';

/** Cuts bytes at the given fractions. */
function cut(b: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => Math.floor(p * (b.length + 1))))].filter((x) => x > 0 && x < b.length).sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const a of at) {
    out.push(b.subarray(prev, a));
    prev = a;
  }
  out.push(b.subarray(prev));
  return out;
}

test('frames come out whole and in order however the stream is cut', () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { maxLength: 8 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }),
      (bodies, points) => {
        const stream = Buffer.concat(bodies.map((b) => encodeScanOutput(b.length === 0 ? undefined : Buffer.from(b))));
        const r = new LengthPrefixed(4);
        const got = cut(stream, points).flatMap((c) => r.push(c));
        assert.deepEqual(
          got.map((g) => [...g]),
          bodies.map((b) => [...b]),
        );
        assert.equal(r.inFrame, false);
      },
    ),
  );
});

test('a scan job frame holds the 2-byte length and the location; scan clients refuse what pbulk refuses', () => {
  assert.deepEqual([...encodeScanJob('devel/foo')], [0, 9, ...Buffer.from('devel/foo')]);
  assert.equal(scanLocationProblem('devel/foo'), undefined);
  for (const bad of ['/abs/olute', 'nocategory', 'a/b/c', '../x', 'cat/..', 'ab']) assert.ok(scanLocationProblem(bad), bad);
  assert.ok(scanJobLengthProblem(2));
  assert.throws(() => encodeScanJob('x'.repeat(70000)), WireError);
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 40 }), (s) => {
      const problem = scanLocationProblem(s);
      const parts = s.split('/');
      const pbulkAccepts =
        Buffer.byteLength(s, 'latin1') >= 3 && !s.includes('\0') && !s.startsWith('/') && parts.length === 2 && !s.startsWith('../') && !s.endsWith('/..');
      assert.equal(problem === undefined, pbulkAccepts, s);
    }),
  );
});

test('lengths: a scan output of 0xffffff and build info outside 10..0xffffff are refused, as pbulk does', () => {
  assert.ok(scanOutputLengthProblem(0xffffff));
  assert.equal(scanOutputLengthProblem(5), undefined);
  assert.ok(buildInfoLengthProblem(9));
  assert.ok(buildInfoLengthProblem(0x1000000));
  assert.equal(buildInfoLengthProblem(10), undefined);
  const r = new LengthPrefixed(4, buildInfoLengthProblem);
  assert.throws(() => r.push(Buffer.from([0, 0, 0, 3, 65, 66, 67])), /outside 10/);
  assert.throws(() => encodeBuildInfo(Buffer.from('short')), WireError);
  const rec = Buffer.from('PKGNAME=foo-1.0\nPKG_LOCATION=devel/foo\n');
  const f = encodeBuildInfo(rec);
  assert.equal(f.readUInt32BE(0), rec.length);
  assert.equal(buildInfoPkgname(f.subarray(4)), 'foo-1.0');
  assert.equal(buildInfoPkgname('PKG_LOCATION=x\n'), undefined);
});

test('statistics: seven big-endian counters in pbulk-build -s order, printed with its words', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 7, maxLength: 7 }), (n) => {
      const s = { open: n[0]!, inProcessing: n[1]!, failed: n[2]!, prefailed: n[3]!, indirectFailed: n[4]!, indirectPrefailed: n[5]!, done: n[6]! };
      assert.deepEqual(decodeStats(encodeStats(s)), s);
    }),
  );
  const b = encodeStats({ open: 1, inProcessing: 2, failed: 3, prefailed: 4, indirectFailed: 5, indirectPrefailed: 6, done: 7 });
  assert.deepEqual([...b.subarray(0, 8)], [0, 0, 0, 1, 0, 0, 0, 2]);
  assert.match(formatStats(decodeStats(b)), /^Jobs not yet processed: 1\nJobs currently in processing: 2\nSuccessful builds: 7\nFailing builds: 18\n/);
  assert.throws(() => decodeStats(Buffer.alloc(27)), WireError);
});

test('master_port values parse as pbulk parse_sockaddr_in does: inet_aton forms, decimal port, no host names, no IPv6', () => {
  const ok = (s: string, host: string, port: number) => {
    const r = parseMasterAddress(s);
    assert.ok(r.ok, s);
    assert.deepEqual([r.address.host, r.address.port], [host, port], s);
  };
  ok('192.168.75.10:2001', '192.168.75.10', 2001);
  ok('2002', '0.0.0.0', 2002);
  ok('10.1:80', '10.0.0.1', 80);
  ok('0x7f.1:80', '127.0.0.1', 80);
  ok('010.0.0.1:80', '8.0.0.1', 80);
  ok('10.0.0.1: 80', '10.0.0.1', 80);
  assert.equal((parseMasterAddress('2002') as { address: { anyAddress: boolean } }).address.anyAddress, true);
  for (const bad of [
    'master:2001',
    'localhost:2001',
    '[::1]:2001',
    '::1:2001',
    '10.0.0.1:',
    '10.0.0.1:65536',
    '10.0.0.1:x',
    '256.1.1.1:1',
    '1.2.3.4.5:1',
    ':2001',
    '10.0.0.08:1',
  ]) {
    const r = parseMasterAddress(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.match(r.message, /Could not parse addr\/port/);
  }
  assert.match((parseMasterAddress('build.example.org:2002') as { message: string }).message, /host name 'build.example.org'/);
  fc.assert(
    fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), fc.nat(65535), (o, port) => {
      ok(`${o.join('.')}:${port}`, o.join('.'), port);
      assert.equal(inetAton(o.join('.')), ((o[0]! * 256 + o[1]!) * 256 + o[2]!) * 256 + o[3]!);
    }),
  );
  fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => void parseMasterAddress(s)));
});
