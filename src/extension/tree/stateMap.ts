// Build states per package path, without VS Code: pbulk's state names mapped onto the view's,
// the variants of a multi-version location folded into one state, and the states of a bulklog
// read with the bulklog library.
import type { Bulklog } from '../../pkgsrc/bulklog';

export const PACKAGE_STATES = ['unknown', 'queued', 'building', 'done', 'failed', 'indirect-failed', 'prefailed', 'indirect-prefailed'] as const;
export type PackageState = (typeof PACKAGE_STATES)[number];

export interface VariantState {
  pkgname: string;
  state: PackageState;
  /** e.g. the failing phase, or the packages an indirect failure comes from. */
  detail?: string;
}

export interface LocationState {
  state: PackageState;
  variants: VariantState[];
}

/** Which variant's state a location shows: the one a user most needs to see. */
const precedence: PackageState[] = ['failed', 'building', 'indirect-failed', 'prefailed', 'indirect-prefailed', 'queued', 'done', 'unknown'];

export function locationState(variants: VariantState[]): LocationState {
  let best: PackageState = 'unknown';
  for (const v of variants) if (precedence.indexOf(v.state) < precedence.indexOf(best)) best = v.state;
  return { state: best, variants };
}

/** pbulk's own names (meta/pbuild, meta/report) onto the view's. */
export function fromPbulkState(s: string): PackageState {
  switch (s) {
    case 'open':
      return 'queued';
    case 'in_processing':
      return 'building';
    case 'done':
    case 'failed':
    case 'prefailed':
    case 'indirect-failed':
    case 'indirect-prefailed':
      return s;
    default:
      return 'unknown';
  }
}

export const STATE_TEXT: Record<PackageState, string> = {
  unknown: 'not built',
  queued: 'queued',
  building: 'building',
  done: 'built',
  failed: 'failed',
  'indirect-failed': 'depends on a failed package',
  prefailed: 'broken or masked (not built)',
  'indirect-prefailed': 'depends on a broken or masked package',
};

export function statesOf(log: Bulklog): Map<string, LocationState> {
  const byLocation = new Map<string, VariantState[]>();
  for (const p of log.packages) {
    if (!p.location) continue;
    const detail = p.failingPhase ? `${p.failingPhase} phase` : p.culprits?.length ? `because of ${p.culprits.join(', ')}` : p.reasons?.[0];
    const list = byLocation.get(p.location) ?? [];
    list.push({ pkgname: p.pkgname, state: fromPbulkState(p.state), ...(detail ? { detail } : {}) });
    byLocation.set(p.location, list);
  }
  return new Map([...byLocation].map(([loc, vs]) => [loc, locationState(vs)]));
}
