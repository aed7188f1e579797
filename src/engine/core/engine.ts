// The engine: one bulklog, one run at a time. A run is pbulk's bulkbuild without upload:
// pre-build (fresh runs only), scan and resolve, build, then meta/pbuild and the reports. An
// unfinished run in the bulklog is resumed instead of started over (design principle 1), and
// `rebuild` reopens chosen packages of a finished one. Progress is only ever events (hub);
// status() is a snapshot for clients that attach late.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readBulklog } from '../../pkgsrc/bulklog/read';
import { appendStatus, writePbuild } from '../../pkgsrc/bulklog/write';
import { buildTimes } from '../../pkgsrc/bulklog/status';
import { computeStates } from '../../pkgsrc/bulklog/compute';
import { emptyTotals, type BuildState } from '../../pkgsrc/bulklog/states';
import { buildSummary, notBuilt, writeReports } from '../../pkgsrc/report';
import type { EngineStatus, RebuildParams, Stage, StartParams } from '../../protocol/build';
import type { EngineConfig } from '../config/types';
import { Scheduler } from '../scheduler';
import { SandboxError } from '../sandbox/errors';
import { readLimitedList } from '../scan/limited-list';
import { runBuildLoop, type RunningInfo } from './build-loop';
import { EventHub } from './events';
import { preBuild } from './prebuild';
import { readPresolve } from './presolve';
import { readFinished } from './resume';
import { BuildTimes } from './times';
import { readRunState, sameRequest, writeRunState, type RunState } from './run-state';
import { openSandboxes } from './sandboxes';
import { BusyError, RequestError } from './errors';
import { prepareRebuild, stateRecords } from './rebuild';
import { runScanStage, type StageContext } from './scan-stage';

export interface RunResult {
  runId: string;
  /** A fatal problem stopped the run (scan, resolve, cycles): pbulk's message. */
  error?: string;
  /** The run could not even begin: sandboxes could not be made, make could not list the tree. */
  setup?: boolean;
  cancelled: boolean;
  /** Locations of this build whose scan failed: their packages are missing from it. */
  scanFailures: string[];
  counts: Record<BuildState, number>;
  total: number;
}

export { BusyError, RequestError };

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
  /** Set by a run as it ends; called by launch once the engine is idle again. */
  private announceEnd: (() => void) | undefined;
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
    const c = computeStates(stateRecords(records), lists.success, lists.error);
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

  private stageContext(): StageContext {
    return { cfg: this.cfg, hub: this.hub, setStage: (st) => this.setStage(st), error: (m, c, f) => this.error(m, c, f) };
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
    if (!resume && prev !== undefined && prev.stage !== 'done') {
      const why = resumable ? 'as asked' : 'because it was for other locations';
      this.hub.emit('error', { severity: 'information', message: `the unfinished build in ${this.cfg.bulklog} is discarded ${why}; starting a fresh one`, code: 'fresh-build', time: Date.now() });
    }
    const runId = randomBytes(6).toString('hex');
    const state: RunState = resume ? { ...prev!, runId } : { runId, configFile: this.cfg.configFile, ...(locations ? { locations } : {}), startedAt: Date.now(), stage: 'scan', force: [] };
    return this.launch(state, resume, params);
  }

  /** Reopens packages of the build in the bulklog and builds them (and what depends on them). */
  async rebuild(params: RebuildParams): Promise<StartedRun & { reset: string[] }> {
    if (this.current) throw new BusyError('a build is already running in this engine');
    const { state, reset } = await prepareRebuild(this.cfg, params);
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
      const announceEnd = this.announceEnd;
      this.announceEnd = undefined;
      announceEnd?.();
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
      scanFailures: state.scanFailures ?? [],
      counts: this.scheduler?.counts() ?? this.diskCounts.counts,
      total: this.scheduler?.size ?? this.diskCounts.total,
      ...extra,
    });
    this.scheduler = undefined;
    if (!resumed) {
      await preBuild(cfg, cfg.settings.socket ? [cfg.settings.socket] : [join(cfg.metaDir, 'engine.sock')]);
      // The emptied bulklog has no states: the counts of the build it held must not decide
      // this run's outcome (a scan after a failed build is not itself a failure).
      this.diskCounts = { counts: emptyTotals(), total: 0 };
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
    // The end of a run (its summary and last stage) is announced only once its sandboxes are
    // gone and the engine is idle (see launch): a client that starts the next build on that
    // news must not find this one still running.
    let endStage: Stage | undefined;
    let announce: (() => void) | undefined;
    try {
      if (state.stage === 'scan') {
        const err = await runScanStage(this.stageContext(), state, boxes.scan, signal);
        if (err !== undefined || signal.aborted) {
          endStage = signal.aborted ? 'cancelled' : 'failed';
          return result(err !== undefined ? { error: err.message, ...(err.setup ? { setup: true } : {}) } : {});
        }
        state.stage = 'build';
        await writeRunState(cfg.metaDir, state);
      }
      if (params.scanOnly) {
        endStage = 'finished';
        return result();
      }
      this.setStage('building');
      const { records, errors } = await readPresolve(cfg.metaDir);
      if (errors.length > 0) {
        for (const e of errors) this.error(e, 'presolve');
        endStage = 'failed';
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
        endStage = 'failed';
        return result({ error: loop.error });
      }
      const s = loop.scheduler;
      await writePbuild(join(cfg.metaDir, 'pbuild'), records.map((r, i) => ({ pkgname: r.pkgname, state: s.state(i), depth: s.depth(i) })));
      if (loop.cancelled) {
        endStage = 'cancelled';
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
      const summaryEvent = {
        runId: state.runId,
        counts: s.counts(),
        total: s.size,
        startedAt: this.startedAt ?? state.startedAt,
        finishedAt: Date.now(),
        cancelled: false,
        reportHtml: written.html,
        failures: summary.failed.map((f) => ({ pkgname: f.pkgname, location: f.location ?? '', ...(f.phase ? { phase: f.phase } : {}), breaks: f.breaks })),
        notBuilt: notBuilt(summary),
      };
      announce = () => this.hub.emit('summary', summaryEvent);
      endStage = 'finished';
      return result();
    } finally {
      try {
        await boxes.destroy();
      } finally {
        this.running.clear();
        this.announceEnd = () => {
          announce?.();
          if (endStage) this.setStage(endStage);
        };
      }
    }
  }
}
