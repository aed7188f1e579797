// The scan stage of a run: make must run at all, then the scan (full: the tree's locations;
// limited: the closure of the list, round by round) through the scan cache, and the resolve.
// Progress and problems are events; the return value is the fatal problem, if any.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ScanCache } from '../../pkgsrc/scan/cache';
import type { EngineConfig } from '../config/types';
import { SandboxError } from '../sandbox/errors';
import type { Sandbox } from '../sandbox/types';
import { fullScan, limitedScan } from '../scan/phase';
import { ScanRunner } from '../scan/runner';
import { listLocations, SubdirError } from '../scan/subdirs';
import { MasterError, remoteScan, reportMasterError } from '../master';
import type { Stage } from '../../protocol/build';
import type { EventHub } from './events';
import type { RunState } from './run-state';

export interface StageContext {
  cfg: EngineConfig;
  hub: EventHub;
  setStage(stage: Stage): void;
  error(message: string, code: string, file?: string): void;
}

export interface SetupProblem {
  message: string;
  /** The run could not begin (no make, no tree listing): a configuration problem. */
  setup?: boolean;
}

/** `treeEnv`: the per-tree values the tree gave (tree-stage.ts), so that no scan computes them again. */
export async function runScanStage(
  ctx: StageContext,
  state: RunState,
  box: Sandbox,
  signal: AbortSignal,
  treeEnv: Record<string, string> = {},
): Promise<SetupProblem | undefined> {
  const { cfg, hub } = ctx;
  ctx.setStage('scanning');
  const t0 = Date.now();
  const env = { PATH: cfg.settings.path, ...treeEnv, ...cfg.settings.env };
  const cacheFile = cfg.settings.scanCache ?? `${cfg.bulklog.replace(/\/+$/, '')}.scan-cache.json`;
  const key = JSON.stringify({ make: cfg.make, env });
  let cache: ScanCache | undefined;
  if (cfg.settings.incrementalScan) {
    const loaded = await ScanCache.load(cacheFile, cfg.pkgsrc, key);
    cache = loaded.cache;
    for (const p of loaded.problems)
      hub.emit('error', {
        severity: p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'information',
        message: p.message,
        code: p.code,
        time: Date.now(),
      });
  }
  const concurrency = cfg.settings.scanJobs ?? cfg.scanProcs ?? Math.max(1, availableParallelism());
  const remote = remoteScan(cfg, hub, state.runId);
  const runner = new ScanRunner(cfg, box, {
    ...(remote ? { remote } : {}),
    concurrency,
    env,
    cache,
    signal,
    onProgress: (p) => hub.emit('scanProgress', { runId: state.runId, ...p, time: Date.now() }),
  });
  // make must run at all; otherwise every location would fail with the same message.
  // (In / there is no Makefile to read, so only the program itself is tried.)
  const probe = await box
    .exec([...cfg.make, '-V', 'MAKE_VERSION'], { env, cwd: '/', capture: true, limits: { timeoutMs: cfg.settings.scanTimeoutMs } })
    .catch((e: Error) => e);
  if (probe instanceof Error || probe.exitCode !== 0) {
    const why =
      probe instanceof Error
        ? probe.message
        : probe.exitCode === null
          ? `killed by ${probe.signal ?? 'a signal'}`
          : (probe.stderr ?? '').trim() || `exit status ${probe.exitCode}`;
    const message = `cannot run make=${cfg.make.join(' ')}: ${why}`;
    ctx.error(message, 'make', cfg.configFile);
    return { message, setup: true };
  }
  let out;
  try {
    if (state.locations) {
      out = await limitedScan(cfg, runner, state.locations);
    } else {
      let listing;
      try {
        listing = await listLocations(cfg, box, env, concurrency, signal);
      } catch (e) {
        if (!(e instanceof SubdirError || e instanceof SandboxError)) throw e;
        ctx.error(e.message, 'scan', join(cfg.pkgsrc, 'Makefile'));
        return { message: e.message, setup: true };
      }
      out = await fullScan(cfg, runner, listing.locations, listing.warnings);
    }
  } catch (e) {
    // The scan master could not bind its port or start its clients: nothing was scanned.
    if (!(e instanceof MasterError)) throw e;
    reportMasterError(cfg, hub, e);
    return { message: e.message, setup: true };
  } finally {
    if (cache) await cache.save(cacheFile).catch((e: Error) => ctx.error(`cannot save the scan cache: ${e.message}`, 'scan-cache', cacheFile));
  }
  hub.emit('scanFinished', {
    runId: state.runId,
    records: out.records.length,
    locations: out.locations,
    cached: out.cached,
    failures: out.failures,
    durationMs: Date.now() - t0,
  });
  state.scanFailures = out.failures.map((f) => f.location);
  for (const f of out.failures) {
    hub.emit('error', {
      severity: 'warning',
      message: f.message,
      code: 'scan-failed',
      location: { file: join(cfg.pkgsrc, f.location, 'Makefile'), line: 0, character: 0 },
      time: Date.now(),
    });
  }
  ctx.setStage('resolving');
  if (!out.ok) {
    ctx.error(out.error!, 'resolve', join(cfg.metaDir, 'presolve-err.log'));
    return { message: out.error! };
  }
  return undefined;
}
