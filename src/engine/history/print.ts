// A diff of two runs as text for a terminal: one section per kind of change, the ones a
// developer acts on first, each line starting with the location so it can be pasted.
import type { PackageChange, RunDiff } from '../../pkgsrc/history/diff';
import { stateWord } from '../../pkgsrc/states';

export interface PrintOptions {
  /** Log of a failed package in the later run. */
  log?: (c: PackageChange) => string | undefined;
  /** Lines per section before "... and N more". */
  limit?: number;
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

const loc = (c: { location?: string; pkgname: string }) => (c.location ?? c.pkgname).padEnd(28);

/** A state in the words every view uses (the identifiers are pbulk's, for --json). */
const word = (s: PackageChange['before']) => (s === undefined ? 'not in the build' : stateWord(s));

export function formatDiffText(d: RunDiff, o: PrintOptions = {}): string {
  const limit = o.limit ?? 50;
  const out: string[] = [];
  const section = <T>(title: string, items: T[], line: (x: T) => string) => {
    if (items.length === 0) return;
    out.push(`${title} (${items.length}):`);
    for (const x of items.slice(0, limit)) out.push(`  ${line(x)}`);
    if (items.length > limit) out.push(`  ... and ${items.length - limit} more (--json lists all)`);
  };
  const failure = (c: PackageChange) => {
    const log = o.log?.(c);
    const was = c.before === undefined ? 'new in this build' : `was ${word(c.before)}`;
    return `${loc(c)} ${c.pkgname}${c.phase ? ` in ${c.phase}` : ''}${c.breaks > 0 ? `, breaks ${c.breaks}` : ''} (${was})${log ? `  ${log}` : ''}`;
  };
  section('New failures', d.newFailures, failure);
  section(
    'Newly broken by',
    d.newlyBroken,
    (b) =>
      `${loc(b)} ${b.pkgname} breaks ${b.after} (was ${b.before})${b.newlyBroken.length ? `: ${b.newlyBroken.slice(0, 8).join(' ')}${b.newlyBroken.length > 8 ? ' ...' : ''}` : ''}`,
  );
  section('Fixed', d.fixed, (c) => `${loc(c)} ${c.pkgname} (was ${word(c.before)}${c.phase ? ` in ${c.phase}` : ''})`);
  section('Still failing', d.stillFailing, (c) => `${loc(c)} ${c.pkgname}${c.phase ? ` in ${c.phase}` : ''}${c.breaks > 0 ? `, breaks ${c.breaks}` : ''}`);
  section('Other state changes', d.otherStates, (c) => `${loc(c)} ${c.pkgname}: ${word(c.before)} -> ${word(c.after)}`);
  section('Version changes', d.versions, (c) => `${loc(c)} ${c.was} -> ${c.pkgname}`);
  section('Added to the build', d.added, (c) => `${loc(c)} ${c.pkgname} (${word(c.after)})`);
  section('Removed from the build', d.removed, (c) => `${loc(c)} ${c.pkgname} (was ${word(c.before)})`);
  section('Build time changes', d.times, (t) => `${loc(t)} ${t.pkgname}: ${seconds(t.beforeMs)} -> ${seconds(t.afterMs)}`);
  if (out.length === 0) out.push('No changes.');
  return out.join('\n') + '\n';
}
