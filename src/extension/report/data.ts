// The data behind the report view, from any bulklog (a finished one, a live one, one copied
// from another machine): totals by state, the failed packages breaking the most, every
// unsuccessful package with its first error and links, the timeline of the build slots and the
// graph of broken dependencies. Plain JSON, posted to the webview, which draws it. Pure.
import type { Bulklog } from '../../pkgsrc/bulklog';
import { BUILD_STATES, State, countParts, formatTotal, isBroken, stateWord, type BuildState } from '../../pkgsrc/states';
import type { TimelineEntry } from '../../pkgsrc/bulklog/timeline';
import { buildSummary, withFirstErrors, type ReportSummary } from '../../pkgsrc/report/summary';
import type { RepositoryView } from '../publish/view';
import type { SinceData } from '../history/sinceData';

export interface ReportRow {
  pkgname: string;
  location?: string;
  state: BuildState;
  breaks: number;
  maintainer?: string;
  phase?: string;
  firstError?: string;
  /** Failed or prefailed packages behind an indirect failure. */
  culprits?: string[];
  reasons?: string[];
  hasLog: boolean;
}

export interface GraphNode {
  id: string;
  state: BuildState;
  location?: string;
  breaks: number;
}

export interface ReportData {
  title: string;
  bulklog: string;
  platform?: string;
  compiler?: string;
  buildStart?: string;
  buildEnd?: string;
  finished: boolean;
  /** True while an engine in this window is building into this bulklog. */
  live: boolean;
  total: number;
  /** The count breakdown every view shows: `6 packages: 3 built, 1 failed, ...` */
  summary: string;
  /** Its parts, one table row each. */
  totals: { state: BuildState; label: string; count: number }[];
  /** The word for each state, for the webview's columns and filters. */
  words: Record<BuildState, string>;
  topBreakers: ReportRow[];
  failures: ReportRow[];
  timeline: {
    slots: number;
    start: number;
    end: number;
    entries: TimelineEntry[];
    running: RunningBar[];
    /** Multi-host builds: the lane of each slot (`host`, or `host #2` for a host's second slot). */
    labels?: string[];
    /** Multi-host builds: per client host, what it built and how long it was busy. */
    hosts?: { host: string; done: number; failed: number; busyMs: number; building: number }[];
  };
  graph: { nodes: GraphNode[]; edges: { from: string; to: string; failed: boolean }[]; omitted: number };
  /** Problems met while reading the bulklog. */
  problems: number;
  /** The package repository written from this bulklog, its gates and its publication. */
  repository?: RepositoryView;
  /** What changed since the previous run (the run history), shown first. */
  since?: SinceData;
}

/** Graph size the webview lays out; the packages breaking the most are kept. */
const MAX_GRAPH_NODES = 250;

/** The totals of the report view from counts per state: the breakdown and its parts. */
export function totalsOf(counts: Partial<Record<BuildState, number>>): Pick<ReportData, 'summary' | 'totals'> {
  return { summary: formatTotal(counts), totals: countParts(counts).map((p) => ({ state: p.state, label: stateWord(p.state), count: p.count })) };
}

const WORDS = Object.fromEntries(BUILD_STATES.map((s) => [s, stateWord(s)])) as Record<BuildState, string>;

function row(
  s: ReportSummary['failed'][number] | ReportSummary['indirectFailed'][number] | ReportSummary['prefailed'][number] | ReportSummary['pending'][number],
  hasLog: boolean,
): ReportRow {
  const r: ReportRow = { pkgname: s.pkgname, state: s.state, breaks: s.breaks, hasLog };
  if (s.location !== undefined) r.location = s.location;
  if (s.maintainer !== undefined) r.maintainer = s.maintainer;
  if ('phase' in s && s.phase) r.phase = s.phase;
  if ('firstError' in s && s.firstError) r.firstError = s.firstError.message;
  if ('culprits' in s && s.culprits.length) r.culprits = s.culprits;
  if ('reasons' in s && s.reasons.length) r.reasons = s.reasons;
  return r;
}

/** Edges `dependency -> dependent` between unsuccessful packages, as report.dot has them. */
export function brokenGraph(b: Bulklog, maxNodes = MAX_GRAPH_NODES): ReportData['graph'] {
  const edges: { from: string; to: string; failed: boolean }[] = [];
  const inGraph = new Set<string>();
  for (const p of b.packages) {
    if (!isBroken(p.state)) continue;
    for (const d of p.depends) {
      const q = b.byName.get(d);
      if (!q || !isBroken(q.state)) continue;
      edges.push({ from: d, to: p.pkgname, failed: q.state === State.Failed });
      inGraph.add(d);
      inGraph.add(p.pkgname);
    }
  }
  // Failed packages without broken dependents still belong in the picture.
  for (const p of b.packages) if (p.state === State.Failed || p.state === State.Broken) inGraph.add(p.pkgname);
  let ids = [...inGraph];
  let omitted = 0;
  if (ids.length > maxNodes) {
    // Keep the roots that break the most, then their dependents, up to the bound.
    const keep = new Set<string>();
    const byBreaks = ids.map((id) => b.byName.get(id)!).sort((x, y) => (y.breaks ?? 0) - (x.breaks ?? 0));
    const out = new Map<string, string[]>();
    for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    for (const p of byBreaks) {
      if (keep.size >= maxNodes) break;
      if (p.state !== State.Failed && p.state !== State.Broken) continue;
      const queue = [p.pkgname];
      while (queue.length > 0 && keep.size < maxNodes) {
        const n = queue.shift()!;
        if (keep.has(n)) continue;
        keep.add(n);
        queue.push(...(out.get(n) ?? []));
      }
    }
    omitted = ids.length - keep.size;
    ids = ids.filter((id) => keep.has(id));
  }
  const kept = new Set(ids);
  return {
    nodes: ids.map((id) => {
      const p = b.byName.get(id)!;
      return { id, state: p.state, breaks: p.breaks ?? 0, ...(p.location ? { location: p.location } : {}) };
    }),
    edges: edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
    omitted,
  };
}

export interface RunningBar {
  pkgname: string;
  slot: number;
  start: number;
  host?: string;
}

/** Lanes and per-host totals of a multi-host timeline (nothing when no entry has a host). */
export function hostLanes(
  entries: readonly TimelineEntry[],
  running: readonly RunningBar[],
  slots: number,
  now: number,
): Pick<ReportData['timeline'], 'labels' | 'hosts'> {
  const hostOf = new Map<number, string>();
  for (const e of [...entries, ...running]) if (e.host) hostOf.set(e.slot, e.host);
  if (hostOf.size === 0) return {};
  const seen = new Map<string, number>();
  const labels = Array.from({ length: slots }, (_, k) => {
    const h = hostOf.get(k);
    if (!h) return `slot ${k}`;
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h} #${n}`;
  });
  const by = new Map<string, { host: string; done: number; failed: number; busyMs: number; building: number }>();
  const of = (h: string) => by.get(h) ?? by.set(h, { host: h, done: 0, failed: 0, busyMs: 0, building: 0 }).get(h)!;
  for (const e of entries) {
    if (!e.host) continue;
    const r = of(e.host);
    if (e.state === 'failed') r.failed++;
    else r.done++;
    r.busyMs += e.end - e.start;
  }
  for (const r of running) {
    if (!r.host) continue;
    of(r.host).building++;
    of(r.host).busyMs += Math.max(0, now - r.start);
  }
  return { labels, hosts: [...by.values()].sort((a, b) => a.host.localeCompare(b.host, undefined, { numeric: true })) };
}

export async function reportData(
  b: Bulklog,
  opts: { timeline?: readonly TimelineEntry[]; running?: RunningBar[]; live?: boolean; now?: number } = {},
): Promise<ReportData> {
  const s = await withFirstErrors(buildSummary(b));
  const logged = new Set(b.packages.filter((p) => p.logs.length > 0).map((p) => p.pkgname));
  const failures: ReportRow[] = [
    ...s.failed.map((f) => row(f, logged.has(f.pkgname))),
    ...s.prefailed.map((f) => row(f, logged.has(f.pkgname))),
    ...s.indirectFailed.map((f) => row(f, logged.has(f.pkgname))),
    ...s.indirectPrefailed.map((f) => row(f, logged.has(f.pkgname))),
  ];
  const entries = [...(opts.timeline ?? [])].sort((x, y) => x.start - y.start);
  const running = opts.running ?? [];
  const now = opts.now ?? Date.now();
  const starts = [...entries.map((e) => e.start), ...running.map((r) => r.start)];
  const ends = [...entries.map((e) => e.end), ...(running.length > 0 ? [now] : [])];
  const slots = [...entries, ...running].reduce((a, e) => Math.max(a, e.slot + 1), 0);
  return {
    title: `pkgsrc bulk build${s.platform ? ` for ${s.platform}` : ''}${s.buildStart ? ` from ${s.buildStart}` : ''}`,
    bulklog: b.dir,
    ...(s.platform ? { platform: s.platform } : {}),
    ...(s.compiler ? { compiler: s.compiler } : {}),
    ...(s.buildStart ? { buildStart: s.buildStart } : {}),
    ...(s.buildEnd ? { buildEnd: s.buildEnd } : {}),
    finished: s.finished,
    live: opts.live ?? false,
    total: s.total,
    ...totalsOf(s.totals),
    words: WORDS,
    topBreakers: s.topBreakers.map((t) => row(t, logged.has(t.pkgname))),
    failures,
    timeline: {
      slots,
      start: starts.reduce((a, x) => Math.min(a, x), starts[0] ?? 0),
      end: ends.reduce((a, x) => Math.max(a, x), 0),
      entries,
      running,
      ...hostLanes(entries, running, slots, now),
    },
    graph: brokenGraph(b),
    problems: s.problemCount,
  };
}
