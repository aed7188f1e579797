// Scheduling part of bench/engine.ts: the real full 2013Q1 presolve (12,111 packages and
// their real dependencies) built in simulated time with N slots and synthetic durations,
// against the lower bound max(critical path, total work / N). No processes: the engine's own
// Scheduler is played out by simulate().
import { parseRecords, recordForStates } from '../../src/pkgsrc/bulklog/records';
import type { Priority, ScheduleRecord } from '../../src/engine/scheduler';
import { makespanLowerBound, simulate } from '../../src/engine/simulate';

export function loadPresolve(text: string): ScheduleRecord[] {
  const { records } = parseRecords(text, 'presolve');
  return records.map(recordForStates);
}

/** Seeded log-normal build times (median 60, a long tail: most packages are quick, some take hours). */
export function durations(n: number, seed: number): number[] {
  let x = seed >>> 0 || 1;
  const u = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return Math.max(1, Math.round(60 * Math.exp(1.3 * z)));
  });
}

export interface Variant {
  label: string;
  priority: Priority;
  /** The durations are known as weights (PBULK_WEIGHT, or the times of an earlier run). */
  weights: boolean;
}

export const VARIANTS: Variant[] = [
  { label: "depth (pbulk's order)", priority: 'depth', weights: false },
  { label: 'critical-path, first run (no times known)', priority: 'critical-path', weights: false },
  { label: 'weight sums, times known', priority: 'weight', weights: true },
  { label: 'critical-path, times known (default)', priority: 'critical-path', weights: true },
];

export interface ScheduleRow {
  slots: number;
  variant: string;
  makespan: number;
  bound: number;
  ratio: number;
}

export function scheduleBench(records: ScheduleRecord[], slots: number[], variants: Variant[], seed: number): ScheduleRow[] {
  const d = durations(records.length, seed);
  const weighted = records.map((r, i) => ({ ...r, weight: d[i]! }));
  const rows: ScheduleRow[] = [];
  for (const n of slots) {
    const bound = makespanLowerBound(records, n, (i) => d[i]!);
    for (const v of variants) {
      const { makespan } = simulate(v.weights ? weighted : records, { slots: n, priority: v.priority, duration: (i) => d[i]! });
      rows.push({ slots: n, variant: v.label, makespan, bound, ratio: makespan / bound });
    }
  }
  return rows;
}
