// What the CLI prints for one small build: on a terminal a bar redrawn in place with finished
// packages as lines above it; elsewhere pbulk-build's plain lines and no control characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Progress } from '../../src/engine/cli/progress';
import { emptyTotals } from '../../src/pkgsrc/bulklog/states';

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write: (c: Buffer, _e, cb) => {
      out += c.toString();
      cb();
    },
  });
  return { stream, text: () => out };
}

function play(tty: boolean): { out: string; err: string } {
  const o = capture();
  const e = capture();
  const p = new Progress(o.stream, e.stream, { tty, json: false, columns: 120 });
  const base = { runId: 'r', time: 1 };
  p.handle('stage', { ...base, stage: 'scanning' });
  for (let done = 1; done <= 20; done++) p.handle('scanProgress', { ...base, round: 1, done, total: 20, cached: 0, failed: 0 });
  p.handle('scanProgress', { ...base, round: 2, done: 1, total: 1, cached: 1, failed: 0 });
  p.handle('scanFinished', { runId: 'r', records: 2, locations: 20, cached: 0, failures: [], durationMs: 1200 });
  p.handle('stage', { ...base, stage: 'building' });
  p.handle('started', { ...base, pkgname: 'libfoo-1.0', location: 'devel/libfoo', slot: 0, finished: 0, total: 2 });
  p.handle('phase', { ...base, pkgname: 'libfoo-1.0', phase: 'build', slot: 0, logPath: '/b/libfoo-1.0/build.log' });
  p.handle('finished', {
    ...base,
    pkgname: 'libfoo-1.0',
    location: 'devel/libfoo',
    state: 'done',
    phase: 'deinstall',
    slot: 0,
    durationMs: 5,
    finished: 1,
    total: 2,
  });
  p.handle('started', { ...base, pkgname: 'app-1.0', location: 'devel/app', slot: 0, finished: 1, total: 2 });
  p.handle('finished', {
    ...base,
    pkgname: 'app-1.0',
    location: 'devel/app',
    state: 'failed',
    phase: 'configure',
    logPath: '/b/app-1.0/configure.log',
    slot: 0,
    durationMs: 5,
    finished: 2,
    total: 2,
  });
  const counts = { ...emptyTotals(), done: 1, failed: 1, prefailed: 1, 'indirect-failed': 1 };
  const notBuilt = [
    { pkgname: 'old-1.0', location: 'devel/old', state: 'prefailed' as const, because: ['does not build with this compiler'] },
    { pkgname: 'gui-1.0', location: 'x11/gui', state: 'indirect-failed' as const, because: ['app-1.0'] },
  ];
  p.handle('summary', {
    runId: 'r',
    counts,
    total: 4,
    startedAt: 0,
    finishedAt: 3000,
    cancelled: false,
    failures: [{ pkgname: 'app-1.0', location: 'devel/app', phase: 'configure', breaks: 1 }],
    notBuilt,
  });
  p.end();
  return { out: o.text(), err: e.text() };
}

test("not on a terminal: pbulk-build's plain lines, a few scan lines, no control characters", () => {
  const { out } = play(false);
  assert.doesNotMatch(out, /[\r\x1b]/);
  const lines = out.split('\n');
  assert.ok(lines.includes('[0/2] Starting build of  libfoo-1.0'), out);
  assert.ok(lines.includes('[1/2] Successfully built libfoo-1.0'), out);
  assert.ok(lines.includes('[2/2] Failed to build    app-1.0 in configure: /b/app-1.0/configure.log'), out);
  assert.ok(lines.filter((l) => l.startsWith('Scanned ')).length <= 12, 'the scan is reported in tenths, not per location');
  assert.ok(lines.includes('Scanned 1/1 locations (1 cached, 0 failed, round 2)'), out);
  assert.match(out, /^Done in 3\.0 s; 4 packages: 1 built, 1 failed, 1 broken, 1 depending on failed$/m);
  // The summary names the failed, the broken and the dependent packages.
  assert.match(
    out,
    /^Failed:\n  devel\/app +app-1\.0 \(configure\), breaks 1\n\nBroken:\n  devel\/old  old-1\.0: does not build with this compiler\n\nDepending on failed:\n  x11\/gui  gui-1\.0: because of app-1\.0$/m,
  );
});

test('on a terminal: a bar redrawn in place, finished packages printed above it, no start lines', () => {
  const { out } = play(true);
  assert.match(out, /\r\x1b\[K\[=+> *\] scan 10\/20/);
  assert.match(out, /\r\x1b\[K\[[=> ]+\] 0\/2  failed 0  \| libfoo-1\.0 \(build\)/);
  assert.match(out, /\[1\/2\] Successfully built libfoo-1\.0\n/);
  assert.match(out, /\[2\/2\] Failed to build    app-1\.0 in configure/);
  assert.doesNotMatch(out, /Starting build of/);
  assert.doesNotMatch(out, /^Scanned /m);
  // The status line is cleared at the end, so the shell prompt starts on a clean line.
  assert.ok(out.endsWith('\n') || out.endsWith('\r\x1b[K'), JSON.stringify(out.slice(-40)));
});
