// The engine: one bulklog, one run at a time. A run is pbulk's bulkbuild without upload:
// pre-build (fresh runs only), scan and resolve, build, then meta/pbuild and the reports. An
// unfinished run in the bulklog is resumed instead of started over (design principle 1), and
// `rebuild` reopens chosen packages of a finished one. Progress is only ever events (hub);
// status() is a snapshot for clients that attach late.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { readBulklog } from '../../pkgsrc/bulklog/read';
import { appendStatus, writeFileAtomic, writePbuild } from '../../pkgsrc/bulklog/write';
import { buildTimes } from '../../pkgsrc/bulklog/status';
import { computeStates } from '../../pkgsrc/bulklog/compute';
import { emptyTotals, type BuildState } from '../../pkgsrc/bulklog/states';
import { buildSummary, writeReports } from '../../pkgsrc/report';
import { ScanCache } from '../../pkgsrc/scan/cache';
import { getField } from '../../pkgsrc/scan/record';
import type { EngineStatus, RebuildParams, Stage, StartParams } from '../../protocol/build';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import { Scheduler } from '../scheduler';
import { ScanRunner } from '../scan/runner';
import { listLocations, SubdirError } from '../scan/subdirs';
import { SandboxError } from '../sandbox/errors';
import { fullScan, limitedScan } from '../scan/phase';
import { readLimitedList } from '../scan/limited-list';
import { runBuildLoop, type RunningInfo } from './build-loop';
import { EventHub } from './events';
import { preBuild } from './prebuild';
import { readPresolve } from './presolve';
import { readFinished } from './resume';
import { BuildTimes } from './times';
import { readRunState, sameRequest, writeRunState, type RunState } from './run-state';
import { openSandboxes } from './sandboxes';

export interface RunResult {
  runId: string;
  /** A fatal problem stopped the run (scan, resolve, cycles): pbulk's message. */
  error?: string;
  /** The run could not even begin: sandboxes could not be made, make could not list the tree. */
  setup?: boolean;
  cancelled: boolean;
  counts: Record<BuildState, number>;
  total: number;
}

export class BusyError extends Error {}
export class RequestError extends Error {}

export interface StartedRun {
  runId: string;
  resumed: boolean;
  done: Promise<RunResult>;
}

export class Engine {
  readonly hub = new EventHub();
  private stageNow: Stage = 'idle';
  private runId: string | undefined;
  private controller: AbortController | undefined;
  private current: Promise<RunResult> | undefined;
  private scheduler: Scheduler | undefined;
  private readonly running = new Map<string, RunningInfo>();
  /** Followed packages, counted per follower (several clients may follow one package). */
  private readonly followers = new Map<string, number>();
  private readonly followed = new Set<string>();
  private diskCounts = { counts: emptyTotals(), total: 0 };
  private startedAt: number | undefined;
  private finishedAt: number | undefined;

  constructor(readonly cfg: EngineConfig) {}

  /** Counts of the bulklog as it is on disk, for status before any run. */
  async load(): Promise<void> {
    const { records } = await readPresolve(this.cfg.metaDir);
    if (records.length === 0) return;
    const lists = await readFinished(this.cfg);
    const c = computeStates(
      records.map((r) => ({ pkgname: r.pkgname, depends: r.depends, skipReason: getField(r.record, 'PKG_SKIP_REASON'), failReason: getField(r.record, 'PKG_FAIL_REASON') })),
      lists.success,
      lists.error,
    );
    const counts = emptyTotals();
    for (const s of c.states) counts[s]++;
    this.diskCounts = { counts, total: records.length };
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  status(): EngineStatus {
    const s = this.scheduler;
    const counts = s ? s.counts() : this.diskCounts.counts;
    return {
      stage: this.stageNow,
      ...(this.runId ? { runId: this.runId } : {}),
      bulklog: this.cfg.bulklog,
      config: this.cfg.configFile,
      counts,
      total: s ? s.size : this.diskCounts.total,
      running: [...this.running.values()].map((r) => ({ pkgname: r.pkgname, location: r.location, slot: r.slot, ...(r.phase ? { phase: r.phase } : {}), startedAt: r.startedAt })),
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(this.finishedAt ? { finishedAt: this.finishedAt } : {}),
    };
  }

  follow(pkgname: string): { logDir: string; live: boolean } {
    this.followers.set(pkgname, (this.followers.get(pkgname) ?? 0) + 1);
    this.followed.add(pkgname);
    return { logDir: join(this.cfg.bulklog, pkgname), live: this.running.has(pkgname) };
  }

  unfollow(pkgname: string): void {
    const n = (this.followers.get(pkgname) ?? 0) - 1;
    if (n > 0) {
      this.followers.set(pkgname, n);
      return;
    }
    this.followers.delete(pkgname);
    this.followed.delete(pkgname);
  }

  cancel(): boolean {
    if (!this.controller || this.controller.signal.aborted) return false;
    this.controller.abort();
    return true;
  }

  /** Waits for the current run, if any. */
  async idle(): Promise<void> {
    await this.current?.catch(() => undefined);
  }

  private setStage(stage: Stage): void {
    this.stageNow = stage;
    this.hub.emit('stage', { runId: this.runId ?? '', stage, time: Date.now() });
  }

  private error(message: string, code: string, file?: string): void {
    this.hub.emit('error', { severity: 'error', message, code, ...(file ? { location: { file, line: 0, character: 0 } } : {}), time: Date.now() });
  }

  /** Starts a build (or resumes the unfinished one); rejects when one is running. */
  async start(params: StartParams = {}): Promise<StartedRun> {
    if (this.current) throw new BusyError('a build is already running in this engine');
    let locations = params.locations;
    if (locations === undefined && this.cfg.limitedList && !params.full) {
      const l = await readLimitedList(this.cfg.limitedList, this.cfg.pbulkVersion);
      const bad = l.problems.filter((p) => p.severity === 'error');
      if (bad.length > 0) throw new RequestError(bad.map((p) => `${p.file}:${p.range.start.line + 1}: ${p.message}`).join('\n'));
      locations = l.locations;
    }
    if (locations !== undefined && locations.length === 0) throw new RequestError('the limited build lists no locations');
    const prev = await readRunState(this.cfg.metaDir);
    const resumable = prev !== undefined && prev.stage !== 'done' && sameRequest(prev, locations);
    const resume = params.resume ?? resumable;
    if (resume && !resumable) throw new RequestError(prev ? (prev.stage === 'done' ? 'the build in the bulklog is finished: nothing to resume (use rebuild)' : 'the unfinished build in the bulklog was for other locations') : 'nothing to resume in the bulklog');
    const runId = randomBytes(6).toString('hex');
    const state: RunState = resume ? { ...prev!, runId } : { runId, configFile: this.cfg.configFile, ...(locations ? { locations } : {}), startedAt: Date.now(), stage: 'scan', force: [] };
    return this.launch(state, resume, params);
  }

  /** Reopens packages of the build in the bulklog and builds them (and what depends on them). */
  async rebuild(params: RebuildParams): Promise<StartedRun & { reset: string[] }> {
    if (this.current) throw new BusyError('a build is already running in this engine');
    const prev = await readRunState(this.cfg.metaDir);
    const { records, errors } = await readPresolve(this.cfg.metaDir);
    if (errors.length > 0 || records.length === 0) throw new RequestError(`nothing to rebuild: ${errors[0] ?? 'meta/presolve has no packages'}`);
    const lists = await readFinished(this.cfg);
    const names = new Set<string>();
    for (const p of params.packages ?? []) {
      const hit = records.filter((r) => r.pkgname === p || r.location === p);
      if (hit.length === 0) throw new RequestError(`${p}: no such package or location in meta/presolve`);
      for (const r of hit) names.add(r.pkgname);
    }
    if (params.failed) for (const n of lists.error) names.add(n);
    if (names.size === 0) throw new RequestError('nothing to rebuild: no package has failed in this bulklog');
    const keep = (l: string[]) => l.filter((n) => !names.has(n));
    await writeFileAtomic(join(this.cfg.metaDir, 'success'), keep(lists.success).map((n) => `${n}\n`).join(''));
    await writeFileAtomic(join(this.cfg.metaDir, 'error'), keep(lists.error).map((n) => `${n}\n`).join(''));
    await rm(join(this.cfg.metaDir, 'pbuild'), { force: true });
    const after = computeStates(
      records.map((r) => ({ pkgname: r.pkgname, depends: r.depends, skipReason: getField(r.record, 'PKG_SKIP_REASON'), failReason: getField(r.record, 'PKG_FAIL_REASON') })),
      keep(lists.success),
      keep(lists.error),
    );
    const reset = after.states.flatMap((s, i) => (s === 'open' ? [records[i]!.pkgname] : []));
    const runId = randomBytes(6).toString('hex');
    const base: RunState = prev ?? { runId, configFile: this.cfg.configFile, startedAt: Date.now(), stage: 'build', force: [] };
    const state: RunState = { ...base, runId, stage: 'build', force: [...new Set([...(prev?.stage === 'done' ? [] : base.force), ...names])] };
    const started = await this.launch(state, true, { ...(params.jobs ? { jobs: params.jobs } : {}) });
    return { ...started, reset };
  }

  private async launch(state: RunState, resumed: boolean, params: StartParams): Promise<StartedRun> {
    this.runId = state.runId;
    this.controller = new AbortController();
    this.startedAt = Date.now();
    this.finishedAt = undefined;
    const done = this.run(state, resumed, params, this.controller.signal).finally(() => {
      this.current = undefined;
      this.controller = undefined;
      this.finishedAt = Date.now();
    });
    this.current = done;
    return { runId: state.runId, resumed, done };
  }

  private jobs(params: StartParams): number {
    return params.jobs ?? this.cfg.settings.jobs ?? this.cfg.buildChroots ?? 1;
  }

  private async run(state: RunState, resumed: boolean, params: StartParams, signal: AbortSignal): Promise<RunResult> {
    const cfg = this.cfg;
    const result = (extra: Partial<RunResult> = {}): RunResult => ({
      runId: state.runId,
      cancelled: signal.aborted,
      counts: this.scheduler?.counts() ?? this.diskCounts.counts,
      total: this.scheduler?.size ?? this.diskCounts.total,
      ...extra,
    });
    this.scheduler = undefined;
    if (!resumed) {
      await preBuild(cfg, cfg.settings.socket ? [cfg.settings.socket] : [join(cfg.metaDir, 'engine.sock')]);
    }
    await writeRunState(cfg.metaDir, state);
    let boxes;
    try {
      boxes = await openSandboxes(cfg, this.jobs(params));
    } catch (e) {
      if (!(e instanceof SandboxError)) throw e;
      const message = `cannot make the sandboxes: ${e.message}`;
      this.error(message, 'sandbox', cfg.configFile);
      this.setStage('failed');
      return result({ error: message, setup: true });
    }
    for (const w of boxes.warnings) this.hub.emit('error', { severity: 'warning', message: w, code: 'sandbox', time: Date.now() });
    try {
      if (state.stage === 'scan') {
        const err = await this.scanPhase(state, boxes.scan, signal);
        if (err !== undefined || signal.aborted) {
          this.setStage(signal.aborted ? 'cancelled' : 'failed');
          return result(err !== undefined ? { error: err.message, ...(err.setup ? { setup: true } : {}) } : {});
        }
        state.stage = 'build';
        await writeRunState(cfg.metaDir, state);
      }
      if (params.scanOnly) {
        this.setStage('finished');
        return result();
      }
      this.setStage('building');
      const { records, errors } = await readPresolve(cfg.metaDir);
      if (errors.length > 0) {
        for (const e of errors) this.error(e, 'presolve');
        this.setStage('failed');
        return result({ error: errors[0] });
      }
      const loop = await runBuildLoop({
        cfg,
        hub: this.hub,
        runId: state.runId,
        records,
        slots: boxes.build.slice(0, Math.max(1, this.jobs(params))),
        force: new Set(state.force),
        followed: this.followed,
        signal,
        running: this.running,
        onScheduler: (s) => (this.scheduler = s),
        times: await BuildTimes.load(cfg.settings.timesFile ?? `${cfg.bulklog.replace(/\/+$/, '')}.build-times.json`),
      });
      if (!loop.ok) {
        this.error(loop.error, 'build-graph', join(cfg.metaDir, 'presolve'));
        this.setStage('failed');
        return result({ error: loop.error });
      }
      const s = loop.scheduler;
      await writePbuild(join(cfg.metaDir, 'pbuild'), records.map((r, i) => ({ pkgname: r.pkgname, state: s.state(i), depth: s.depth(i) })));
      if (loop.cancelled) {
        this.setStage('cancelled');
        return result();
      }
      this.setStage('reporting');
      await appendStatus(join(cfg.metaDir, 'status'), [['BUILD_END_ISO', buildTimes(new Date()).iso]]);
      const bulklog = await readBulklog(cfg.bulklog, { metaDir: cfg.metaDir });
      const written = await writeReports(bulklog);
      const summary = buildSummary(bulklog);
      state.stage = 'done';
      state.finishedAt = Date.now();
      state.force = [];
      await writeRunState(cfg.metaDir, state);
      this.hub.emit('summary', {
        runId: state.runId,
        counts: s.counts(),
        total: s.size,
        startedAt: this.startedAt ?? state.startedAt,
        finishedAt: Date.now(),
        cancelled: false,
        reportHtml: written.html,
        failures: summary.failed.map((f) => ({ pkgname: f.pkgname, location: f.location ?? '', ...(f.phase ? { phase: f.phase } : {}), breaks: f.breaks })),
      });
      this.setStage('finished');
      return result();
    } finally {
      await boxes.destroy();
      this.running.clear();
    }
  }

  /** Scan and resolve; returns the fatal problem, or undefined when presolve is ready. */
  private async scanPhase(state: RunState, box: Sandbox, signal: AbortSignal): Promise<{ message: string; setup?: boolean } | undefined> {
    const cfg = this.cfg;
    this.setStage('scanning');
    const t0 = Date.now();
    const env = { PATH: cfg.settings.path, ...cfg.settings.env };
    const cacheFile = cfg.settings.scanCache ?? `${cfg.bulklog.replace(/\/+$/, '')}.scan-cache.json`;
    const key = JSON.stringify({ make: cfg.make, env });
    let cache: ScanCache | undefined;
    if (cfg.settings.incrementalScan) {
      const loaded = await ScanCache.load(cacheFile, cfg.pkgsrc, key);
      cache = loaded.cache;
      for (const p of loaded.problems) this.hub.emit('error', { severity: p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'information', message: p.message, code: p.code, time: Date.now() });
    }
    const concurrency = cfg.settings.scanJobs ?? cfg.scanProcs ?? Math.max(1, availableParallelism());
    const runner = new ScanRunner(cfg, box, {
      concurrency,
      env,
      cache,
      signal,
      onProgress: (p) => this.hub.emit('scanProgress', { runId: state.runId, ...p, time: Date.now() }),
    });
    // make must run at all; otherwise every location would fail with the same message.
    // (In / there is no Makefile to read, so only the program itself is tried.)
    const probe = await box.exec([...cfg.make, '-V', 'MAKE_VERSION'], { env, cwd: '/', capture: true, limits: { timeoutMs: cfg.settings.scanTimeoutMs } }).catch((e: Error) => e);
    if (probe instanceof Error || probe.exitCode !== 0) {
      const why = probe instanceof Error ? probe.message : probe.exitCode === null ? `killed by ${probe.signal ?? 'a signal'}` : (probe.stderr ?? '').trim() || `exit status ${probe.exitCode}`;
      const message = `cannot run make=${cfg.make.join(' ')}: ${why}`;
      this.error(message, 'make', cfg.configFile);
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
          this.error(e.message, 'scan', join(cfg.pkgsrc, 'Makefile'));
          return { message: e.message, setup: true };
        }
        out = await fullScan(cfg, runner, listing.locations, listing.warnings);
      }
    } finally {
      if (cache) await cache.save(cacheFile).catch((e: Error) => this.error(`cannot save the scan cache: ${e.message}`, 'scan-cache', cacheFile));
    }
    this.hub.emit('scanFinished', {
      runId: state.runId,
      records: out.records.length,
      locations: out.locations,
      cached: out.cached,
      failures: out.failures,
      durationMs: Date.now() - t0,
    });
    for (const f of out.failures) {
      this.hub.emit('error', { severity: 'warning', message: f.message, code: 'scan-failed', location: { file: join(cfg.pkgsrc, f.location, 'Makefile'), line: 0, character: 0 }, time: Date.now() });
    }
    this.setStage('resolving');
    if (!out.ok) {
      this.error(out.error!, 'resolve', join(cfg.metaDir, 'presolve-err.log'));
      return { message: out.error! };
    }
    return undefined;
  }
}

