// Package states with pbulk's own names, as meta/pbuild and meta/report spell them.

export const BUILD_STATES = [
  'done',
  'failed',
  'prefailed',
  'indirect-failed',
  'indirect-prefailed',
  'open',
  'in_processing',
] as const;

export type BuildState = (typeof BUILD_STATES)[number];

/** The five classes the reports count; open and in_processing only appear after an abort. */
export const FINAL_STATES = ['done', 'failed', 'prefailed', 'indirect-failed', 'indirect-prefailed'] as const;

export type FinalState = (typeof FINAL_STATES)[number];

/** States that count as unsuccessful in the reports and the broken-packages graph. */
export const BROKEN_STATES = ['failed', 'prefailed', 'indirect-failed', 'indirect-prefailed'] as const;

export function isBuildState(s: string): s is BuildState {
  return (BUILD_STATES as readonly string[]).includes(s);
}

export function isBroken(s: BuildState): boolean {
  return (BROKEN_STATES as readonly string[]).includes(s);
}

/** A record of counts per state, all zero. */
export function emptyTotals(): Record<BuildState, number> {
  return { done: 0, failed: 0, prefailed: 0, 'indirect-failed': 0, 'indirect-prefailed': 0, open: 0, in_processing: 0 };
}

/** Labels used by report.txt for the five counted classes. */
export const STATE_LABELS: Record<FinalState, string> = {
  done: 'Successfully built',
  failed: 'Failed to build',
  'indirect-failed': 'Depending on failed package',
  prefailed: 'Explicitly broken or masked',
  'indirect-prefailed': 'Depending on masked package',
};
