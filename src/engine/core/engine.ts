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
import { settingLines } from './preflight';
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
import { publishAfterFullBuild, repositoryAfterBuild, type Say } from '../publish/phase';
import { MasterError, openBuildMaster, reportMasterError, type BuildMaster } from '../master';
import { masterPreflight } from '../master/preflight';
import { checkLocations } from './validate';
import { HistoryError, RunFiler } from '../history/filer';
import { writeRunSummary } from '../history/summary-file';
import { runTreeStage } from './tree-stage';
import { buildPlaces } from './write-places';
import { SystemicWatch } from './systemic';
import { fetchBeforeBuilds, stopSystemic } from './build-guards';

export interface RunResult {
  runId: string;
  /** A fatal problem stopped the run (scan, resolve, cycles): pbulk's message. */
  error?: string;
  /** The run could not even begin: sandboxes could not be made, make could not list the tree, pre-flight failed. */
  setup?: boolean;
  /** Stopped because the first packages to finish all failed alike (error says how); the bulklog is resumable. */
  systemic?: boolean;
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
  /** Publishing work (upload, mail) running outside a build. */
  private side: Promise<unknown> | undefined;
  /** Files finished runs away into the history before a fresh run empties the bulklog. */
  readonly filer: RunFiler;
  /** Compression of staged runs, in the background of the next run. */
  private filing: Promise<void> = Promise.resolve();

  constructor(readonly cfg: EngineConfig) {
    this.filer = new RunFiler(cfg, (m) => this.hub.emit('error', { severity: 'warning', message: m, code: 'history', time: Date.now() }));
  }

  private sockets(): string[] {
    return this.cfg.settings.socket ? [this.cfg.settings.socket] : [join(this.cfg.metaDir, 'engine.sock')];
  }

  /** Completes the filing of staged runs in the background (see settle()). */
  private fileInBackground(): void {
    this.filing = this.filing
      .then(() => this.filer.complete())
      .then(
        (ids) => {
          for (const id of ids)
            this.hub.emit('error', { severity: 'information', message: `the run ${id} is kept in ${this.filer.store}`, code: 'history', time: Date.now() });
        },
        (e: unknown) =>
          this.hub.emit('error', {
            severity: 'warning',
            message: `filing runs into ${this.filer.store}: ${(e as Error).message}; retried by the next run`,
            code: 'history',
            time: Date.now(),
          }),
      );
  }

  /** Waits until runs being filed away are (before the process exits). */
  async settle(): Promise<void> {
    await this.filing;
  }

  /** Counts of the bulklog as it is on disk, for status before any run. */
  async load(): Promise<void> {
    // A run half moved into the history by a killed engine goes back into the bulklog first.
    await this.filer.recover();
    this.fileInBackground();
    const { records } = await readPresolve(this.cfg.metaDir);
    if (records.length === 0) return;
    const lists = await readFinished(this.cfg);
    const c = computeStates(stateRecords(records), lists.success, lists.error);
    const counts = emptyTotals();
    for (const s of c.states) counts[s]++;
    this.diskCounts = { counts, total: records.length };
  }

  get busy(): boolean {
    return this.current !== undefined || this.side !== undefined;
  }

  /** Runs publishing work alone: refused during a build, and no build starts meanwhile. */
  async exclusive<T>(what: string, f: () => Promise<T>): Promise<T> {
    if (this.busy) throw new BusyError(`cannot ${what}: ${this.current ? 'a build is running' : 'a publish or mail is running'} in this engine`);
    const p = f();
    this.side = p;
    try {
      return await p;
    } finally {
      this.side = undefined;
    }
  }

  /** Publishing's news: what went wrong to the clients, what was done to the engine's log (stderr). */
  private say: Say = (severity, message) => {
    if (severity === 'information') process.stderr.write(`pkgsrc-bulk: ${message}\n`);
    else this.hub.emit('error', { severity, message, code: 'publish', time: Date.now() });
  };

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
      running: [...this.running.values()].map((r) => ({
        pkgname: r.pkgname,
        location: r.location,
        slot: r.slot,
        ...(r.host ? { host: r.host } : {}),
        ...(r.phase ? { phase: r.phase } : {}),
        startedAt: r.startedAt,
      })),
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

  private error(message: string, code: string, file?: string, line = 0): void {
    this.hub.emit('error', { severity: 'error', message, code, ...(file ? { location: { file, line, character: 0 } } : {}), time: Date.now() });
  }

  /** A sandbox that cannot be made: on the chroot_dir line when the sandboxes are made there. */
  private async sandboxError(message: string): Promise<void> {
    const line = this.cfg.chrootDir ? (await settingLines(this.cfg.configFile))('chroot_dir') : 0;
    this.error(message, 'sandbox', this.cfg.configFile, line);
  }

  /** Starts a build (or resumes the unfinished one); rejects when one is running. */
  async start(params: StartParams = {}): Promise<StartedRun> {
    if (this.current) throw new BusyError('a build is already running in this engine');
    if (this.side) throw new BusyError('a publish or mail is running in this engine');
    let locations = params.locations;
    if (locations === undefined && this.cfg.limitedList && !params.full) {
      const l = await readLimitedList(this.cfg.limitedList, this.cfg.pbulkVersion);
      const bad = l.problems.filter((p) => p.severity === 'error');
      if (bad.length > 0) throw new RequestError(bad.map((p) => `${p.file}:${p.range.start.line + 1}: ${p.message}`).join('\n'));
      locations = l.locations;
      await checkLocations(this.cfg.pkgsrc, locations, this.cfg.limitedList);
    } else if (locations !== undefined) {
      await checkLocations(this.cfg.pkgsrc, locations);
    }
    if (locations !== undefined && locations.length === 0) throw new RequestError('the limited build lists no locations');
    const prev = await readRunState(this.cfg.metaDir);
    const resumable = prev !== undefined && prev.stage !== 'done' && sameRequest(prev, locations);
    const resume = params.resume ?? resumable;
    if (resume && !resumable)
      throw new RequestError(
        prev
          ? prev.stage === 'done'
            ? 'the build in the bulklog is finished: nothing to resume (use rebuild)'
            : 'the unfinished build in the bulklog was for other locations'
          : 'nothing to resume in the bulklog',
      );
    if (!resume && prev !== undefined && prev.stage !== 'done') {
      const why = resumable ? 'as asked' : 'because it was for other locations';
      const where = this.filer.opts.keepRuns > 0 ? `filed into ${this.filer.store} as unfinished` : 'discarded';
      this.hub.emit('error', {
        severity: 'information',
        message: `the unfinished build in ${this.cfg.bulklog} is ${where} ${why}; starting a fresh one`,
        code: 'fresh-build',
        time: Date.now(),
      });
    }
    if (!resume) {
      // The last run goes into the history before pre-build empties the bulklog; if it cannot,
      // the request is refused with the bulklog untouched.
      try {
        await this.filer.stage(this.sockets());
      } catch (e) {
        if (e instanceof HistoryError) throw new RequestError(e.message);
        throw e;
      }
      this.fileInBackground();
    }
    const runId = randomBytes(6).toString('hex');
    const state: RunState = resume
      ? { ...prev!, runId }
      : { runId, configFile: this.cfg.configFile, ...(locations ? { locations } : {}), startedAt: Date.now(), stage: 'scan', force: [] };
    return this.launch(state, resume, params);
  }

  /** Reopens packages of the build in the bulklog and builds them (and what depends on them). */
  async rebuild(params: RebuildParams): Promise<StartedRun & { reset: string[] }> {
    if (this.current) throw new BusyError('a build is already running in this engine');
    if (this.side) throw new BusyError('a publish or mail is running in this engine');
    const { state, reset } = await prepareRebuild(this.cfg, params);
    const started = await this.launch(state, true, { ...(params.jobs ? { jobs: params.jobs } : {}) }, false);
    return { ...started, reset };
  }

  private async launch(state: RunState, resumed: boolean, params: StartParams, publish = true): Promise<StartedRun> {
    this.runId = state.runId;
    this.controller = new AbortController();
    this.startedAt = Date.now();
    this.finishedAt = undefined;
    const signal = this.controller.signal;
    // A full build ends with pbulk's report mail and upload (the engine is busy until then).
    const fullBuild = publish && !params.scanOnly && state.locations === undefined;
    const done = this.run(state, resumed, params, signal)
      .then(async (r) => {
        if (fullBuild && r.error === undefined && !r.cancelled && !signal.aborted) await publishAfterFullBuild(this.cfg, this.say, signal);
        return r;
      })
      .finally(() => {
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
      await preBuild(cfg, this.sockets());
      // The emptied bulklog has no states: the counts of the build it held must not decide
      // this run's outcome (a scan after a failed build is not itself a failure).
      this.diskCounts = { counts: emptyTotals(), total: 0 };
    }
    await writeRunState(cfg.metaDir, state);
    // Master mode: the shared-paths marker, and what can be checked of the clients beforehand.
    if (cfg.master) await masterPreflight(cfg, this.hub);
    // Master mode: the clients build; the engine keeps one slot (fetching, its own checks).
    const localJobs = cfg.master?.build ? 1 : this.jobs(params);
    const warn = (message: string) => this.hub.emit('error', { severity: 'warning', message, code: 'sandbox', time: Date.now() });
    let opened;
    try {
      opened = await openSandboxes(cfg, localJobs, warn);
    } catch (e) {
      if (!(e instanceof SandboxError)) throw e;
      const message = `cannot make the sandboxes: ${e.message}`;
      await this.sandboxError(message);
      this.setStage('failed');
      return result({ error: message, setup: true });
    }
    // The end of a run (its summary and last stage) is announced only once its sandboxes are
    // gone (disposed on leaving the try block) and the engine is idle (see launch): a client
    // that starts the next build on that news must not find this one still running.
    let endStage: Stage | undefined;
    let announce: (() => void) | undefined;
    try {
      await using boxes = opened;
      const asked = await runTreeStage(this.stageContext(), boxes.scan[0]!, {
        backend: boxes.backendName,
        hints: state.locations ?? [],
        fresh: !resumed,
        fatal: !params.scanOnly,
        signal,
      });
      if (!asked.ok) {
        endStage = 'failed';
        return result({ error: asked.message, setup: true });
      }
      const tree = asked.tree;
      if (state.stage === 'scan') {
        const err = await runScanStage(this.stageContext(), state, boxes.scan[0]!, signal, tree.scanEnv);
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
      let slots;
      try {
        slots = await boxes.openBuild(buildPlaces(cfg, tree.values ?? {}, localJobs));
      } catch (e) {
        if (!(e instanceof SandboxError)) throw e;
        const message = `cannot make the build sandboxes: ${e.message}`;
        await this.sandboxError(message);
        endStage = 'failed';
        return result({ error: message, setup: true });
      }
      // Master mode: the clients on build_clients build instead of the engine's slots.
      let master: BuildMaster | undefined;
      try {
        master = await openBuildMaster(cfg, this.hub, state.runId, () => this.scheduler?.counts());
      } catch (e) {
        if (!(e instanceof MasterError)) throw e;
        reportMasterError(cfg, this.hub, e);
        endStage = 'failed';
        return result({ error: e.message, setup: true });
      }
      const loop = await runBuildLoop({
        ...(master ? { workers: master } : {}),
        cfg,
        hub: this.hub,
        runId: state.runId,
        records,
        slots: slots.slice(0, Math.max(1, localJobs)),
        beforeBuilds: (toBuild) => fetchBeforeBuilds(this.stageContext(), slots[0]!, toBuild, tree.scanEnv, signal),
        systemic: new SystemicWatch(),
        force: new Set(state.force),
        followed: this.followed,
        signal,
        running: this.running,
        onScheduler: (s) => (this.scheduler = s),
        times: await BuildTimes.load(cfg.settings.timesFile ?? `${cfg.bulklog.replace(/\/+$/, '')}.build-times.json`),
      }).finally(() => master?.close());
      if (master?.error) {
        endStage = 'failed';
        return result({ error: master.error.message, setup: true });
      }
      if (!loop.ok) {
        this.error(loop.error, 'build-graph', join(cfg.metaDir, 'presolve'));
        endStage = 'failed';
        return result({ error: loop.error });
      }
      if (loop.systemic) {
        const message = await stopSystemic(this.stageContext(), loop.systemic);
        endStage = 'failed';
        return result({ error: message, systemic: true });
      }
      const s = loop.scheduler;
      await writePbuild(
        join(cfg.metaDir, 'pbuild'),
        records.map((r, i) => ({ pkgname: r.pkgname, state: s.state(i), depth: s.depth(i) })),
      );
      if (loop.cancelled) {
        endStage = 'cancelled';
        return result();
      }
      this.setStage('reporting');
      await appendStatus(join(cfg.metaDir, 'status'), [['BUILD_END_ISO', buildTimes(new Date()).iso]]);
      const bulklog = await readBulklog(cfg.bulklog, { metaDir: cfg.metaDir });
      const written = await writeReports(bulklog);
      const summary = buildSummary(bulklog);
      await repositoryAfterBuild(cfg, this.say);
      state.stage = 'done';
      state.finishedAt = Date.now();
      state.force = [];
      await writeRunSummary(cfg.metaDir, bulklog, state);
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
      this.running.clear();
      this.announceEnd = () => {
        announce?.();
        if (endStage) this.setStage(endStage);
      };
    }
  }
}
