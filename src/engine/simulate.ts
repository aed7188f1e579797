// A build played out in simulated time: the real Scheduler with N slots and given durations
// and outcomes, no processes. Tests use it to check states against real pbulk runs; the
// benchmark uses it to compare makespans with the lower bound.
import { Scheduler, type Priority, type ScheduleRecord } from './scheduler';

export interface SimulationOptions {
  slots: number;
  priority?: Priority;
  /** Build time of package i (any unit). */
  duration: (i: number) => number;
  /** Outcome of package i; default success. */
  fails?: (i: number) => boolean;
  success?: readonly string[];
  error?: readonly string[];
}

export interface SimulationResult {
  scheduler: Scheduler;
  makespan: number;
  /** Sum of the durations of the packages that were built. */
  work: number;
  /** Packages in the order they started. */
  order: number[];
}

export function simulate(records: readonly ScheduleRecord[], opts: SimulationOptions): SimulationResult {
  const s = new Scheduler(records, { priority: opts.priority ?? 'depth' });
  s.replay(opts.success ?? [], opts.error ?? []);
  s.start();
  // Running builds as [end time, index], kept sorted by end time.
  const running: [number, number][] = [];
  const order: number[] = [];
  let now = 0;
  let work = 0;
  for (;;) {
    while (running.length < opts.slots) {
      const i = s.next();
      if (i === undefined) break;
      const d = opts.duration(i);
      work += d;
      order.push(i);
      running.push([now + d, i]);
    }
    if (running.length === 0) break;
    running.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const [end, i] = running.shift()!;
    now = end;
    s.complete(i, !(opts.fails?.(i) ?? false));
  }
  return { scheduler: s, makespan: now, work, order };
}

/**
 * max(critical path, total work / slots) over the packages that get built (prefailed ones and
 * their dependents never run): no schedule of these builds can be shorter.
 */
export function makespanLowerBound(records: readonly ScheduleRecord[], slots: number, duration: (i: number) => number): number {
  const plain = new Scheduler(records);
  plain.start();
  const runs = (i: number) => plain.state(i) !== 'prefailed' && plain.state(i) !== 'indirect-prefailed';
  const weighted = new Scheduler(
    records.map((r, i) => ({ ...r, weight: runs(i) ? duration(i) : 0 })),
    { priority: 'critical-path' },
  );
  let total = 0;
  let cp = 0;
  for (let i = 0; i < records.length; i++) {
    if (!runs(i)) continue;
    total += duration(i);
    cp = Math.max(cp, weighted.priority(i));
  }
  return Math.max(cp, total / slots);
}
