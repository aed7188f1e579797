// Package states, once for the engine, the protocol, the editor and the command line.
//
// A state's identifier is the name pbulk gives it in meta/pbuild and meta/report, so that
// bulklogs, the protocol and JSON output stay what pbulk's tools and users' scripts read. People
// never see an identifier: every view says a state with the words below, draws it with its one
// icon and puts it in Problems with its one severity. pbulk's own labels (PBULK_LABELS) appear
// only where pbulk's own files are written or shown (report.txt, report.html).
import type { Severity } from './problem';

/** The states by what they mean; each value is pbulk's name for it. */
export const State = {
  Built: 'done',
  Failed: 'failed',
  /** BROKEN, PKG_FAIL_REASON or PKG_SKIP_REASON set (pbulk: prefailed); never built. */
  Broken: 'prefailed',
  DependsOnFailed: 'indirect-failed',
  DependsOnBroken: 'indirect-prefailed',
  Building: 'in_processing',
  Queued: 'open',
} as const;

/** Every state, in the order people read them in a breakdown. */
export const BUILD_STATES = [State.Built, State.Failed, State.Broken, State.DependsOnFailed, State.DependsOnBroken, State.Building, State.Queued] as const;

export type BuildState = (typeof BUILD_STATES)[number];

/** The five classes a finished build ends in, and that pbulk's reports count. */
export const FINAL_STATES = [State.Built, State.Failed, State.Broken, State.DependsOnFailed, State.DependsOnBroken] as const;

export type FinalState = (typeof FINAL_STATES)[number];

/** The unsuccessful ones: the reports list them and the broken-dependency graph draws them. */
export const BROKEN_STATES = [State.Failed, State.Broken, State.DependsOnFailed, State.DependsOnBroken] as const;

/** Most in need of attention first: which variant a multi-version location shows, and sort orders. */
export const ATTENTION_ORDER: readonly BuildState[] = [
  State.Failed,
  State.Building,
  State.DependsOnFailed,
  State.Broken,
  State.DependsOnBroken,
  State.Queued,
  State.Built,
];

export function isBuildState(s: string): s is BuildState {
  return (BUILD_STATES as readonly string[]).includes(s);
}

export function isBroken(s: BuildState): boolean {
  return (BROKEN_STATES as readonly string[]).includes(s);
}

/** A record of counts per state, all zero. */
export function emptyTotals(): Record<BuildState, number> {
  return { done: 0, failed: 0, prefailed: 0, 'indirect-failed': 0, 'indirect-prefailed': 0, in_processing: 0, open: 0 };
}

export interface StateLook {
  /** After a count and as a package's state: `3 built`, `1 depending on failed`. */
  word: string;
  /** What the state means for one package, for tooltips and a log's first line. */
  meaning: string;
  /** Codicon id, and the theme colour it is drawn in (matching its Problems severity). */
  icon: string;
  color?: string;
  /** Severity and code of the package's diagnostic in Problems; none for a state without one. */
  severity?: Severity;
  code?: string;
}

/** How every view says and draws each state. */
export const STATE_LOOK: Record<BuildState, StateLook> = {
  done: { word: 'built', meaning: 'built', icon: 'pass', color: 'testing.iconPassed' },
  failed: { word: 'failed', meaning: 'failed to build', icon: 'error', color: 'problemsErrorIcon.foreground', severity: 'error', code: 'failed' },
  prefailed: {
    word: 'broken',
    meaning: 'broken: not built (BROKEN, PKG_FAIL_REASON or PKG_SKIP_REASON)',
    icon: 'warning',
    color: 'problemsWarningIcon.foreground',
    severity: 'warning',
    code: 'broken',
  },
  'indirect-failed': {
    word: 'depending on failed',
    meaning: 'not built: depends on a package that failed',
    icon: 'info',
    color: 'problemsInfoIcon.foreground',
    severity: 'information',
    code: 'depending-on-failed',
  },
  'indirect-prefailed': {
    word: 'depending on broken',
    meaning: 'not built: depends on a broken package',
    icon: 'info',
    color: 'problemsInfoIcon.foreground',
    severity: 'information',
    code: 'depending-on-broken',
  },
  in_processing: { word: 'building', meaning: 'building now', icon: 'sync~spin', color: 'charts.blue' },
  open: { word: 'queued', meaning: 'queued: not built yet', icon: 'clock' },
};

/** The word for a state, e.g. in a table column. */
export function stateWord(s: BuildState): string {
  return STATE_LOOK[s].word;
}

export interface CountPart {
  state: BuildState;
  count: number;
  /** `3 built` */
  text: string;
}

/**
 * The one count breakdown people read, everywhere: the built count always, every other state
 * when a package is in it, in BUILD_STATES order.
 */
export function countParts(counts: Partial<Record<BuildState, number>>): CountPart[] {
  return BUILD_STATES.filter((s) => s === State.Built || (counts[s] ?? 0) > 0).map((s) => ({
    state: s,
    count: counts[s] ?? 0,
    text: `${counts[s] ?? 0} ${STATE_LOOK[s].word}`,
  }));
}

/** `0 built, 1 failed, 1 broken, 1 depending on failed` */
export function formatCounts(counts: Partial<Record<BuildState, number>>): string {
  return countParts(counts)
    .map((p) => p.text)
    .join(', ');
}

/** `6 packages: 3 built, 1 failed, 1 broken, 1 depending on failed` */
export function formatTotal(counts: Partial<Record<BuildState, number>>): string {
  const n = BUILD_STATES.reduce((a, s) => a + (counts[s] ?? 0), 0);
  return `${plural(n, 'package')}: ${formatCounts(counts)}`;
}

/** The state that most needs attention among those with a count, for a summary's icon. */
export function worstState(counts: Partial<Record<BuildState, number>>): BuildState {
  return ATTENTION_ORDER.find((s) => (counts[s] ?? 0) > 0) ?? State.Built;
}

/** pbulk's own labels of the five classes, as its report.txt and report.html print them. */
export const PBULK_LABELS: Record<FinalState, string> = {
  done: 'Successfully built',
  failed: 'Failed to build',
  'indirect-failed': 'Depending on failed package',
  prefailed: 'Explicitly broken or masked',
  'indirect-prefailed': 'Depending on masked package',
};

/** The same in report.html, which says "Failed build". */
export const PBULK_HTML_LABELS: Record<FinalState, string> = { ...PBULK_LABELS, failed: 'Failed build' };

/** The order of pbulk's report.txt and report.html totals. */
export const PBULK_REPORT_ORDER: readonly FinalState[] = [State.Built, State.Failed, State.DependsOnFailed, State.Broken, State.DependsOnBroken];

/** `1 package`, `3 packages`: a count and an English noun that takes -s. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
