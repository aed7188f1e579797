// The summary of one run that the history keeps and diffs compare: what the run was (id,
// kind, times, counts) and one short row per package (name, location, state, what it breaks,
// the failing phase, the build time, the failures behind an indirect failure). It is made from
// any bulklog (the engine's or real pbulk's) and is small enough to read in milliseconds for a
// full-tree run, so a diff never has to read a bulklog again.
import type { Bulklog } from '../bulklog/read';
import { emptyTotals, type BuildState } from '../bulklog/states';
import type { TimelineEntry } from '../bulklog/timeline';

export type RunKind = 'full' | 'limited' | 'unknown';

export interface RunInfo {
  /** The engine's run id (meta/engine.json), or one made from meta/status for a pbulk bulklog. */
  id: string;
  kind: RunKind;
  /** Locations of a limited build. */
  locations?: string[];
  /** Epoch milliseconds. */
  startedAt?: number;
  finishedAt?: number;
  /** The run got to its end (meta/pbuild and reports written); false: stopped or killed. */
  finished: boolean;
  platform?: string;
  counts: Record<BuildState, number>;
  total: number;
}

export interface PackageRow {
  pkgname: string;
  location?: string;
  state: BuildState;
  /** Packages this one breaks when it fails. */
  breaks: number;
  /** Where a failed package failed. */
  phase?: string;
  /** Build time in milliseconds, when the engine recorded it (meta/timeline). */
  ms?: number;
  /** For indirect failures: the failed or broken packages behind it. */
  culprits?: string[];
}

export interface RunSummary {
  run: RunInfo;
  packages: PackageRow[];
}

/** What meta/engine.json says of the run, when the engine made the bulklog. */
export interface RunStateInfo {
  runId: string;
  locations?: string[];
  startedAt: number;
  finishedAt?: number;
  stage: string;
}

/** `YYYY-MM-DD HH:MM` of meta/status as epoch milliseconds (local time, as pbulk writes it). */
function statusTime(iso: string | undefined): number | undefined {
  const m = iso ? /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)/.exec(iso) : null;
  if (!m) return undefined;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])).getTime();
  return Number.isFinite(t) ? t : undefined;
}

/** A run id for a bulklog the engine did not make: from meta/status's BUILD_START_DIR. */
export function pbulkRunId(buildStartDir: string | undefined): string {
  return `pbulk-${(buildStartDir ?? '').replace(/[^0-9A-Za-z.]/g, '') || 'unknown'}`;
}

export function summarize(b: Bulklog, opts: { state?: RunStateInfo | undefined; timeline?: readonly TimelineEntry[] } = {}): RunSummary {
  const ms = new Map<string, number>();
  for (const e of opts.timeline ?? []) ms.set(e.pkgname, e.end - e.start);
  const packages: PackageRow[] = b.packages.map((p) => {
    const r: PackageRow = { pkgname: p.pkgname, state: p.state, breaks: p.breaks ?? 0 };
    if (p.location !== undefined) r.location = p.location;
    if (p.state === 'failed' && p.failingPhase) r.phase = p.failingPhase;
    const t = ms.get(p.pkgname);
    if (t !== undefined) r.ms = t;
    if (p.culprits?.length) r.culprits = p.culprits;
    return r;
  });
  const counts = emptyTotals();
  for (const p of packages) counts[p.state]++;
  const st = opts.state;
  const run: RunInfo = {
    id: st?.runId ?? pbulkRunId(b.status.buildStartDir),
    kind: st ? (st.locations ? 'limited' : 'full') : 'unknown',
    finished: st ? st.stage === 'done' : b.finished,
    counts,
    total: packages.length,
  };
  if (st?.locations) run.locations = st.locations;
  const started = st?.startedAt ?? statusTime(b.status.buildStartIso);
  const ended = st ? st.finishedAt : statusTime(b.status.buildEndIso);
  if (started !== undefined) run.startedAt = started;
  if (ended !== undefined) run.finishedAt = ended;
  if (b.status.platform) run.platform = b.status.platform;
  return { run, packages };
}
