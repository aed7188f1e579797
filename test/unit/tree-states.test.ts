// Build states for the Packages view from a real pbulk bulklog (test/fixtures/pbulk-0.51): every package
// lands on its location with pbulk's class, and a multi-version location shows its worst variant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readBulklog } from '../../src/pkgsrc/bulklog';
import { BuildModel } from '../../src/extension/builds/model';
import { locationState, variantText, type LocationState, type VariantState } from '../../src/extension/tree/stateMap';
import type { BuildState } from '../../src/pkgsrc/states';
import { pbulkOutput } from '../fixtures/reference-data';

const limited = pbulkOutput.limitedBulklog;

test("the limited 2013 build: 63 packages placed by PKG_LOCATION with pbulk's classes", async () => {
  const model = new BuildModel();
  model.seed(await readBulklog(limited));
  const byLocation = new Map<string, VariantState[]>();
  for (const p of model.packages.values()) {
    if (p.location)
      byLocation.set(p.location, [
        ...(byLocation.get(p.location) ?? []),
        { pkgname: p.pkgname, state: p.state, ...(p.phase ? { detail: `${p.phase} phase` } : {}) },
      ]);
  }
  const states = new Map<string, LocationState>([...byLocation].map(([loc, vs]) => [loc, locationState(vs)!]));
  const counts: Record<string, number> = {};
  for (const s of states.values()) for (const v of s.variants) counts[v.state] = (counts[v.state] ?? 0) + 1;
  assert.deepEqual(counts, { done: 12, failed: 17, 'indirect-failed': 29, prefailed: 4, 'indirect-prefailed': 1 });
  // meta/pbuild says the same, package by package.
  const pbuild = readFileSync(path.join(limited, 'meta/pbuild'), 'latin1')
    .trim()
    .split('\n')
    .map((l) => l.split('|'));
  const byName = new Map([...states.values()].flatMap((s) => s.variants.map((v) => [v.pkgname, v.state] as const)));
  for (const [pkgname, state] of pbuild) assert.equal(byName.get(pkgname!), state, pkgname);
  const lrzsz = [...states].find(([, s]) => s.variants.some((v) => v.pkgname === 'lrzsz-0.12.20nb1'))!;
  assert.equal(lrzsz[0], 'comms/lrzsz');
  assert.equal(lrzsz[1].state, 'failed');
  assert.match(lrzsz[1].variants[0]!.detail ?? '', /phase$/);
});

test('a location shows the variant a user most needs to see', () => {
  const v = (state: BuildState) => ({ pkgname: `x-${state}`, state });
  assert.equal(locationState([v('done'), v('failed')])?.state, 'failed');
  assert.equal(locationState([v('done'), v('in_processing')])?.state, 'in_processing');
  assert.equal(locationState([v('indirect-prefailed'), v('prefailed')])?.state, 'prefailed');
  assert.equal(locationState([v('open'), v('done')])?.state, 'open');
  assert.equal(locationState([]), undefined);
});

test('a variant in words: the state and what it comes from', () => {
  assert.equal(variantText({ pkgname: 'a-1', state: 'failed', detail: 'build phase' }), 'failed (build phase)');
  assert.equal(variantText({ pkgname: 'b-1', state: 'indirect-failed', detail: 'because of a-1' }), 'depending on failed (because of a-1)');
  assert.equal(variantText({ pkgname: 'c-1', state: 'prefailed' }), 'broken');
});
