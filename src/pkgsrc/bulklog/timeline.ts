// meta/timeline: which package ran in which build slot and when, one line per finished build
// (`PKGNAME|slot|start|end|state`, times in epoch milliseconds, plus `|host` when a client
// host of a multi-host build ran it), appended by the engine as packages finish. pbulk
// records no times, so a bulklog of a real pbulk run has no such file;
// readers treat it as optional. A package built again (a rebuild) appears again: the last line wins.
import { join } from 'node:path';
import type { Problem } from '../problem';
import { readTextFile } from './files';
import { fileLines, lineProblem } from './located';
import { isBuildState, type BuildState } from './states';

export const TIMELINE_FILE = 'timeline';

export interface TimelineEntry {
  pkgname: string;
  /** Build slot (0-based), the sandbox the package ran in. */
  slot: number;
  /** Epoch milliseconds. */
  start: number;
  end: number;
  state: BuildState;
  /** The client host that built it (multi-host builds); absent for the engine's own slots. */
  host?: string;
}

export function formatTimelineLine(e: TimelineEntry): string {
  if (/[|\s]/.test(e.pkgname)) throw new Error(`not a package name: ${JSON.stringify(e.pkgname)}`);
  const host = e.host !== undefined ? `|${e.host.replace(/[|\s]/g, '_')}` : '';
  return `${e.pkgname}|${e.slot}|${Math.round(e.start)}|${Math.round(e.end)}|${e.state}${host}`;
}

const count = (s: string) => (/^\d+$/.test(s) ? Number(s) : NaN);

/** Parses meta/timeline; bad lines become problems; later lines for a package replace earlier ones. */
export function parseTimeline(text: string, file: string): { entries: TimelineEntry[]; problems: Problem[] } {
  const byName = new Map<string, TimelineEntry>();
  const problems: Problem[] = [];
  const { lines, tornLast } = fileLines(text);
  lines.forEach((l, i) => {
    if (l === '') return;
    if (tornLast && i === lines.length - 1) {
      problems.push(lineProblem(file, i, 'warning', 'torn-line', 'incomplete last line ignored (interrupted write?)', l));
      return;
    }
    const f = l.split('|');
    const [pkgname, slot, start, end, state, host] = f;
    const s = count(slot ?? '');
    const t0 = count(start ?? '');
    const t1 = count(end ?? '');
    if (
      (f.length !== 5 && !(f.length === 6 && host)) ||
      !pkgname ||
      !Number.isSafeInteger(s) ||
      !Number.isSafeInteger(t0) ||
      !Number.isSafeInteger(t1) ||
      t1 < t0 ||
      !isBuildState(state ?? '')
    ) {
      problems.push(lineProblem(file, i, 'warning', 'bad-timeline-line', 'expected PKGNAME|slot|start|end|state[|host] with times in milliseconds', l));
      return;
    }
    byName.delete(pkgname);
    byName.set(pkgname, { pkgname, slot: s, start: t0, end: t1, state: state as BuildState, ...(host ? { host } : {}) });
  });
  return { entries: [...byName.values()], problems };
}

/** The timeline of a bulklog's meta directory; no file (a pbulk bulklog) is no entries. */
export async function readTimeline(metaDir: string): Promise<{ entries: TimelineEntry[]; problems: Problem[] }> {
  const file = join(metaDir, TIMELINE_FILE);
  const f = await readTextFile(file);
  if (!f.exists) return { entries: [], problems: f.problems };
  const parsed = parseTimeline(f.text, file);
  return { entries: parsed.entries, problems: [...f.problems, ...parsed.problems] };
}
