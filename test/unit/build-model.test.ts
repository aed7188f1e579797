// The extension's model of a build: engine events in the order the engine sends them, a window
// attaching mid-build (seeded from the bulklog and the engine's status), counts, the ETA, the
// progress line, and meta/timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyTotals, readBulklog, parseTimeline, formatTimelineLine } from '../../src/pkgsrc/bulklog';
import { BuildModel, estimateRemaining, formatDuration, progressText } from '../../src/extension/builds/model';
import { pbulkOutput } from '../fixtures/reference-data';

const REAL = pbulkOutput.limitedBulklog;
const run = 'r1';

test('events: queued, started, phases, finished with indirect failures; counts and the timeline follow', () => {
  const m = new BuildModel();
  m.reset(run);
  m.setStage('building', 1000);
  m.queued({ runId: run, pkgname: 'a-1', location: 'x/a', depth: 3, state: 'open' });
  m.queued({ runId: run, pkgname: 'b-1', location: 'x/b', depth: 2, state: 'open' });
  m.queued({ runId: run, pkgname: 'c-1', location: 'x/c', depth: 1, state: 'open' });
  m.queued({ runId: run, pkgname: 'p-1', location: 'x/p', depth: 1, state: 'prefailed' });
  m.started({ runId: run, pkgname: 'a-1', location: 'x/a', slot: 0, time: 1000, finished: 1, total: 4 });
  m.phase({ runId: run, pkgname: 'a-1', phase: 'build', slot: 0, time: 2000, logPath: '/b/a-1/build.log' });
  assert.deepEqual(
    m.running().map((p) => [p.pkgname, p.phase, p.slot]),
    [['a-1', 'build', 0]],
  );
  assert.equal(progressText(m, 3000), '0 built, 1 broken, 1 building, 2 queued');
  m.finished({
    runId: run,
    pkgname: 'a-1',
    location: 'x/a',
    state: 'failed',
    phase: 'build',
    slot: 0,
    time: 61_000,
    durationMs: 60_000,
    logPath: '/b/a-1/build.log',
    finished: 2,
    total: 4,
  });
  m.finished({ runId: run, pkgname: 'b-1', location: 'x/b', state: 'indirect-failed', causes: ['a-1'], time: 61_000, finished: 3, total: 4 });
  assert.deepEqual(m.counts(), { done: 0, failed: 1, prefailed: 1, 'indirect-failed': 1, 'indirect-prefailed': 0, open: 1, in_processing: 0 });
  assert.deepEqual(m.packages.get('b-1')!.causes, ['a-1']);
  assert.deepEqual(m.timeline(), [{ pkgname: 'a-1', slot: 0, start: 1000, end: 61_000, state: 'failed' }]);
  // One 60 s build measured, one package left on one slot.
  assert.equal(m.eta(61_000), 60_000);
  assert.equal(progressText(m, 61_000), '0 built, 1 failed, 1 broken, 1 depending on failed, 1 queued · ETA 1 min 00 s');
  m.started({ runId: run, pkgname: 'c-1', location: 'x/c', slot: 0, time: 61_000, finished: 3, total: 4 });
  assert.equal(m.eta(91_000), 60_000 - 30_000);
  m.finished({ runId: run, pkgname: 'c-1', location: 'x/c', state: 'done', upToDate: true, slot: 0, time: 61_100, durationMs: 100, finished: 4, total: 4 });
  assert.equal(m.eta(61_100), 0);
  m.setStage('finished', 61_200);
  assert.equal(m.finishedAt, 61_200);
});

test('attaching mid-build: states from the bulklog on disk, running packages from the engine status', async () => {
  const b = await readBulklog(REAL);
  const m = new BuildModel();
  m.seed(b, [{ pkgname: 'pax-20080110nb2', slot: 1, start: 10, end: 5010, state: 'failed' }], {
    stage: 'building',
    runId: 'r9',
    bulklog: REAL,
    config: '/etc/pbulk.conf',
    counts: emptyTotals(),
    total: 63,
    running: [{ pkgname: 'pdksh-5.2.14nb5', location: 'shells/pdksh', slot: 0, phase: 'configure', startedAt: 100 }],
    startedAt: 5,
  });
  assert.equal(m.total, 63);
  assert.equal(m.runId, 'r9');
  assert.equal(m.packages.get('pdksh-5.2.14nb5')!.state, 'in_processing');
  assert.equal(m.packages.get('pdksh-5.2.14nb5')!.phase, 'configure');
  assert.equal(m.packages.get('perl-5.16.2nb4')!.state, 'failed');
  assert.deepEqual(m.packages.get('p5-perl-headers-6.18.44nb7')!.causes?.sort(), ['pax-20080110nb2', 'perl-5.16.2nb4']);
  assert.equal(m.timeline().length, 1);
});

test('ETA arithmetic and durations', () => {
  assert.equal(estimateRemaining([], 5, 1, []), undefined);
  assert.equal(estimateRemaining([10], 0, 1, []), 0);
  assert.equal(estimateRemaining([10_000, 20_000], 4, 2, []), 30_000);
  // Work already done on a running package counts, but never past the mean.
  assert.equal(estimateRemaining([10_000], 2, 1, [100_000]), 20_000 - 9_500);
  assert.equal(formatDuration(4_000), '4 s');
  assert.equal(formatDuration(250_000), '4 min 10 s');
  assert.equal(formatDuration(3_900_000), '1 h 05 min');
});

test('meta/timeline: written and read back; bad and torn lines are problems; the last line of a package wins', () => {
  const line = formatTimelineLine({ pkgname: 'a-1', slot: 2, start: 10, end: 20, state: 'done' });
  assert.equal(line, 'a-1|2|10|20|done');
  assert.throws(() => formatTimelineLine({ pkgname: 'a b', slot: 0, start: 0, end: 0, state: 'done' }));
  const r = parseTimeline(`${line}\nb-1|0|5|4|done\nc-1|x|1|2|done\na-1|0|30|40|failed\nd-1|0|1|2|don`, '/m/timeline');
  assert.deepEqual(r.entries, [{ pkgname: 'a-1', slot: 0, start: 30, end: 40, state: 'failed' }]);
  assert.deepEqual(
    r.problems.map((p) => [p.range.start.line, p.code]),
    [
      [1, 'bad-timeline-line'],
      [2, 'bad-timeline-line'],
      [4, 'torn-line'],
    ],
  );
});
