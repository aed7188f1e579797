// The build controller: what the views and commands see of builds. It follows the engine of the
// active pbulk.conf (engineLink.ts) into the build model, and the bulklog on disk, which is the
// state (design principle 1; shownBulklog.ts), into the model and the diagnostics
// (bulklogDiagnostics.ts). The commands' checks and requests are in buildRequest.ts.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Bulklog } from '../../pkgsrc/bulklog';
import type { TimelineEntry } from '../../pkgsrc/bulklog/timeline';
import { build, logs } from '../../protocol';
import type { EngineStatus } from '../../protocol/build';
import type { EngineClient } from '../../protocol/client';
import type { EngineError } from '../../protocol/engine';
import type { LogChunk } from '../../protocol/logs';
import { BuildDiagnostics } from '../diagnostics/collection';
import { engineErrorDiagnostics, ENGINE_OWNER, type BuildFiles } from '../diagnostics/engineErrors';
import type { LogInfoSource, LogPackageInfo } from '../logs/provider';
import { BulklogDiagnostics } from './bulklogDiagnostics';
import { confForBuild, confForRebuild, describeRequest, jobsSetting, showRefusal, startRequest, workspaceTrusted, type BuildRequest } from './buildRequest';
import type { ConfInfo } from './confInfo';
import type { ConfigChooser } from './configs';
import { EngineLink, RUNNING_STAGES, type EngineEvents, type StageEvent } from '../engine/engineLink';
import type { EngineOutput } from '../engine/engineOutput';
import { packageLogInfo } from './logInfo';
import { BuildModel, type Finished } from './model';
import { noticeClient, noticeEngineLost, noticeStopped, noticeSummary } from './runNotices';
import { chooseShown, readResumable, readShownFiles, ShownBulklog, type Shown } from './shownBulklog';

export type { BuildRequest } from './buildRequest';

export interface ControllerDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  output: EngineOutput;
  configs: ConfigChooser;
  /** The pkgsrc tree the Packages view shows, where Makefiles are looked for. */
  treeRoot: () => string | undefined;
}

export class BuildController implements LogInfoSource, vscode.Disposable {
  readonly model = new BuildModel();
  readonly diagnostics = new BuildDiagnostics();
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  /** The model or the bulklog changed (throttled). */
  readonly onDidChange = this.changedEmitter.event;
  private readonly activityEmitter = new vscode.EventEmitter<string>();
  readonly onPackageActivity = this.activityEmitter.event;
  private readonly chunkEmitter = new vscode.EventEmitter<LogChunk>();
  readonly onLogChunk = this.chunkEmitter.event;
  private readonly runEmitter = new vscode.EventEmitter<{ started: boolean }>();
  /** A build began (started here or found running) or ended. */
  readonly onDidChangeRun = this.runEmitter.event;

  bulklog: Bulklog | undefined;
  timeline: TimelineEntry[] = [];
  /** An unfinished run in the shown bulklog that Resume can carry on (its locations; undefined: full). */
  resumable: { locations?: string[] } | undefined;
  private readonly engine: EngineLink;
  private readonly view: ShownBulklog;
  private readonly fileDiagnostics: BulklogDiagnostics;
  private running = false;
  /** Requests in flight that are not builds (publish, mail): the engine stays attached for them. */
  private sideRequests = 0;
  /** The status of a build found running, for the model to be seeded from with the next read. */
  private needsSeed: EngineStatus | undefined;
  private opened: Shown | undefined;
  /** The files the running build's problems go on, as its command knew them. */
  private buildFiles: BuildFiles | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  /** Builds and rebuilds asked for so far (the idle detach leaves an engine asked for one since). */
  private requests = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ControllerDeps) {
    this.engine = new EngineLink({ context: deps.context, log: deps.log, output: deps.output, diagnostics: this.diagnostics }, this.engineEvents());
    this.view = new ShownBulklog({ read: (s) => this.readNow(s), building: () => this.running, log: deps.log });
    this.fileDiagnostics = new BulklogDiagnostics(this.diagnostics, deps.log);
    this.disposables.push(
      this.diagnostics,
      deps.configs.onDidChange(() => void this.configChanged()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pkgsrcBulk.bulklog')) this.reshow();
      }),
    );
  }

  /** Resolves after the first look at the active pbulk.conf: attached to a running build, or its bulklog read. */
  async init(): Promise<void> {
    await this.deps.configs.ready();
    await this.engine.serially(() => this.engine.tryAttach(this.deps.configs.active));
    this.reshow();
    await this.view.nextRead();
  }

  /** True while a build runs in the attached engine. */
  get building(): boolean {
    return this.running;
  }

  get attached(): boolean {
    return this.engine.client !== undefined;
  }

  get shownBulklog(): string | undefined {
    return this.view.shown?.dir;
  }

  get shownMetaDir(): string | undefined {
    return this.view.shown?.metaDir;
  }

  private fireChange(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.changedEmitter.fire();
    }, 100);
  }

  // --- the shown bulklog ------------------------------------------------------------------------

  /** Re-decides what to show and reads it. */
  reshow(): void {
    const next = chooseShown({ building: this.running ? this.engine.conf : undefined, opened: this.opened, active: this.deps.configs.active });
    if (this.view.show(next)) {
      this.fileDiagnostics.reset();
      this.diagnostics.clearAll((o) => o === ENGINE_OWNER);
    }
  }

  /** Shows a bulklog chosen from disk (another machine's, a CI run's) until a build runs; resolves once it is read. */
  async openBulklog(dir: string): Promise<void> {
    this.opened = { dir, metaDir: join(dir, 'meta'), why: 'opened' };
    this.reshow();
    await this.view.nextRead();
  }

  /** Stops showing a bulklog opened from disk (back to the setting's or the active pbulk.conf's); resolves once read. */
  async closeOpened(): Promise<void> {
    this.opened = undefined;
    this.reshow();
    await this.view.nextRead();
  }

  private async configChanged(): Promise<void> {
    await this.engine.serially(async () => {
      // Another pbulk.conf: its engine, not the one attached for the last one.
      if (!this.running && this.engine.client && this.engine.conf?.file !== this.deps.configs.active?.file) this.engine.detach();
      if (!this.running) await this.engine.tryAttach(this.deps.configs.active);
    });
    this.reshow();
  }

  /** Reads the shown bulklog soon; while a build runs, no more often than reading takes. */
  scheduleRead(delay?: number): void {
    this.view.scheduleRead(delay);
  }

  /** Waits for reads under way or scheduled (tests and commands that need the result). */
  settled(): Promise<void> {
    return this.view.settled();
  }

  private async readNow(shown: Shown | undefined): Promise<boolean> {
    if (!shown) {
      this.bulklog = undefined;
      this.timeline = [];
      this.resumable = undefined;
      if (!this.running) this.model.reset();
      this.diagnostics.clearAll((o) => o === ENGINE_OWNER);
      this.fireChange();
      return false;
    }
    const { bulklog: b, timeline } = await readShownFiles(shown, this.deps.log);
    if (shown !== this.view.shown) return false; // Something else is shown meanwhile.
    this.bulklog = b;
    this.timeline = timeline;
    this.resumable = b && !this.running ? await readResumable(shown.metaDir) : undefined;
    if (b && this.needsSeed) {
      this.model.seed(b, timeline, this.needsSeed);
      this.needsSeed = undefined;
    } else if (b && !this.running) {
      this.model.seed(b, timeline);
      this.model.stage = 'idle';
    } else if (!b && !this.running) {
      this.model.reset();
    }
    const conf = this.running ? this.engine.conf : this.deps.configs.active;
    await this.fileDiagnostics.update(b, shown.metaDir, this.pkgsrcRoot(), this.filesFor(conf) ?? { conf: join(shown.dir, 'pbulk.conf') });
    this.fireChange();
    return true;
  }

  private pkgsrcRoot(): string | undefined {
    return this.deps.treeRoot() ?? this.engine.conf?.pkgsrc ?? this.deps.configs.active?.pkgsrc;
  }

  private filesFor(conf: ConfInfo | undefined): BuildFiles | undefined {
    if (this.buildFiles) return this.buildFiles;
    if (!conf) return undefined;
    const root = this.pkgsrcRoot();
    return { conf: conf.file, ...(conf.limitedListLine !== undefined ? { limitedListLine: conf.limitedListLine } : {}), ...(root ? { pkgsrc: root } : {}) };
  }

  // --- the engine's events ---------------------------------------------------------------------

  private engineEvents(): EngineEvents {
    return {
      stage: (e) => this.onStage(e),
      summary: (e) => noticeSummary(e, this.deps.log),
      scan: (e) => {
        this.model.scan = e;
        this.fireChange();
      },
      queued: (e) => {
        this.model.queued(e);
        this.fireChange();
      },
      started: (e) => this.packageActivity(e.pkgname, () => this.model.started(e)),
      phase: (e) => this.packageActivity(e.pkgname, () => this.model.phase(e)),
      finished: (e) => this.onFinished(e),
      chunk: (e) => this.chunkEmitter.fire(e),
      error: (e) => void this.onEngineError(e),
      client: (e) => noticeClient(e, this.deps.log),
      attachedRunning: (s) => this.onAttachedRunning(s),
      lost: () => this.onLost(),
    };
  }

  private onStage(e: StageEvent): void {
    if (e.stage === 'scanning' && e.runId !== this.model.runId) {
      this.model.reset(e.runId);
      this.fileDiagnostics.reset();
      this.diagnostics.clearAll();
    } else if (e.runId) {
      this.model.runId = e.runId;
    }
    this.model.setStage(e.stage, e.time);
    const nowRunning = RUNNING_STAGES.has(e.stage);
    if (nowRunning !== this.running) {
      this.running = nowRunning;
      void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.building', nowRunning);
      this.runEmitter.fire({ started: nowRunning });
      this.reshow();
    }
    if (e.stage === 'cancelled') noticeStopped(this.model, this.deps.log);
    if (!nowRunning) {
      this.scheduleRead(0);
      // Let the engine exit when it has been idle long enough; a command attaches again. Not
      // when a build was asked for meanwhile (its first events may not be here yet), nor
      // another engine that one is connecting to.
      const link = this.engine.client;
      const asked = this.requests;
      setTimeout(() => {
        if (!this.running && this.sideRequests === 0 && this.engine.client === link && this.requests === asked) this.engine.detach();
      }, 2000);
    }
    this.fireChange();
  }

  private packageActivity(pkgname: string, apply: () => void): void {
    apply();
    this.activityEmitter.fire(pkgname);
    this.fireChange();
  }

  private onFinished(e: Finished): void {
    this.model.finished(e);
    // A package rebuilt successfully loses its diagnostics at once.
    if (e.state === 'done') {
      this.diagnostics.clear(e.pkgname);
      this.fileDiagnostics.forget(e.pkgname);
    }
    this.activityEmitter.fire(e.pkgname);
    if (e.state === 'failed' || e.state === 'done') this.scheduleRead();
    this.fireChange();
  }

  private async onEngineError(e: EngineError): Promise<void> {
    const where = e.location ? ` (${e.location.file}:${e.location.line + 1})` : '';
    const text = `${e.severity}: ${e.message}${where} [${e.code}]`;
    if (e.severity === 'error') this.deps.log.error(text);
    else this.deps.log.warn(text);
    const files = this.filesFor(this.engine.conf) ?? { conf: this.engine.conf?.file ?? '' };
    const specs = await engineErrorDiagnostics(e, files);
    this.diagnostics.replace(new Map([[ENGINE_OWNER, [...this.diagnostics.specs(ENGINE_OWNER), ...specs]]]));
  }

  private onAttachedRunning(status: EngineStatus): void {
    this.running = true;
    this.model.runId = status.runId;
    this.model.stage = status.stage;
    this.needsSeed = status;
    this.reshow();
    this.runEmitter.fire({ started: true });
    vscode.commands.executeCommand('setContext', 'pkgsrcBulk.building', true);
  }

  private onLost(): void {
    if (this.running) {
      this.running = false;
      this.model.setStage('failed', Date.now());
      void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.building', false);
      this.runEmitter.fire({ started: false });
      noticeEngineLost(this.deps.output);
    }
    this.reshow();
  }

  // --- commands ---------------------------------------------------------------------------------

  /** False (after saying why) in an untrusted workspace; commands ask before their dialogs. */
  trusted(): Promise<boolean> {
    return workspaceTrusted();
  }

  /** Starts a build; returns false (after telling the user why) when it cannot. */
  async start(req: BuildRequest): Promise<boolean> {
    this.deps.log.info(`build requested: ${describeRequest(req)}`);
    if (!(await this.trusted())) return false;
    const conf = await confForBuild(this.deps.configs, this.deps.log);
    if (!conf) return false;
    const asked = await startRequest(req, conf, { pkgsrc: this.pkgsrcRoot(), resumable: async () => this.resumable ?? (await readResumable(conf.metaDir)) });
    if (!asked) return false;
    this.requests++;
    const client = await this.engine.connect(conf);
    if (!client) return false;
    this.buildFiles = asked.files;
    this.diagnostics.clear(ENGINE_OWNER);
    try {
      const r = await client.request(build.Start, asked.params);
      this.deps.log.info(`build ${r.runId} ${r.resumed ? 'resumed' : 'started'} with ${conf.file}`);
      this.opened = undefined;
      return true;
    } catch (e) {
      showRefusal(e, this.diagnostics, this.deps.log);
      return false;
    }
  }

  /**
   * Runs requests other than builds (publish, mail) on the engine of the active pbulk.conf,
   * which stays attached meanwhile; undefined (after saying why) when there is none.
   */
  async withEngine<R>(f: (client: EngineClient) => Promise<R>): Promise<R | undefined> {
    const conf = await confForBuild(this.deps.configs, this.deps.log);
    const client = conf ? await this.engine.connect(conf) : undefined;
    if (!client) return undefined;
    this.sideRequests++;
    try {
      return await f(client);
    } finally {
      this.sideRequests--;
    }
  }

  async stop(): Promise<void> {
    const client = this.engine.client;
    if (!client || !this.running) {
      void vscode.window.showInformationMessage('No build is running.');
      return;
    }
    try {
      const r = await client.request(build.Cancel, {});
      if (r.cancelled) this.deps.log.info('stopping the build: nothing new starts, running packages are stopped, sandboxes are torn down');
    } catch (e) {
      void vscode.window.showErrorMessage(`Stopping the build failed: ${(e as Error).message}`);
    }
  }

  /** Builds packages (PKGNAMEs or locations) of the shown bulklog's build again, or every failed one. */
  async rebuild(what: { packages?: string[]; failed?: boolean }): Promise<boolean> {
    if (!(await this.trusted())) return false;
    const conf = await confForRebuild(this.deps.configs, this.view.shown);
    if (!conf) return false;
    this.requests++;
    const client = await this.engine.connect(conf);
    if (!client) return false;
    const jobs = jobsSetting();
    try {
      const r = await client.request(build.Rebuild, {
        ...(what.packages?.length ? { packages: what.packages } : {}),
        ...(what.failed ? { failed: true } : {}),
        ...(jobs > 0 ? { jobs } : {}),
      });
      this.deps.log.info(`rebuilding ${r.reset.length} package(s): ${r.reset.slice(0, 20).join(' ')}${r.reset.length > 20 ? ' ...' : ''}`);
      return true;
    } catch (e) {
      showRefusal(e, this.diagnostics, this.deps.log);
      return false;
    }
  }

  // --- what the log documents ask (LogInfoSource) --------------------------------------------------

  info(bulklog: string, pkgname: string): LogPackageInfo {
    return packageLogInfo(bulklog, pkgname, {
      fromDisk: this.bulklog?.dir === bulklog ? this.bulklog.byName.get(pkgname) : undefined,
      live: this.view.shown?.dir === bulklog ? this.model.packages.get(pkgname) : undefined,
      running: this.running,
    });
  }

  follow(pkgname: string): void {
    void this.engine.client?.request(logs.Follow, { pkgname }).catch(() => undefined);
  }

  unfollow(pkgname: string): void {
    void this.engine.client?.request(logs.Unfollow, { pkgname }).catch(() => undefined);
  }

  dispose(): void {
    clearTimeout(this.changeTimer);
    this.view.dispose();
    this.engine.dispose();
    this.changedEmitter.dispose();
    this.activityEmitter.dispose();
    this.chunkEmitter.dispose();
    this.runEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
