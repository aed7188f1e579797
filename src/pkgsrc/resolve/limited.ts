// The dependency loop of a limited build, as pbulk's `scan` phase runs it: scan the listed
// locations, resolve incrementally, scan the locations of what is still missing, and again,
// until nothing is missing or a round changes nothing:
//   missing := the list
//   while missing is not empty:
//     missing.s := sort -u missing;  pscan := scan(missing.s)           (meta/pscan, overwritten)
//     first round:  presolve := resolve -i missing pscan
//     later rounds: new := resolve -i missing presolve pscan; stop if new == presolve
//   missing not empty -> "Unresolvable dependencies found, exiting:" and the list
// Scanning is the caller's (bmake, sandboxes, the scan cache); this is only the loop.
import type { ScanRecord } from '../scan/record';
import { parseScan } from '../scan/parse';
import { resolveIncremental, type ResolveResult } from './resolve';

export interface LimitedRound {
  /** meta/missing.s of the round: the locations scanned, sorted, unique. */
  locations: string[];
  /** The records the round's scan gave (meta/pscan). */
  pscan: readonly ScanRecord[];
  /** The round's resolution: its text is the new meta/presolve, its `missing` meta/missing. */
  result: ResolveResult;
  /** The presolve did not change: the loop ends here. */
  unchanged: boolean;
}

export interface LimitedOptions {
  verbose?: number;
  /** Stop after this many rounds (pbulk has no limit; a broken tree could loop). Default 200. */
  maxRounds?: number;
  /** Called after each round, e.g. to write meta/pscan, meta/missing and meta/presolve. */
  onRound?: (round: LimitedRound) => void | Promise<void>;
}

export interface LimitedResult {
  /** Nothing is missing: the build can start. */
  ok: boolean;
  /** meta/presolve as it stands at the end ('' if no round resolved). */
  presolve: string;
  /** The records of that presolve, with their DEPENDS. */
  records: ScanRecord[];
  /** Locations still missing (sorted, unique). */
  missing: string[];
  rounds: LimitedRound[];
  /** pbulk's words when the loop fails. */
  message?: string;
}

/** `sort -u` in the C locale. */
function sortUnique(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function resolveLimited(
  list: readonly string[],
  scan: (locations: string[]) => Promise<readonly ScanRecord[]>,
  opts: LimitedOptions = {},
): Promise<LimitedResult> {
  const maxRounds = opts.maxRounds ?? 200;
  const rounds: LimitedRound[] = [];
  let missing = list.filter((l) => l !== '' && !l.startsWith('#'));
  let presolve: ScanRecord[] | undefined;
  let text = '';
  // What has been resolved so far, with the locations still missing.
  const failed = (message: string) => ({ ok: false as const, presolve: text, records: presolve ?? [], missing: sortUnique(missing), rounds, message });
  while (missing.length > 0) {
    if (rounds.length >= maxRounds) {
      return failed(`Dependency resolution did not settle after ${maxRounds} scan rounds`);
    }
    const locations = sortUnique(missing);
    const pscan = await scan(locations);
    const result = presolve === undefined ? resolveIncremental(pscan, [], opts) : resolveIncremental(presolve, pscan, opts);
    const unchanged = presolve !== undefined && result.text === text;
    const round: LimitedRound = { locations, pscan, result, unchanged };
    rounds.push(round);
    await opts.onRound?.(round);
    missing = result.missing;
    if (!result.ok) {
      const why = result.messages
        .filter((m) => m.fatal)
        .map((m) => m.message)
        .join('; ');
      return failed(`Dependency resolution failed: ${why || 'see the messages'}`);
    }
    if (unchanged) break;
    text = result.text;
    presolve = parseScan(text, { format: 'presolve' }).records;
  }
  const left = sortUnique(missing);
  const out: LimitedResult = { ok: left.length === 0, presolve: text, records: presolve ?? [], missing: left, rounds };
  if (left.length > 0) out.message = `Unresolvable dependencies found, exiting:\n${left.join('\n')}`;
  return out;
}
