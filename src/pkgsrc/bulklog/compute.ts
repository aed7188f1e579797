// Package states exactly as pbulk-build derives them, shared by the report readers and the
// engine's scheduler (which resumes by replaying meta/success and meta/error):
//  1. records with a non-empty PKG_SKIP_REASON or PKG_FAIL_REASON are prefailed, in record
//     order, and every package depending on them becomes indirect-prefailed;
//  2. meta/success is replayed (done), then meta/error (failed; open dependents become
//     indirect-failed);
//  3. everything still unmarked is open.
// Only packages that are still open (or not yet marked) are ever re-marked, so a package
// depending on both a prefailed and a failed package stays indirect-prefailed.
import { buildGraph, type DependencyGraph, type GraphIssue } from './graph';
import type { BuildState } from './states';

export interface StateRecord {
  pkgname: string;
  depends?: readonly string[] | undefined;
  /** Raw PKG_SKIP_REASON= value; undefined when the line is missing. */
  skipReason?: string | undefined;
  /** Raw PKG_FAIL_REASON= value; undefined when the line is missing. */
  failReason?: string | undefined;
}

type JobState = BuildState | 'init';

export class PbulkStates {
  private readonly st: JobState[];
  private readonly openDeps: Int32Array;

  private constructor(readonly graph: DependencyGraph) {
    this.st = graph.names.map(() => 'init');
    this.openDeps = Int32Array.from(graph.deps, (d) => d.length);
  }

  /**
   * Graph, depths and the prefailed marking of step 1. `issues` also lists records without
   * PKG_SKIP_REASON=/PKG_FAIL_REASON= lines (pbulk-build stops on them: "Invalid scan output").
   */
  static fromRecords(records: readonly StateRecord[]): { states: PbulkStates; issues: StateIssue[] } {
    const { graph, issues } = buildGraph(records);
    const all: StateIssue[] = [...issues];
    const s = new PbulkStates(graph);
    records.forEach((r, i) => {
      if (graph.index.get(r.pkgname) !== i) return;
      if (r.skipReason === undefined || r.failReason === undefined) {
        all.push({
          kind: 'invalid-record',
          record: i,
          pkgname: r.pkgname,
          message: `Invalid scan output: the record of ${r.pkgname} has no ${r.skipReason === undefined ? 'PKG_SKIP_REASON' : 'PKG_FAIL_REASON'}= line`,
        });
      }
      if ((r.skipReason ?? '') !== '' || (r.failReason ?? '') !== '') s.mark(i, 'prefailed');
    });
    return { states: s, issues: all };
  }

  /**
   * Step 2: replays finished builds. Returns the names that match no record (pbulk-build
   * stops on them: "Package from successful build log doesn't exist").
   */
  replay(success: readonly string[], error: readonly string[]): { unknownSuccess: string[]; unknownError: string[] } {
    const unknownSuccess: string[] = [];
    const unknownError: string[] = [];
    for (const n of success) {
      const i = this.graph.index.get(n);
      if (i === undefined) unknownSuccess.push(n);
      else this.markDone(i);
    }
    for (const n of error) {
      const i = this.graph.index.get(n);
      if (i === undefined) unknownError.push(n);
      else this.markFailed(i);
    }
    return { unknownSuccess, unknownError };
  }

  /** Step 3: every package not marked yet becomes open. */
  open(): void {
    this.st.forEach((s, i) => {
      if (s === 'init') this.st[i] = 'open';
    });
  }

  /** State of package i (`open` for one not marked yet). */
  state(i: number): BuildState {
    const s = this.st[i]!;
    return s === 'init' ? 'open' : s;
  }

  states(): BuildState[] {
    return this.st.map((_, i) => this.state(i));
  }

  depth(i: number): number {
    return this.graph.depth[i]!;
  }

  /** True when package i is open and all its dependencies are done. */
  isReady(i: number): boolean {
    return this.state(i) === 'open' && this.openDeps[i] === 0;
  }

  /** Ready packages, deepest first (ties in record order), the order pbulk-build hands them out. */
  ready(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.st.length; i++) if (this.isReady(i)) out.push(i);
    return out.sort((a, b) => this.depth(b) - this.depth(a) || a - b);
  }

  markInProcessing(i: number): void {
    this.st[i] = 'in_processing';
  }

  /** A package in processing goes back to open (its build client went away, as in pbulk's master). */
  reopen(i: number): void {
    if (this.st[i] === 'in_processing') this.st[i] = 'open';
  }

  /** Marks i done; returns the dependents that became ready. */
  markDone(i: number): number[] {
    if (this.st[i] === 'done') return [];
    this.st[i] = 'done';
    const ready: number[] = [];
    for (const d of this.graph.dependents[i]!) {
      this.openDeps[d] = this.openDeps[d]! - 1;
      if (this.openDeps[d] === 0 && this.st[d] === 'open') ready.push(d);
    }
    return ready;
  }

  /** Marks i failed; returns the packages that became indirect-failed. */
  markFailed(i: number): number[] {
    return this.mark(i, 'failed');
  }

  /** Sets a state and spreads the indirect state over open dependents (iteratively). */
  private mark(i: number, state: 'failed' | 'prefailed'): number[] {
    this.st[i] = state;
    const indirect: BuildState = state === 'failed' ? 'indirect-failed' : 'indirect-prefailed';
    const changed: number[] = [];
    const stack = [i];
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const d of this.graph.dependents[v]!) {
        const s = this.st[d];
        if (s === 'open' || s === 'init') {
          this.st[d] = indirect;
          changed.push(d);
          stack.push(d);
        }
      }
    }
    return changed;
  }
}

export type StateIssue = GraphIssue | { kind: 'invalid-record'; record: number; pkgname: string; message: string };

export interface ComputedStates {
  graph: DependencyGraph;
  states: BuildState[];
  issues: StateIssue[];
  unknownSuccess: string[];
  unknownError: string[];
}

/** Steps 1-3 in one call: the states meta/pbuild would hold if pbulk-build stopped now. */
export function computeStates(records: readonly StateRecord[], success: readonly string[], error: readonly string[]): ComputedStates {
  const { states, issues } = PbulkStates.fromRecords(records);
  const { unknownSuccess, unknownError } = states.replay(success, error);
  states.open();
  return { graph: states.graph, states: states.states(), issues, unknownSuccess, unknownError };
}

/**
 * The failed packages behind each indirect-failed package: failed direct dependencies plus
 * the culprits of indirect-failed ones, as pbulk's HTML report lists them (sorted here).
 */
export function failedCulprits(graph: DependencyGraph, states: readonly BuildState[]): Map<number, string[]> {
  const memo = new Map<number, Set<number>>();
  const visit = (root: number): void => {
    // Iterative depth-first post-order, so that long chains cannot overflow the stack; a
    // package on the current path (only possible in a cycle) contributes what it has so far.
    const frames: [number, number][] = [[root, 0]];
    memo.set(root, new Set());
    while (frames.length > 0) {
      const top = frames[frames.length - 1]!;
      const [v, k] = top;
      const deps = graph.deps[v]!;
      if (k < deps.length) {
        top[1] = k + 1;
        const d = deps[k]!;
        if (states[d] === 'indirect-failed' && !memo.has(d)) {
          memo.set(d, new Set());
          frames.push([d, 0]);
        }
        continue;
      }
      frames.pop();
      const set = memo.get(v)!;
      for (const d of deps) {
        if (states[d] === 'failed') set.add(d);
        else if (states[d] === 'indirect-failed') for (const x of memo.get(d)!) set.add(x);
      }
    }
  };
  const out = new Map<number, string[]>();
  states.forEach((s, i) => {
    if (s !== 'indirect-failed') return;
    if (!memo.has(i)) visit(i);
    out.set(i, [...memo.get(i)!].map((k) => graph.names[k]!).sort());
  });
  return out;
}
