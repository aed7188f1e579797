// The diff of two run summaries on hand-made runs, and the summary file format on random
// summaries and random text (fast-check): it reads back what it wrote and refuses anything
// else with a SummaryFormatError naming the file and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BUILD_STATES, emptyTotals, type BuildState } from '../../src/pkgsrc/bulklog/states';
import { diffCounts, diffRuns, pkgbase } from '../../src/pkgsrc/history/diff';
import { formatSummary, parseSummary, SummaryFormatError } from '../../src/pkgsrc/history/format';
import { findRun } from '../../src/pkgsrc/history/store';
import type { PackageRow, RunSummary } from '../../src/pkgsrc/history/summary';

function run(id: string, packages: PackageRow[]): RunSummary {
  const counts = emptyTotals();
  for (const p of packages) counts[p.state]++;
  return { run: { id, kind: 'full', finished: true, counts, total: packages.length }, packages };
}

const p = (pkgname: string, state: BuildState, more: Partial<PackageRow> = {}): PackageRow => ({
  pkgname,
  location: `devel/${pkgbase(pkgname)}`,
  state,
  breaks: 0,
  ...more,
});

test('new failures, fixed, still failing, newly broken by, versions, added, removed, times', () => {
  const a = run('a', [
    p('libfoo-1.0', 'done', { ms: 100_000 }),
    p('libbad-1.0', 'failed', { phase: 'configure', breaks: 1 }),
    p('app-1.0', 'indirect-failed', { culprits: ['libbad-1.0'] }),
    p('tool-1.0', 'done', { ms: 10_000 }),
    p('gone-1.0', 'done'),
    p('slow-2.0', 'done', { ms: 60_000 }),
    p('masked-1.0', 'prefailed'),
  ]);
  const b = run('b', [
    p('libfoo-1.1', 'failed', { phase: 'build', breaks: 2 }),
    p('libbad-1.0', 'failed', { phase: 'configure', breaks: 1 }),
    p('app-1.0', 'indirect-failed', { culprits: ['libbad-1.0', 'libfoo-1.1'] }),
    p('tool-1.0', 'indirect-failed', { culprits: ['libfoo-1.1'] }),
    p('new-1.0', 'failed', { phase: 'checksum' }),
    p('slow-2.0', 'done', { ms: 200_000 }),
    p('masked-1.0', 'done'),
  ]);
  const d = diffRuns(a, b);
  const names = (l: { pkgname: string }[]) => l.map((x) => x.pkgname);
  assert.deepEqual(
    d.newFailures.map((c) => [c.pkgname, c.before, c.after, c.phase, c.breaks]),
    [
      ['libfoo-1.1', 'done', 'failed', 'build', 2],
      ['new-1.0', undefined, 'failed', 'checksum', 0],
    ],
  );
  assert.deepEqual(names(d.stillFailing), ['libbad-1.0']);
  assert.deepEqual(
    d.fixed.map((c) => [c.pkgname, c.before]),
    [['masked-1.0', 'prefailed']],
  );
  // app was already failing because of libbad: only tool is newly broken by libfoo.
  assert.deepEqual(d.newlyBroken, [{ pkgname: 'libfoo-1.1', location: 'devel/libfoo', before: 0, after: 2, newlyBroken: ['tool-1.0'] }]);
  assert.deepEqual(
    d.versions.map((c) => `${c.was}->${c.pkgname}`),
    ['libfoo-1.0->libfoo-1.1'],
  );
  assert.deepEqual(names(d.added), ['new-1.0']);
  assert.deepEqual(names(d.removed), ['gone-1.0']);
  assert.deepEqual(
    d.otherStates.map((c) => `${c.pkgname}:${c.before}->${c.after}`),
    ['tool-1.0:done->indirect-failed'],
  );
  assert.deepEqual(d.times, [{ pkgname: 'slow-2.0', location: 'devel/slow', beforeMs: 60_000, afterMs: 200_000 }]);
  assert.equal(diffCounts(d).newFailures, 2);
  // The threshold: a ratio of 3.3 over 140 s counts; with --time-ratio 4 it does not.
  assert.deepEqual(diffRuns(a, b, { timeRatio: 4 }).times, []);
  assert.deepEqual(diffRuns(a, b, { timeMinMs: 200_000 }).times, []);
  // A run compared with itself has only its failures, still failing.
  const same = diffRuns(b, b);
  assert.deepEqual(
    Object.entries(diffCounts(same)).filter(([, n]) => n > 0),
    [['stillFailing', 3]],
  );
});

test('the variants of one location stay apart; a package failing more breaks more', () => {
  const a = run('a', [p('py27-x-1.0', 'done'), p('py33-x-1.0', 'failed', { breaks: 1 })]);
  const b = run('b', [p('py27-x-1.0', 'failed', { breaks: 3 }), p('py33-x-1.0', 'failed', { breaks: 2 })]);
  const d = diffRuns(a, b);
  assert.deepEqual(
    d.newFailures.map((c) => c.pkgname),
    ['py27-x-1.0'],
  );
  assert.deepEqual(
    d.newlyBroken.map((x) => [x.pkgname, x.before, x.after]),
    [
      ['py27-x-1.0', 0, 3],
      ['py33-x-1.0', 1, 2],
    ],
  );
});

test('runs are named by id, prefix, ~N, current and previous', () => {
  const runs = ['3f836635516c', '0ce2cb5c1538', '0ce2aaaa0000'].map((id) => ({ info: { id } }));
  assert.equal(findRun(runs, 'current'), runs[2]);
  assert.equal(findRun(runs, 'previous'), runs[1]);
  assert.equal(findRun(runs, '~2'), runs[0]);
  assert.equal(findRun(runs, '3f83'), runs[0]);
  assert.match(findRun(runs, '0ce2') as string, /ambiguous/);
  assert.match(findRun(runs, '3f8') as string, /no such run/);
  assert.match(findRun(runs, '~3') as string, /only 3 run/);
});

const name = fc.stringMatching(/^[a-z][a-z0-9+_.-]{0,12}-[0-9][0-9.a-z]{0,5}$/);
const row: fc.Arbitrary<PackageRow> = fc
  .record(
    {
      pkgname: name,
      location: fc.stringMatching(/^[a-z]{2,8}\/[a-z0-9-]{1,10}$/),
      state: fc.constantFrom(...BUILD_STATES),
      breaks: fc.nat(20_000),
      phase: fc.constantFrom('checksum', 'configure', 'build', 'install'),
      ms: fc.nat(10_000_000),
      culprits: fc.array(name, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ['pkgname', 'state', 'breaks'] },
  )
  .map((r) => ({ ...r }));

test('a summary reads back as it was written', () => {
  fc.assert(
    fc.property(fc.array(row, { maxLength: 30 }), fc.boolean(), (packages, finished) => {
      const s = run('r1', packages);
      s.run.finished = finished;
      assert.deepEqual(parseSummary(formatSummary(s), 'x'), s);
    }),
  );
});

test('anything but a summary is a SummaryFormatError with the file, never another exception', () => {
  const good = JSON.parse(formatSummary(run('r1', [p('a-1', 'failed', { phase: 'build' })]))) as Record<string, unknown>;
  const mutated = fc.oneof(
    fc.string(),
    fc.json(),
    fc
      .record({ field: fc.constantFrom('format', 'run', 'packages'), value: fc.jsonValue() })
      .map(({ field, value }) => JSON.stringify({ ...good, [field]: value })),
    fc.record({ at: fc.nat(6), value: fc.jsonValue() }).map(({ at, value }) => {
      const row = [...((good.packages as unknown[][])[0] as unknown[])];
      row[at] = value;
      return JSON.stringify({ ...good, packages: [row] });
    }),
  );
  fc.assert(
    fc.property(mutated, (text) => {
      try {
        parseSummary(text, '/h/summary.json');
      } catch (e) {
        assert.ok(e instanceof SummaryFormatError, String(e));
        assert.match(e.message, /^\/h\/summary\.json: /);
      }
    }),
  );
});
