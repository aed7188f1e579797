// The build phase: pbulk-build's job loop over N sandbox slots. Packages start by priority as
// slots free up; each outcome is appended (and flushed) to meta/success or meta/error before
// anything else happens, then the log directory of a success is removed, and dependents
// become ready or indirect-failed. Every step is an event.
import { join } from 'node:path';
import { AppendLog } from '../../pkgsrc/bulklog/write';
import { formatTimelineLine, TIMELINE_FILE } from '../../pkgsrc/bulklog/timeline';
import type { Phase } from '../../pkgsrc/bulklog/phases';
import type { PresolveRecord } from '../../pkgsrc/resolve';
import { weightOf } from '../../pkgsrc/scan/record';
import { removeLogDir, type BuildOutcome } from '../builder/builder';
import { jobFromRecord } from '../builder/job';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import { Scheduler } from '../scheduler';
import type { EventHub } from './events';
import { cleanInterrupted, readFinished } from './resume';
import type { BuildTimes } from './times';
import { localWorkers, type BuildWorker, type WorkerOutcome, type WorkerPool } from './workers';
import type { SystemicFailure, SystemicWatch } from './systemic';

export interface RunningInfo {
  pkgname: string;
  location: string;
  slot: number;
  /** The client host building it (multi-host builds). */
  host?: string;
  phase?: Phase;
  startedAt: number;
}

export interface BuildLoopInput {
  cfg: EngineConfig;
  hub: EventHub;
  runId: string;
  records: PresolveRecord[];
  slots: Sandbox[];
  /** Who builds instead of the slots: the clients of a build master. */
  workers?: WorkerPool;
  /** Packages to build even when up to date (explicit rebuilds). */
  force: ReadonlySet<string>;
  /** Packages whose log chunks are sent as events. */
  followed: ReadonlySet<string>;
  signal: AbortSignal;
  /** Live view for status requests. */
  running: Map<string, RunningInfo>;
  onScheduler?: (s: Scheduler) => void;
  /** Build times of earlier runs: weights for the scheduler, updated as packages build. */
  times?: BuildTimes;
  /**
   * Runs once the packages to build are known, before the first starts (the fetch of their
   * distfiles); returns the packages that are to fail in checksum with the given log.
   */
  beforeBuilds?: (toBuild: PresolveRecord[]) => Promise<Map<string, string>>;
  /** Stops scheduling when the first packages to finish fail alike (see systemic.ts). */
  systemic?: SystemicWatch;
}

export type BuildLoopResult = { ok: true; scheduler: Scheduler; cancelled: boolean; systemic?: SystemicFailure } | { ok: false; error: string };

export async function runBuildLoop(inp: BuildLoopInput): Promise<BuildLoopResult> {
  const { cfg, hub, runId, records, signal, times } = inp;
  // Weights: PBULK_WEIGHT where the tree sets it, else how long the package took last time,
  // else the median of the known times (a package never built costs a typical build).
  const typical = times?.median();
  const sched = new Scheduler(
    records.map((r) => ({
      pkgname: r.pkgname,
      depends: r.depends,
      skipReason: r.record.fields.find((f) => f.key === 'PKG_SKIP_REASON')?.value,
      failReason: r.record.fields.find((f) => f.key === 'PKG_FAIL_REASON')?.value,
      location: r.location,
      weight: weightOf(r.record) ?? times?.get(r.pkgname) ?? typical,
    })),
    { priority: cfg.settings.priority },
  );
  // pbulk-build refuses these outright.
  const fatal = sched.issues.filter((i) => i.kind !== 'duplicate-package');
  if (fatal.length > 0) return { ok: false, error: fatal.map((i) => i.message).join('\n') };

  const finishedLists = await readFinished(cfg);
  for (const p of finishedLists.problems)
    hub.emit('error', {
      severity: p.severity === 'error' ? 'error' : 'warning',
      message: p.message,
      code: p.code,
      location: { file: p.file, line: p.range.start.line, character: p.range.start.character },
      time: Date.now(),
    });
  const unknown = sched.replay(finishedLists.success, finishedLists.error);
  for (const n of unknown)
    hub.emit('error', {
      severity: 'warning',
      message: `${n} is listed as finished but is not in meta/presolve; ignored`,
      code: 'unknown-finished',
      time: Date.now(),
    });
  sched.start();
  inp.onScheduler?.(sched);
  const all = records.map((_, i) => i);
  const unfinished = all.filter((i) => sched.state(i) === 'open').map((i) => sched.name(i));
  const done = all.filter((i) => sched.state(i) === 'done').map((i) => sched.name(i));
  await cleanInterrupted(cfg, unfinished, done);

  const total = records.length;
  const finishedCount = () => {
    const c = sched.counts();
    return total - c.open - c.in_processing;
  };
  for (const i of all) hub.emit('queued', { runId, pkgname: sched.name(i), location: records[i]!.location, depth: sched.depth(i), state: sched.state(i) });
  for (const i of all) {
    const s = sched.state(i);
    if (s === 'prefailed' || s === 'indirect-prefailed') {
      hub.emit('finished', { runId, pkgname: sched.name(i), location: records[i]!.location, state: s, time: Date.now(), finished: finishedCount(), total });
    }
  }

  const fetchFailures = inp.beforeBuilds
    ? await inp.beforeBuilds(all.filter((i) => sched.state(i) === 'open').map((i) => records[i]!))
    : new Map<string, string>();
  // A systemic failure stops what runs and what would start; the run's own signal still cancels.
  const halt = new AbortController();
  const stop = AbortSignal.any([signal, halt.signal]);
  let systemic: SystemicFailure | undefined;

  const success = await AppendLog.open(join(cfg.metaDir, 'success'));
  const error = await AppendLog.open(join(cfg.metaDir, 'error'));
  // Not pbulk's: when and where each package ran, for the report's timeline of build slots.
  const timeline = await AppendLog.open(join(cfg.metaDir, TIMELINE_FILE));
  const pool = inp.workers ?? localWorkers(cfg, inp.slots);
  const running = new Map<number, Promise<void>>();

  const finish = async (i: number, w: BuildWorker, startedAt: number, out: WorkerOutcome): Promise<void> => {
    const pkgname = sched.name(i);
    const location = records[i]!.location;
    const { slot, host } = w;
    inp.running.delete(pkgname);
    if (out.kind === 'cancelled') {
      sched.abandon(i);
      return;
    }
    if (out.kind === 'lost') {
      // pbulk's master does the same: the package is open again for the next client.
      sched.requeue(i);
      hub.emit('queued', { runId, pkgname, location, depth: sched.depth(i), state: sched.state(i) });
      return;
    }
    const ok = out.kind !== 'failed';
    await (ok ? success : error).append(pkgname);
    if (out.kind === 'built') times?.set(pkgname, Date.now() - startedAt);
    await timeline.append(formatTimelineLine({ pkgname, slot, start: startedAt, end: Date.now(), state: ok ? 'done' : 'failed', ...(host ? { host } : {}) }));
    if (ok) removeLogDir(cfg, pkgname);
    const { indirect } = sched.complete(i, ok);
    const base = { runId, location, time: Date.now(), durationMs: Date.now() - startedAt, slot, ...(host ? { host } : {}) };
    if (out.kind === 'failed') {
      hub.emit('finished', { ...base, pkgname, state: 'failed', phase: out.phase, logPath: out.logPath, finished: finishedCount(), total });
    } else {
      hub.emit('finished', {
        ...base,
        pkgname,
        state: 'done',
        ...(out.kind === 'built' ? { phase: out.phase } : { upToDate: true }),
        finished: finishedCount(),
        total,
      });
    }
    for (const d of indirect) {
      hub.emit('finished', {
        runId,
        pkgname: sched.name(d),
        location: records[d]!.location,
        state: 'indirect-failed',
        causes: [pkgname],
        time: Date.now(),
        finished: finishedCount(),
        total,
      });
    }
    if (inp.systemic && out.kind !== 'up-to-date') {
      const verdict = await inp.systemic.add({ pkgname, location, ok, ...(out.kind === 'failed' ? { phase: out.phase, logPath: out.logPath } : {}) });
      if (verdict && !systemic) {
        systemic = verdict;
        halt.abort();
      }
    }
  };

  const launch = (i: number, w: BuildWorker): Promise<void> => {
    const rec = records[i]!;
    const pkgname = rec.pkgname;
    const startedAt = Date.now();
    const { slot, host } = w;
    const where = host ? { host } : {};
    const info: RunningInfo = { pkgname, location: rec.location, slot, ...where, startedAt };
    inp.running.set(pkgname, info);
    hub.emit('started', { runId, pkgname, location: rec.location, slot, ...where, time: startedAt, finished: finishedCount(), total });
    // The record as presolve has it: resolved DEPENDS and the text pkg-build would read.
    const fetchFailure = fetchFailures.get(pkgname);
    const job = {
      ...jobFromRecord(rec.record, inp.force.has(pkgname)),
      depends: rec.depends ?? [],
      text: rec.text,
      ...(fetchFailure !== undefined ? { fetchFailure } : {}),
    };
    const observer = {
      phase: (phase: Phase, logPath: string) => {
        info.phase = phase;
        hub.emit('phase', { runId, pkgname, phase, slot, ...where, time: Date.now(), logPath });
      },
      chunk: (phase: Phase, offset: number, text: string) => {
        if (inp.followed.has(pkgname)) hub.emit('chunk', { pkgname, phase, offset, text });
      },
    };
    const task: Promise<void> = w
      .build(job, observer, stop)
      .catch((e: unknown): BuildOutcome => {
        hub.emit('error', { severity: 'error', message: `${pkgname}: ${(e as Error).message}`, code: 'build-error', time: Date.now() });
        return { kind: 'failed', phase: info.phase ?? 'pre-clean', logPath: join(cfg.bulklog, pkgname, `${info.phase ?? 'pre-clean'}.log`) };
      })
      .then((out) => finish(i, w, startedAt, out))
      .finally(() => {
        // A package lost with its client may already run again on another one: that run's
        // entry stays, or the loop would wait for clients when it should wait for the build.
        if (running.get(i) === task) running.delete(i);
        pool.release(w);
      });
    return task;
  };

  const stopped = pool.dynamic ? [aborted(stop)] : [];
  try {
    for (;;) {
      while (!stop.aborted) {
        const w = pool.take();
        if (!w) break;
        const i = sched.next();
        if (i === undefined) {
          pool.release(w);
          break;
        }
        running.set(i, launch(i, w));
      }
      // Clients come and go: with nothing running, wait for one unless nothing is left to build.
      if (running.size === 0 && (!pool.dynamic || stop.aborted || sched.finished || pool.error)) break;
      await Promise.race([...running.values(), pool.changed(), ...stopped]);
    }
  } finally {
    await success.close();
    await error.close();
    await timeline.close();
  }
  return { ok: true, scheduler: sched, cancelled: signal.aborted, ...(systemic ? { systemic } : {}) };
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}
