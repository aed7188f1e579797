// pbulk-build's state rules (PbulkStates, computeStates, the dependency graph) on small
// hand-made graphs and on random ones (fast-check), and the meta file parsers on random input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildGraph,
  computeStates,
  failedCulprits,
  parsePbuild,
  parsePkgList,
  parseMetaReport,
  parseRecords,
  parseStatus,
  PbulkStates,
  splitReasons,
  failingPhase,
  type StateRecord,
} from '../../src/pkgsrc/bulklog';
import type { Problem } from '../../src/pkgsrc/problem';

const rec = (pkgname: string, depends: string[] = [], fail = ''): StateRecord => ({ pkgname, depends, skipReason: '', failReason: fail });

test('depth is 1 + the number of direct and transitive dependents (a diamond counts once)', () => {
  // d depends on b and c, which both depend on a.
  const { graph, issues } = buildGraph([rec('a-1'), rec('b-1', ['a-1']), rec('c-1', ['a-1']), rec('d-1', ['b-1', 'c-1'])]);
  assert.deepEqual(issues, []);
  assert.deepEqual(graph.depth, [4, 2, 2, 1]);
});

test('prefailed marking comes first: a package depending on a prefailed and a failed one stays indirect-prefailed', () => {
  const c = computeStates([rec('p-1', [], '"broken"'), rec('f-1'), rec('x-1', ['p-1', 'f-1']), rec('y-1', ['f-1'])], [], ['f-1']);
  assert.deepEqual(c.states, ['prefailed', 'failed', 'indirect-prefailed', 'indirect-failed']);
});

test('a prefailed package depending on another prefailed one stays prefailed', () => {
  const c = computeStates([rec('a-1', [], 'x'), rec('b-1', ['a-1'], 'y'), rec('c-1', ['b-1'])], [], []);
  assert.deepEqual(c.states, ['prefailed', 'prefailed', 'indirect-prefailed']);
});

test('replay: success then error; a done package is never re-marked, open dependents of failures become indirect-failed', () => {
  const c = computeStates([rec('a-1'), rec('b-1', ['a-1']), rec('c-1', ['b-1']), rec('d-1', ['a-1'])], ['d-1'], ['a-1']);
  assert.deepEqual(c.states, ['failed', 'indirect-failed', 'indirect-failed', 'done']);
});

test('names in success/error that match no record are reported, as pbulk-build does', () => {
  const c = computeStates([rec('a-1')], ['zz-1'], ['yy-1']);
  assert.deepEqual(c.unknownSuccess, ['zz-1']);
  assert.deepEqual(c.unknownError, ['yy-1']);
});

test('missing dependencies and records without reason lines are issues', () => {
  const { issues } = PbulkStates.fromRecords([{ pkgname: 'a-1', depends: ['nope-1'] }]);
  assert.deepEqual(issues.map((i) => i.kind).sort(), ['invalid-record', 'missing-dependency']);
});

test('cycles are reported with their chain, in dependency order', () => {
  const { issues } = buildGraph([rec('a-1', ['b-1']), rec('b-1', ['c-1']), rec('c-1', ['a-1']), rec('d-1', ['d-1']), rec('e-1', ['a-1'])]);
  const cycles = issues.filter((i) => i.kind === 'cycle');
  assert.deepEqual(
    cycles.map((c) => c.message),
    ['Cyclic dependency for package a-1: a-1 -> b-1 -> c-1 -> a-1', 'Cyclic dependency for package d-1: d-1 -> d-1'],
  );
});

test('scheduler API: ready() deepest first, markDone releases dependents, markFailed returns the indirect-failed ones', () => {
  const { states } = PbulkStates.fromRecords([rec('a-1'), rec('b-1'), rec('c-1', ['a-1']), rec('d-1', ['a-1', 'b-1']), rec('e-1', ['d-1'])]);
  states.replay([], []);
  states.open();
  // a-1 has 3 dependents (depth 4), b-1 two (depth 3).
  assert.deepEqual(states.ready(), [0, 1]);
  states.markInProcessing(0);
  assert.equal(states.state(0), 'in_processing');
  assert.deepEqual(states.markDone(0), [2]);
  assert.deepEqual(states.ready(), [1, 2]);
  assert.deepEqual(states.markFailed(1).sort(), [3, 4]);
  assert.deepEqual(states.states(), ['done', 'failed', 'open', 'indirect-failed', 'indirect-failed']);
});

test('failedCulprits follows indirect-failed dependencies down to the failed packages', () => {
  const c = computeStates([rec('f-1'), rec('g-1'), rec('a-1', ['f-1']), rec('b-1', ['a-1', 'g-1']), rec('c-1', ['b-1'])], [], ['f-1', 'g-1']);
  const cu = failedCulprits(c.graph, c.states);
  assert.deepEqual(cu.get(4), ['f-1', 'g-1']);
  assert.deepEqual(cu.get(2), ['f-1']);
});

test('failingPhase picks the last phase log and ignores work.log, pkg-build.log and archives', () => {
  assert.equal(failingPhase(['pre-clean.log', 'checksum.log', 'work.log', 'depends.log']), 'checksum');
  assert.equal(failingPhase(['deinstall.log', 'clean.log', 'prefix.tar.gz']), 'deinstall');
  assert.equal(failingPhase(['work.log', 'pkg-build.log', 'wrkdir.tar.gz']), undefined);
});

test('splitReasons splits the shell-quoted PKG_FAIL_REASON list', () => {
  assert.deepEqual(splitReasons(`"a-1 is marked as broken:" Distfile\\ doesn\\'t\\ match`), ['a-1 is marked as broken:', "Distfile doesn't match"]);
  assert.deepEqual(splitReasons(`"say \\"x\\"" 'single quoted' plain`), ['say "x"', 'single quoted', 'plain']);
  assert.deepEqual(splitReasons(''), []);
});

test('parseMetaReport reads PKG_DEPTH and BUILD_STATUS and locates records that lack them', () => {
  const text = 'PKGNAME=a-1.0\nPKG_LOCATION=c/a\nPKG_DEPTH=3\nBUILD_STATUS=failed\nPKGNAME=b-1.0\nPKG_LOCATION=c/b\nBUILD_STATUS=sideways\n';
  const r = parseMetaReport(text, 'report');
  assert.deepEqual(
    r.entries.map((e) => [e.record.pkgname, e.depth, e.state]),
    [
      ['a-1.0', 3, 'failed'],
      ['b-1.0', undefined, undefined],
    ],
  );
  const mine = r.problems.filter((p) => p.code === 'bad-depth' || p.code === 'bad-state');
  assert.deepEqual(
    mine.map((p) => [p.code, p.range.start.line]),
    [
      ['bad-depth', 4],
      ['bad-state', 4],
    ],
  );
});

// --- properties ---------------------------------------------------------------------------

/** Random DAGs: package i may depend only on packages with a smaller index. */
const dagArb = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.array(fc.nat(n - 1), { maxLength: 4 }), { minLength: n, maxLength: n }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      fc.array(fc.constantFrom('success', 'error', 'none'), { minLength: n, maxLength: n }),
    ),
  );

test('property: states follow pbulk-build rules and depths match a brute-force count', () => {
  fc.assert(
    fc.property(dagArb, ([n, depIdx, prefailed, outcome]) => {
      const name = (i: number) => `p${i}-1.0`;
      const records = Array.from({ length: n }, (_, i) => rec(name(i), [...new Set(depIdx[i]!.filter((d) => d < i))].map(name), prefailed[i] ? '"x"' : ''));
      // Only what pbulk-build can have built appears in the lists: packages that are not
      // prefailed and whose dependencies all succeeded (indices are a topological order).
      const result: string[] = [];
      for (let i = 0; i < n; i++) {
        const ok = !prefailed[i] && records[i]!.depends!.every((d) => result[Number(d.slice(1, -4))] === 'success');
        result.push(ok ? outcome[i]! : 'none');
      }
      const success = records.filter((_, i) => result[i] === 'success').map((r) => r.pkgname);
      const error = records.filter((_, i) => result[i] === 'error').map((r) => r.pkgname);
      const c = computeStates(records, success, error);
      assert.deepEqual(c.issues, []);
      const deps = (i: number) => c.graph.deps[i]!;
      for (let i = 0; i < n; i++) {
        // Brute force: packages reaching i over dependency edges, i included.
        const reach = new Set<number>([i]);
        for (let changed = true; changed;) {
          changed = false;
          for (let j = 0; j < n; j++) if (!reach.has(j) && deps(j).some((d) => reach.has(d))) (reach.add(j), (changed = true));
        }
        assert.equal(c.graph.depth[i], reach.size);
        const s = c.states[i]!;
        if (s === 'indirect-prefailed') assert.ok(deps(i).some((d) => c.states[d] === 'prefailed' || c.states[d] === 'indirect-prefailed'));
        if (s === 'indirect-failed') assert.ok(deps(i).some((d) => c.states[d] === 'failed' || c.states[d] === 'indirect-failed'));
        if (s === 'prefailed') assert.ok(prefailed[i]);
        if (s === 'open') assert.ok(!deps(i).some((d) => c.states[d] !== 'done' && c.states[d] !== 'open'));
      }
    }),
    { numRuns: 300 },
  );
});

function assertInside(problems: Problem[], text: string): void {
  const lines = text.split('\n');
  for (const p of problems) {
    assert.ok(p.range.start.line >= 0 && p.range.start.line <= Math.max(0, lines.length - 1), JSON.stringify(p));
    assert.ok(p.range.end.line >= p.range.start.line && p.range.end.line < Math.max(1, lines.length), JSON.stringify(p));
    assert.ok(p.range.start.character >= 0 && p.range.end.character <= (lines[p.range.end.line]?.length ?? 0) + 1, JSON.stringify(p));
  }
}

const metaText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(fc.constantFrom('PKGNAME=a-1', 'PKGNAME=', 'DEPENDS=a-1 b-1', 'PKG_FAIL_REASON="x"', 'a|done||3', 'x|y|z', 'KEY=v', '', '\r', 'b-1', ' \t', '\0'), {
      maxLength: 30,
    })
    .map((a) => a.join('\n')),
);

test('property: the meta file parsers never throw and every problem lies inside the text', () => {
  fc.assert(
    fc.property(metaText, (text) => {
      assertInside(parseStatus(text, 'f').problems, text);
      assertInside(parsePkgList(text, 'f').problems, text);
      assertInside(parsePbuild(text, 'f').problems, text);
      parseRecords(text, 'f');
      assertInside(parseMetaReport(text, 'f').problems, text);
      splitReasons(text);
    }),
    { numRuns: 500 },
  );
});
