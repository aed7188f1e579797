import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseRecords, recordForStates, parsePbuild, parsePkgList } from '../../src/pkgsrc/bulklog';
import { Scheduler, type ScheduleRecord } from '../../src/engine/scheduler';
import { makespanLowerBound, simulate } from '../../src/engine/simulate';
import { pbulkOutput } from '../fixtures/reference-data';

const meta = path.join(pbulkOutput.limitedBulklog, 'meta');

function realRecords(): ScheduleRecord[] {
  const { records } = parseRecords(readFileSync(path.join(meta, 'presolve'), 'latin1'), 'presolve');
  return records.map(recordForStates);
}

function rec(pkgname: string, depends: string[] = [], extra: Partial<ScheduleRecord> = {}): ScheduleRecord {
  return { pkgname, depends, skipReason: '', failReason: '', location: `cat/${pkgname.replace(/-[^-]*$/, '')}`, ...extra };
}

test('a build where the packages of the real meta/error fail ends in the real meta/pbuild states', () => {
  const records = realRecords();
  const error = new Set(parsePkgList(readFileSync(path.join(meta, 'error'), 'latin1'), 'error').names);
  const expected = parsePbuild(readFileSync(path.join(meta, 'pbuild'), 'latin1'), 'pbuild').entries;
  for (const slots of [1, 2, 5]) {
    const { scheduler } = simulate(records, { slots, duration: () => 1, fails: (i) => error.has(records[i]!.pkgname) });
    assert.equal(expected.length, records.length);
    for (const e of expected) {
      const i = scheduler.index(e.pkgname)!;
      assert.equal(scheduler.state(i), e.state, `${e.pkgname} with ${slots} slots`);
      assert.equal(scheduler.depth(i), e.depth, `depth of ${e.pkgname}`);
    }
  }
});

test('depth order with one slot starts deeper packages first, ties in record order', () => {
  const records = [rec('a-1'), rec('b-1'), rec('c-1', ['a-1']), rec('d-1', ['c-1'])];
  const { order } = simulate(records, { slots: 1, duration: () => 1 });
  assert.deepEqual(
    order.map((i) => records[i]!.pkgname),
    ['a-1', 'c-1', 'b-1', 'd-1'],
  );
});

test('a failed dependency stops only its dependents', () => {
  const records = [rec('lib-1'), rec('app-1', ['lib-1']), rec('other-1'), rec('tool-1', ['other-1'])];
  const { scheduler } = simulate(records, { slots: 2, duration: () => 1, fails: (i) => i === 0 });
  assert.deepEqual(
    records.map((_, i) => scheduler.state(i)),
    ['failed', 'indirect-failed', 'done', 'done'],
  );
});

test('prefailed packages are not built but their dependencies are', () => {
  const records = [rec('m4-1'), rec('broken-1', ['m4-1'], { failReason: '"broken"' }), rec('user-1', ['broken-1'])];
  const { scheduler, order } = simulate(records, { slots: 1, duration: () => 1 });
  assert.deepEqual(order, [0]);
  assert.deepEqual(
    records.map((_, i) => scheduler.state(i)),
    ['done', 'prefailed', 'indirect-prefailed'],
  );
});

test('variants of one location never run at the same time', () => {
  const records = [rec('py27-x-1', [], { location: 'devel/py-x' }), rec('py26-x-1', [], { location: 'devel/py-x' }), rec('y-1')];
  const s = new Scheduler(records);
  s.start();
  const a = s.next()!;
  const b = s.next()!;
  assert.equal(records[b]!.location, 'cat/y');
  assert.equal(s.next(), undefined);
  s.complete(a, true);
  assert.notEqual(s.next(), undefined);
});

test('replayed success and error are not built again', () => {
  const records = [rec('a-1'), rec('b-1', ['a-1']), rec('c-1')];
  const { order, scheduler } = simulate(records, { slots: 1, duration: () => 1, success: ['a-1'], error: ['c-1'] });
  assert.deepEqual(
    order.map((i) => records[i]!.pkgname),
    ['b-1'],
  );
  assert.equal(scheduler.state(2), 'failed');
});

test('random DAGs: every package ends in a final state and no slot count changes the states', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.array(fc.nat(), { maxLength: 3 }), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 6 }),
      fc.constantFrom('depth', 'weight', 'critical-path' as const),
      (spec, slots, priority) => {
        const records = spec.map(([deps, broken], i) =>
          rec(`p${i}-1`, i === 0 ? [] : [...new Set(deps.map((d) => `p${d % i}-1`))], { failReason: broken && i % 5 === 0 ? '"x"' : '' }),
        );
        const fails = (i: number) => spec[i]![2];
        const one = simulate(records, { slots: 1, duration: (i) => spec[i]![3], fails });
        const many = simulate(records, { slots, priority, duration: (i) => spec[i]![3], fails });
        for (let i = 0; i < records.length; i++) {
          assert.notEqual(many.scheduler.state(i), 'open');
          assert.notEqual(many.scheduler.state(i), 'in_processing');
          assert.equal(many.scheduler.state(i), one.scheduler.state(i));
        }
        const clean = simulate(records, { slots, priority, duration: (i) => spec[i]![3] });
        assert.ok(clean.makespan >= makespanLowerBound(records, slots, (i) => spec[i]![3]) - 1e-9);
      },
    ),
    { numRuns: 200 },
  );
});
