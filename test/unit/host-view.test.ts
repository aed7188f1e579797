// Multi-host builds in the editor's model: which host builds what, counts per host, a package
// handed back by a client that went away, and the report timeline's lanes named after hosts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildModel, countsText } from '../../src/extension/builds/model';
import { hostLanes } from '../../src/extension/report/data';

test('the model follows hosts: what each builds, its counts, a package requeued by a lost client', () => {
  const m = new BuildModel();
  m.reset('r');
  m.setStage('building', 1000);
  for (const [p, l] of [
    ['a-1', 'x/a'],
    ['b-1', 'x/b'],
    ['c-1', 'x/c'],
  ])
    m.queued({ runId: 'r', pkgname: p!, location: l!, depth: 1, state: 'open' });
  m.started({ runId: 'r', pkgname: 'a-1', location: 'x/a', slot: 0, host: 'build1', time: 1000, finished: 0, total: 3 });
  m.started({ runId: 'r', pkgname: 'b-1', location: 'x/b', slot: 1, host: 'build2', time: 1000, finished: 0, total: 3 });
  m.finished({ runId: 'r', pkgname: 'a-1', location: 'x/a', state: 'done', slot: 0, host: 'build1', time: 5000, finished: 1, total: 3 });
  // build2 went away: the engine queues b-1 again, build1 takes it.
  m.queued({ runId: 'r', pkgname: 'b-1', location: 'x/b', depth: 1, state: 'open' });
  m.started({ runId: 'r', pkgname: 'b-1', location: 'x/b', slot: 0, host: 'build1', time: 6000, finished: 1, total: 3 });
  assert.deepEqual(m.hosts(), [{ host: 'build1', building: ['b-1'], done: 1, failed: 0 }]);
  assert.equal(m.running()[0]!.host, 'build1');
  assert.match(countsText(m), /Client hosts:\nbuild1: 1 built, 1 building \(b-1\)$/, 'per host: the one count breakdown, then what it builds');
  const local = new BuildModel();
  local.started({ runId: 'r', pkgname: 'a-1', location: 'x/a', slot: 0, time: 1000, finished: 0, total: 1 });
  assert.deepEqual(local.hosts(), []);
  assert.doesNotMatch(countsText(local), /Client hosts/);
});

test('report lanes are named after the host of each slot, with per-host totals', () => {
  const entries = [
    { pkgname: 'a-1', slot: 0, start: 0, end: 1000, state: 'done' as const, host: 'build1' },
    { pkgname: 'b-1', slot: 1, start: 0, end: 3000, state: 'failed' as const, host: 'build2' },
    { pkgname: 'c-1', slot: 2, start: 1000, end: 2000, state: 'done' as const, host: 'build1' },
  ];
  const r = hostLanes(entries, [{ pkgname: 'd-1', slot: 0, start: 2000, host: 'build1' }], 3, 4000);
  assert.deepEqual(r.labels, ['build1', 'build2', 'build1 #2']);
  assert.deepEqual(r.hosts, [
    { host: 'build1', done: 2, failed: 0, busyMs: 4000, building: 1 },
    { host: 'build2', done: 0, failed: 1, busyMs: 3000, building: 0 },
  ]);
  assert.deepEqual(hostLanes([{ pkgname: 'a-1', slot: 0, start: 0, end: 1, state: 'done' }], [], 1, 2), {});
});
