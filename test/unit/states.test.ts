// The one list of package states: pbulk's names as identifiers, one word, icon and Problems
// severity per state, and the one count breakdown every view prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILD_STATES,
  FINAL_STATES,
  PBULK_LABELS,
  STATE_LOOK,
  State,
  countParts,
  formatCounts,
  formatTotal,
  isBuildState,
  worstState,
} from '../../src/pkgsrc/states';
import { buildState } from '../../src/protocol/common';

test("identifiers are pbulk's names, as meta/pbuild writes them", () => {
  assert.deepEqual(Object.values(State).sort(), ['done', 'failed', 'in_processing', 'indirect-failed', 'indirect-prefailed', 'open', 'prefailed']);
  assert.deepEqual([...BUILD_STATES].sort(), Object.values(State).sort());
  assert.deepEqual(Object.keys(PBULK_LABELS).sort(), [...FINAL_STATES].sort());
  // The protocol carries the same identifiers.
  for (const s of BUILD_STATES) assert.equal(buildState.parse(s), s);
  assert.ok(!isBuildState('queued') && !isBuildState('built'));
});

test('each state has one word, one icon and a Problems severity that matches the icon', () => {
  const words = BUILD_STATES.map((s) => STATE_LOOK[s].word);
  assert.equal(new Set(words).size, words.length, 'no two states share a word');
  for (const s of BUILD_STATES) {
    const l = STATE_LOOK[s];
    assert.ok(!/prefailed|indirect|in_processing/.test(`${l.word} ${l.meaning}`), `${s}: people never read pbulk's identifiers`);
    if (l.severity === undefined) continue;
    assert.equal(l.icon, { error: 'error', warning: 'warning', information: 'info', hint: 'lightbulb' }[l.severity], `${s}: icon and severity agree`);
    assert.ok(l.code && /^[a-z-]+$/.test(l.code));
  }
  assert.deepEqual(
    FINAL_STATES.map((s) => [STATE_LOOK[s].word, STATE_LOOK[s].severity ?? null]),
    [
      ['built', null],
      ['failed', 'error'],
      ['broken', 'warning'],
      ['depending on failed', 'information'],
      ['depending on broken', 'information'],
    ],
  );
});

test('the count breakdown: built always, the other states when a package is in them, in one order', () => {
  assert.equal(formatCounts({}), '0 built');
  assert.equal(formatCounts({ failed: 1, 'indirect-failed': 1, prefailed: 1, done: 0 }), '0 built, 1 failed, 1 broken, 1 depending on failed');
  assert.equal(formatCounts({ done: 3, open: 40, in_processing: 2 }), '3 built, 2 building, 40 queued');
  assert.equal(formatTotal({ done: 1 }), '1 package: 1 built');
  assert.equal(formatTotal({ done: 3, failed: 1, 'indirect-prefailed': 2 }), '6 packages: 3 built, 1 failed, 2 depending on broken');
  assert.deepEqual(
    countParts({ done: 2, failed: 1 }).map((p) => [p.state, p.count, p.text]),
    [
      ['done', 2, '2 built'],
      ['failed', 1, '1 failed'],
    ],
  );
});

test('the state a summary shows its icon for is the one most in need of attention', () => {
  assert.equal(worstState({ done: 5 }), 'done');
  assert.equal(worstState({}), 'done');
  assert.equal(worstState({ done: 5, prefailed: 1, 'indirect-failed': 2 }), 'indirect-failed');
  assert.equal(worstState({ done: 5, prefailed: 1, failed: 1 }), 'failed');
});
