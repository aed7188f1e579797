// Two full-tree runs for the history benchmark: the real 2013Q1 presolve (12,111 packages and
// their real dependencies) built in simulated time by the engine's own Scheduler (simulate()),
// with seeded failures and build times; the second run fixes some failures of the first, has
// new ones and some much slower builds. Each run is written as the engine leaves a bulklog:
// meta/ (pscan, presolve, success, error, pbuild, status, timeline, engine.json, the reports,
// run-summary) and a
// log directory for every failed package made of the real logs of pbulk's limited build (test/fixtures/pbulk-0.51).
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readBulklog } from '../../src/pkgsrc/bulklog/read';
import { formatTimelineLine } from '../../src/pkgsrc/bulklog/timeline';
import { formatPbuild } from '../../src/pkgsrc/bulklog/pbuild';
import { formatStatus } from '../../src/pkgsrc/bulklog/status';
import { writeReports } from '../../src/pkgsrc/report';
import type { ScheduleRecord } from '../../src/engine/scheduler';
import { simulate } from '../../src/engine/simulate';
import { writeRunSummary } from '../../src/engine/history/summary-file';
import { durations } from './engine-schedule';
import { pbulkOutput } from '../../test/fixtures/reference-data';

export const REAL_LOGS = pbulkOutput.limitedBulklog;

export interface RunPlan {
  runId: string;
  startedAt: number;
  /** Packages (indices) whose build fails. */
  fails: Set<number>;
  /** Build time of each package in seconds. */
  seconds: number[];
}

/** Seeded plans for two runs: about `rate` of the packages fail in the first; the second fixes a tenth of them, breaks 30 more, and is slower for 2% of the packages. */
export function plans(n: number, rate = 0.03, seed = 7): [RunPlan, RunPlan] {
  let x = seed >>> 0 || 1;
  const u = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const first = new Set<number>();
  for (let i = 0; i < n; i++) if (u() < rate) first.add(i);
  const second = new Set([...first].filter(() => u() >= 0.1));
  for (let k = 0; k < 30; k++) second.add(Math.floor(u() * n));
  const secs = durations(n, seed);
  const slower = secs.map((s) => (u() < 0.02 ? s * 3 + 120 : s));
  const t0 = Date.parse('2013-03-01T00:00:00Z');
  return [
    { runId: 'bench00000001', startedAt: t0, fails: first, seconds: secs },
    { runId: 'bench00000002', startedAt: t0 + 86_400_000, fails: second, seconds: slower },
  ];
}

export async function writeRun(
  dir: string,
  pscan: Buffer,
  presolve: Buffer,
  records: readonly ScheduleRecord[],
  plan: RunPlan,
): Promise<{ failed: number; done: number }> {
  const meta = join(dir, 'meta');
  await mkdir(meta, { recursive: true });
  const sim = simulate(records, { slots: 8, priority: 'critical-path', duration: (i) => plan.seconds[i]!, fails: (i) => plan.fails.has(i) });
  const s = sim.scheduler;
  const names = records.map((r) => r.pkgname);
  const success: string[] = [];
  const error: string[] = [];
  const timeline: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const st = s.state(i);
    if (st === 'done') success.push(names[i]!);
    if (st === 'failed') error.push(names[i]!);
    if (st === 'done' || st === 'failed') {
      timeline.push(formatTimelineLine({ pkgname: names[i]!, slot: i % 8, start: plan.startedAt, end: plan.startedAt + plan.seconds[i]! * 1000, state: st }));
    }
  }
  await writeFile(join(meta, 'pscan'), pscan);
  await writeFile(join(meta, 'presolve'), presolve);
  await writeFile(join(meta, 'success'), success.map((n) => `${n}\n`).join(''));
  await writeFile(join(meta, 'error'), error.map((n) => `${n}\n`).join(''));
  await writeFile(join(meta, 'pbuild'), formatPbuild(records.map((r, i) => ({ pkgname: r.pkgname, state: s.state(i), depth: s.depth(i) }))));
  await writeFile(join(meta, 'timeline'), timeline.map((l) => `${l}\n`).join(''));
  await writeFile(
    join(meta, 'status'),
    formatStatus([
      ['PLATFORM', 'Linux 6.1/x86_64'],
      ['BUILD_START_ISO', '2013-03-01 00:00'],
    ]),
  );
  const state = {
    runId: plan.runId,
    configFile: '/bench/pbulk.conf',
    startedAt: plan.startedAt,
    finishedAt: plan.startedAt + sim.makespan * 1000,
    stage: 'done' as const,
    force: [],
  };
  await writeFile(join(meta, 'engine.json'), JSON.stringify(state));
  const logs = ['pre-clean.log', 'checksum.log', 'configure.log', 'build.log', 'work.log'];
  for (const [k, n] of error.entries()) {
    await mkdir(join(dir, n));
    // Every third failure fails in build (pax's logs), the others in checksum (f2c's).
    const src = k % 3 === 0 ? 'pax-20080110nb2' : 'f2c-20100903';
    for (const l of logs) await copyFile(join(REAL_LOGS, src, l), join(dir, n, l)).catch(() => undefined);
  }
  // As the engine ends a run: the reports and the summary, from one read of the bulklog.
  const b = await readBulklog(dir);
  await writeReports(b);
  await writeRunSummary(meta, b, state);
  return { failed: error.length, done: success.length };
}
