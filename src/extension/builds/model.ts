// What the extension knows about the build it shows: every package's state, the ones running
// now with their phase and slot, counts, an ETA and the timeline of the build slots. Fed by the
// engine's events while a build runs (and seeded from the bulklog on disk when the window
// attaches mid-build), or by reading a bulklog when none runs. Pure (no vscode).
import type { Bulklog } from '../../pkgsrc/bulklog';
import { emptyTotals, formatCounts, formatTotal, type BuildState } from '../../pkgsrc/states';
import type { Phase } from '../../pkgsrc/bulklog/phases';
import type { TimelineEntry } from '../../pkgsrc/bulklog/timeline';
import type { z } from 'zod';
import type { EngineStatus, Stage } from '../../protocol/build';
import type * as P from '../../protocol/packages';
import type { ScanProgress } from '../../protocol/scan';

export interface LivePackage {
  pkgname: string;
  location?: string | undefined;
  state: BuildState;
  phase?: Phase | undefined;
  slot?: number | undefined;
  /** The client host building it (multi-host builds). */
  host?: string | undefined;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  depth?: number | undefined;
  /** Failed or prefailed packages behind an indirect failure. */
  causes?: string[] | undefined;
  logPath?: string | undefined;
  upToDate?: boolean | undefined;
}

export type Queued = z.infer<typeof P.packageQueued>;
export type Started = z.infer<typeof P.packageStarted>;
export type PhaseEvent = z.infer<typeof P.packagePhase>;
export type Finished = z.infer<typeof P.packageFinished>;

export interface HostActivity {
  host: string;
  building: string[];
  done: number;
  failed: number;
}

/** Durations kept for the ETA: the most recent builds say most about the ones left. */
const ETA_WINDOW = 30;

export class BuildModel {
  runId: string | undefined;
  stage: Stage = 'idle';
  bulklog: string | undefined;
  readonly packages = new Map<string, LivePackage>();
  /** When the build stage began (epoch ms). */
  startedAt: number | undefined;
  finishedAt: number | undefined;
  scan: ScanProgress | undefined;
  private readonly timelineEntries = new Map<string, TimelineEntry>();
  private readonly durations: number[] = [];
  private slotsSeen = 0;

  /** Forgets everything: a new build starts. */
  reset(runId?: string): void {
    this.runId = runId;
    this.packages.clear();
    this.timelineEntries.clear();
    this.durations.length = 0;
    this.slotsSeen = 0;
    this.scan = undefined;
    this.startedAt = undefined;
    this.finishedAt = undefined;
  }

  /**
   * Takes the states of a bulklog read from disk, plus (when an engine runs the build) its
   * status snapshot: the packages running now and their phase. Existing entries are replaced.
   */
  seed(b: Bulklog, timeline: readonly TimelineEntry[] = [], status?: EngineStatus): void {
    this.bulklog = b.dir;
    this.packages.clear();
    for (const p of b.packages) {
      this.packages.set(p.pkgname, {
        pkgname: p.pkgname,
        location: p.location,
        state: p.state,
        ...(p.failingPhase ? { phase: p.failingPhase } : {}),
        ...(p.depth !== undefined ? { depth: p.depth } : {}),
        ...(p.culprits ? { causes: p.culprits } : {}),
        ...(p.failingLog ? { logPath: p.failingLog } : {}),
      });
    }
    this.timelineEntries.clear();
    this.durations.length = 0;
    for (const e of timeline) this.addTimeline(e);
    if (status) {
      this.stage = status.stage;
      if (status.runId) this.runId = status.runId;
      if (status.startedAt) this.startedAt = status.startedAt;
      for (const r of status.running) {
        const p = this.packages.get(r.pkgname) ?? { pkgname: r.pkgname, location: r.location, state: 'in_processing' as BuildState };
        this.packages.set(r.pkgname, { ...p, state: 'in_processing', slot: r.slot, host: r.host, startedAt: r.startedAt, phase: r.phase });
        this.slotsSeen = Math.max(this.slotsSeen, r.slot + 1);
      }
      // Anything the disk shows as in processing that the engine does not run is only queued.
      const running = new Set(status.running.map((r) => r.pkgname));
      for (const p of this.packages.values()) if (p.state === 'in_processing' && !running.has(p.pkgname) && status.stage === 'building') p.state = 'open';
    }
  }

  private addTimeline(e: TimelineEntry): void {
    this.timelineEntries.delete(e.pkgname);
    this.timelineEntries.set(e.pkgname, e);
    this.slotsSeen = Math.max(this.slotsSeen, e.slot + 1);
    // Builds that took a moment (an up-to-date check) say nothing about real build times.
    if (e.end - e.start >= 1000) {
      this.durations.push(e.end - e.start);
      if (this.durations.length > ETA_WINDOW) this.durations.shift();
    }
  }

  setStage(stage: Stage, time?: number): void {
    this.stage = stage;
    if (stage === 'building' && this.startedAt === undefined) this.startedAt = time;
    if (stage === 'finished' || stage === 'cancelled' || stage === 'failed') this.finishedAt = time;
  }

  queued(e: Queued): void {
    const prev = this.packages.get(e.pkgname);
    this.packages.set(e.pkgname, { ...(prev ?? {}), pkgname: e.pkgname, location: e.location, state: e.state, depth: e.depth });
  }

  started(e: Started): void {
    const prev = this.packages.get(e.pkgname);
    this.packages.set(e.pkgname, {
      ...(prev ?? {}),
      pkgname: e.pkgname,
      location: e.location,
      state: 'in_processing',
      slot: e.slot,
      host: e.host,
      startedAt: e.time,
      phase: undefined,
      finishedAt: undefined,
    });
    this.slotsSeen = Math.max(this.slotsSeen, e.slot + 1);
  }

  phase(e: PhaseEvent): void {
    const p = this.packages.get(e.pkgname);
    if (p) {
      p.phase = e.phase;
      p.logPath = e.logPath;
    }
  }

  finished(e: Finished): void {
    const prev = this.packages.get(e.pkgname);
    const p: LivePackage = {
      ...(prev ?? {}),
      pkgname: e.pkgname,
      location: e.location,
      state: e.state,
      phase: e.phase ?? (e.state === 'failed' ? prev?.phase : undefined),
      finishedAt: e.time,
      ...(e.causes ? { causes: e.causes } : {}),
      ...(e.logPath ? { logPath: e.logPath } : {}),
      ...(e.upToDate ? { upToDate: true } : {}),
    };
    this.packages.set(e.pkgname, p);
    if (e.slot !== undefined && (e.state === 'done' || e.state === 'failed')) {
      const start = prev?.startedAt ?? e.time - (e.durationMs ?? 0);
      this.addTimeline({ pkgname: e.pkgname, slot: e.slot, start, end: e.time, state: e.state, ...(e.host ? { host: e.host } : {}) });
    }
  }

  counts(): Record<BuildState, number> {
    const c = emptyTotals();
    for (const p of this.packages.values()) c[p.state]++;
    return c;
  }

  get total(): number {
    return this.packages.size;
  }

  running(): LivePackage[] {
    return [...this.packages.values()].filter((p) => p.state === 'in_processing').sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0));
  }

  /**
   * Multi-host builds: per client host, what it builds now and what it finished (from the
   * timeline), in host order. Empty when no package carried a host.
   */
  hosts(): HostActivity[] {
    const by = new Map<string, HostActivity>();
    const of = (h: string) => by.get(h) ?? by.set(h, { host: h, building: [], done: 0, failed: 0 }).get(h)!;
    for (const e of this.timelineEntries.values()) if (e.host) of(e.host)[e.state === 'failed' ? 'failed' : 'done']++;
    for (const p of this.packages.values()) if (p.state === 'in_processing' && p.host) of(p.host).building.push(p.pkgname);
    return [...by.values()].sort((a, b) => a.host.localeCompare(b.host, undefined, { numeric: true }));
  }

  timeline(): TimelineEntry[] {
    return [...this.timelineEntries.values()];
  }

  /** Milliseconds left, or undefined until a package has taken measurable time to build. */
  eta(now: number): number | undefined {
    const c = this.counts();
    const elapsed = this.running().map((p) => (p.startedAt !== undefined ? now - p.startedAt : 0));
    return estimateRemaining(this.durations, c.open + c.in_processing, Math.max(1, this.slotsSeen), elapsed);
  }
}

/**
 * Time left for `remaining` packages (open or running) on `slots` slots, at the mean of the
 * recent build durations; work already done on the running ones counts against it.
 */
export function estimateRemaining(durations: readonly number[], remaining: number, slots: number, runningElapsed: readonly number[]): number | undefined {
  if (remaining === 0) return 0;
  if (durations.length === 0) return undefined;
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
  const done = runningElapsed.reduce((a, e) => a + Math.min(Math.max(0, e), mean * 0.95), 0);
  return Math.max(0, (remaining * mean - done) / Math.max(1, slots));
}

/** `1 h 05 min`, `4 min 10 s`, `12 s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The status bar's one line: the count breakdown, and the ETA while packages build. */
export function progressText(m: BuildModel, now: number): string {
  if (m.stage === 'scanning' && m.scan) return `scanning ${m.scan.done}/${m.scan.total}${m.scan.round > 1 ? ` (round ${m.scan.round})` : ''}`;
  if (m.stage === 'scanning' || m.stage === 'resolving') return m.stage;
  const eta = m.stage === 'building' ? m.eta(now) : undefined;
  return `${formatCounts(m.counts())}${eta !== undefined && eta > 0 ? ` · ETA ${formatDuration(eta)}` : ''}`;
}

/** Every count, for a tooltip: the breakdown with the number of packages. */
export function countsText(m: BuildModel): string {
  return formatTotal(m.counts()) + hostsText(m);
}

/** Per client host of a multi-host build: counts and what it builds now (empty otherwise). */
function hostsText(m: BuildModel): string {
  const hosts = m.hosts();
  if (hosts.length === 0) return '';
  const rows = hosts.map(
    (h) =>
      `${h.host}: ${formatCounts({ done: h.done, failed: h.failed, in_processing: h.building.length })}${h.building.length ? ` (${h.building.join(', ')})` : ''}`,
  );
  return `\n\nClient hosts:\n${rows.join('\n')}`;
}
