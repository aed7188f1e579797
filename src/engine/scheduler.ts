// The build order, pure and synchronous so that it can be tested and simulated without
// processes: pbulk-build's states (PbulkStates from the bulklog library: prefailed marking,
// replay of meta/success and meta/error, failure propagation) plus a ready queue, N slots and
// a priority. A failed package only stops its own dependents; everything else carries on.
import { PbulkStates, type StateIssue, type StateRecord } from '../pkgsrc/bulklog/compute';
import type { BuildState } from '../pkgsrc/bulklog/states';
import { emptyTotals } from '../pkgsrc/bulklog/states';
import { IndexHeap } from './heap';

export interface ScheduleRecord extends StateRecord {
  /** PKG_LOCATION; variants of one location share a work directory. */
  location?: string | undefined;
  /** PBULK_WEIGHT, or a measured build time; default 100 as pbulk's. */
  weight?: number | undefined;
}

/**
 * - depth: pbulk-build's order, most transitive dependents first;
 * - weight: the sum of the weights of the package and its transitive dependents;
 * - critical-path: the heaviest chain of weights from the package to the end of the graph,
 *   which keeps long chains moving and comes closest to the shortest makespan.
 */
export type Priority = 'depth' | 'weight' | 'critical-path';

export interface SchedulerOptions {
  priority?: Priority;
  /**
   * Never run two packages of the same location at once: variants of a multi-version
   * package share WRKDIR when the tree is shared between slots, and `make clean` of one would
   * wipe the other. Default true.
   */
  exclusiveLocations?: boolean;
}

const DEFAULT_WEIGHT = 100;

export interface Completion {
  /** Packages that became ready. */
  ready: number[];
  /** Packages that became indirect-failed. */
  indirect: number[];
}

export class Scheduler {
  readonly states: PbulkStates;
  readonly issues: StateIssue[];
  private readonly prio: Float64Array;
  private readonly heap: IndexHeap;
  private readonly queued: Uint8Array;
  private readonly runningSet = new Set<number>();
  private readonly busy = new Map<string, number>();
  private readonly exclusive: boolean;
  private started = false;

  constructor(
    private readonly records: readonly ScheduleRecord[],
    opts: SchedulerOptions = {},
  ) {
    const { states, issues } = PbulkStates.fromRecords(records);
    this.states = states;
    this.issues = issues;
    this.exclusive = opts.exclusiveLocations ?? true;
    this.prio = priorities(states, records, opts.priority ?? 'depth');
    this.queued = new Uint8Array(records.length);
    this.heap = new IndexHeap((a, b) => this.prio[a]! > this.prio[b]! || (this.prio[a] === this.prio[b] && a < b));
  }

  get size(): number {
    return this.records.length;
  }

  name(i: number): string {
    return this.states.graph.names[i]!;
  }

  index(pkgname: string): number | undefined {
    return this.states.graph.index.get(pkgname);
  }

  /** Replays finished builds (before start); returns names no record has. */
  replay(success: readonly string[], error: readonly string[]): string[] {
    const r = this.states.replay(success, error);
    return [...r.unknownSuccess, ...r.unknownError];
  }

  /** Opens everything not yet marked and fills the ready queue. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.states.open();
    for (const i of this.states.ready()) this.enqueue(i);
  }

  private enqueue(i: number): void {
    if (this.queued[i]) return;
    this.queued[i] = 1;
    this.heap.push(i);
  }

  /** The next package to build, marked in_processing; undefined when none can start now. */
  next(): number | undefined {
    const deferred: number[] = [];
    let pick: number | undefined;
    for (;;) {
      const i = this.heap.pop();
      if (i === undefined) break;
      if (this.states.state(i) !== 'open') {
        this.queued[i] = 0;
        continue;
      }
      const loc = this.records[i]!.location;
      if (this.exclusive && loc !== undefined && this.busy.has(loc)) {
        deferred.push(i);
        continue;
      }
      pick = i;
      break;
    }
    for (const d of deferred) this.heap.push(d);
    if (pick === undefined) return undefined;
    this.queued[pick] = 0;
    this.states.markInProcessing(pick);
    this.runningSet.add(pick);
    const loc = this.records[pick]!.location;
    if (this.exclusive && loc !== undefined) this.busy.set(loc, pick);
    return pick;
  }

  /** Records the end of a build started with next(). */
  complete(i: number, ok: boolean): Completion {
    if (!this.runningSet.delete(i)) throw new Error(`scheduler: ${this.name(i)} is not running`);
    const loc = this.records[i]!.location;
    if (loc !== undefined && this.busy.get(loc) === i) this.busy.delete(loc);
    if (ok) {
      const ready = this.states.markDone(i);
      for (const r of ready) this.enqueue(r);
      return { ready, indirect: [] };
    }
    return { ready: [], indirect: this.states.markFailed(i) };
  }

  /** Puts a running package back to open (a build interrupted by cancel). */
  abandon(i: number): void {
    if (!this.runningSet.delete(i)) return;
    const loc = this.records[i]!.location;
    if (loc !== undefined && this.busy.get(loc) === i) this.busy.delete(loc);
  }

  /** Puts a running package back in the queue: its build client went away mid-build. */
  requeue(i: number): void {
    if (!this.runningSet.has(i)) return;
    this.abandon(i);
    this.states.reopen(i);
    if (this.states.isReady(i)) this.enqueue(i);
  }

  get running(): number {
    return this.runningSet.size;
  }

  runningPackages(): number[] {
    return [...this.runningSet];
  }

  /** True when nothing runs and nothing can start any more. */
  get finished(): boolean {
    return this.runningSet.size === 0 && this.heap.size === 0;
  }

  state(i: number): BuildState {
    return this.states.state(i);
  }

  depth(i: number): number {
    return this.states.depth(i);
  }

  priority(i: number): number {
    return this.prio[i]!;
  }

  counts(): Record<BuildState, number> {
    const c = emptyTotals();
    for (let i = 0; i < this.records.length; i++) c[this.states.state(i)]++;
    return c;
  }
}

function priorities(states: PbulkStates, records: readonly ScheduleRecord[], p: Priority): Float64Array {
  const g = states.graph;
  const n = g.names.length;
  const out = new Float64Array(n);
  if (p === 'depth') {
    for (let i = 0; i < n; i++) out[i] = states.depth(i);
    return out;
  }
  const w = (i: number) => {
    const x = records[i]?.weight;
    return x !== undefined && Number.isFinite(x) && x >= 0 ? x : DEFAULT_WEIGHT;
  };
  if (p === 'weight') {
    // Sum over the package and everything reachable through dependents (as depth counts them).
    const stamp = new Int32Array(n).fill(-1);
    const queue = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      let head = 0;
      let tail = 0;
      let sum = 0;
      queue[tail++] = s;
      stamp[s] = s;
      while (head < tail) {
        const v = queue[head++]!;
        sum += w(v);
        for (const d of g.dependents[v]!) {
          if (stamp[d] !== s) {
            stamp[d] = s;
            queue[tail++] = d;
          }
        }
      }
      out[s] = sum;
    }
    return out;
  }
  // critical-path: longest chain towards the dependents, in reverse topological order
  // (Kahn's algorithm on dependents; members of a cycle, which pbulk refuses anyway, keep
  // their own weight).
  const pending = Int32Array.from(g.dependents, (d) => d.length);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    out[i] = w(i);
    if (pending[i] === 0) stack.push(i);
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    let best = 0;
    for (const d of g.dependents[v]!) best = Math.max(best, out[d]!);
    out[v] = w(v) + best;
    for (const dep of g.deps[v]!) {
      pending[dep] = pending[dep]! - 1;
      if (pending[dep] === 0) stack.push(dep);
    }
  }
  return out;
}
