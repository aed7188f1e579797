// Build states for the Packages view from a real pbulk bulklog (test/fixtures/pbulk-0.51): every package
// lands on its location with pbulk's class, and a multi-version location shows its worst variant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readBulklog } from '../../src/pkgsrc/bulklog';
import { fromPbulkState, locationState, statesOf } from '../../src/extension/tree/stateMap';
import { pbulkOutput } from '../fixtures/reference-data';

const limited = pbulkOutput.limitedBulklog;

test('the limited 2013 build: 63 packages placed by PKG_LOCATION with pbulk\'s classes', async () => {
  const log = await readBulklog(limited);
  const states = statesOf(log);
  const counts: Record<string, number> = {};
  for (const s of states.values()) for (const v of s.variants) counts[v.state] = (counts[v.state] ?? 0) + 1;
  assert.deepEqual(counts, { done: 12, failed: 17, 'indirect-failed': 29, prefailed: 4, 'indirect-prefailed': 1 });
  // meta/pbuild says the same, package by package.
  const pbuild = readFileSync(path.join(limited, 'meta/pbuild'), 'latin1').trim().split('\n').map((l) => l.split('|'));
  const byName = new Map([...states.values()].flatMap((s) => s.variants.map((v) => [v.pkgname, v.state] as const)));
  for (const [pkgname, state] of pbuild) assert.equal(byName.get(pkgname!), state, pkgname);
  const lrzsz = [...states].find(([, s]) => s.variants.some((v) => v.pkgname === 'lrzsz-0.12.20nb1'))!;
  assert.equal(lrzsz[0], 'comms/lrzsz');
  assert.equal(lrzsz[1].state, 'failed');
  assert.match(lrzsz[1].variants[0]!.detail ?? '', /phase$/);
});

test('a location shows the variant a user most needs to see', () => {
  const v = (state: Parameters<typeof locationState>[0][number]['state']) => ({ pkgname: `x-${state}`, state });
  assert.equal(locationState([v('done'), v('failed')]).state, 'failed');
  assert.equal(locationState([v('done'), v('building')]).state, 'building');
  assert.equal(locationState([v('indirect-prefailed'), v('prefailed')]).state, 'prefailed');
  assert.equal(locationState([v('queued'), v('done')]).state, 'queued');
  assert.equal(locationState([]).state, 'unknown');
});

test("pbulk's names onto the view's", () => {
  assert.equal(fromPbulkState('open'), 'queued');
  assert.equal(fromPbulkState('in_processing'), 'building');
  assert.equal(fromPbulkState('indirect-failed'), 'indirect-failed');
  assert.equal(fromPbulkState('bogus'), 'unknown');
});
