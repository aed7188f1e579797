// The build controller: talks to the engine of the active pbulk.conf (attaching to a running
// one after a reload, starting one for a build), turns its events into the build model, and
// reads the bulklog on disk, which is the state (design principle 1). When no build runs it
// shows the last bulklog: one opened from disk, the `pkgsrcBulk.bulklog` setting, or the active
// pbulk.conf's. Diagnostics follow every read and every event that changes them.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import { BulklogError, readBulklog, readTimeline, isBroken, type Bulklog, type BulklogPackage } from '../../pkgsrc/bulklog';
import type { TimelineEntry } from '../../pkgsrc/bulklog/timeline';
import { build, engine as engineP, logs, packages, scan } from '../../protocol';
import type { EngineClient } from '../../protocol/client';
import type { EngineStatus, StartParams } from '../../protocol/build';
import type { EngineError } from '../../protocol/engine';
import type { LogChunk } from '../../protocol/logs';
import { BuildDiagnostics } from '../diagnostics/collection';
import { engineErrorDiagnostics, ENGINE_OWNER, META_OWNER, metaLogDiagnostics, printedProblems, type BuildFiles } from '../diagnostics/engineErrors';
import { diagnosePackage, fileContext, logFacts } from '../diagnostics/map';
import type { DiagnosticSpec } from '../diagnostics/types';
import type { LogInfoSource, LogPackageInfo } from '../logs/provider';
import { expandSetting } from '../tree/locate';
import { readLimitedListEntries, type ConfInfo } from './confInfo';
import type { ConfigChooser } from './configs';
import { attachEngine, connectEngine, EngineStartError } from './engineProcess';
import type { EngineOutput } from './engineOutput';
import { BuildModel } from './model';

/** What a build command asks for. */
export type BuildRequest =
  | { kind: 'locations'; locations: string[] }
  | { kind: 'limitedList'; file: string }
  | { kind: 'full' }
  | { kind: 'resume' };

const RUNNING_STAGES = new Set(['scanning', 'resolving', 'building', 'reporting']);
const BULKLOG_OWNER = 'bulklog:';

export interface ControllerDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  output: EngineOutput;
  configs: ConfigChooser;
  /** The pkgsrc tree the Packages view shows, where Makefiles are looked for. */
  treeRoot: () => string | undefined;
}

interface Shown {
  dir: string;
  metaDir: string;
  why: 'engine' | 'opened' | 'setting' | 'config';
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
  private client: EngineClient | undefined;
  private clientConf: ConfInfo | undefined;
  private clientSubs: vscode.Disposable[] = [];
  private running = false;
  private needsSeed: EngineStatus | undefined;
  private opened: Shown | undefined;
  private shown: Shown | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readTimer: NodeJS.Timeout | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private readChain: Promise<void> = Promise.resolve();
  private lastReadMs = 0;
  private signatures = new Map<string, string>();
  private signatureRoot: string | undefined;
  private buildFiles: BuildFiles | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ControllerDeps) {
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
    await this.serially(() => this.tryAttach());
    this.reshow();
    await this.readChain;
  }

  /** True while a build runs in the attached engine. */
  get building(): boolean {
    return this.running;
  }

  get attached(): boolean {
    return this.client !== undefined;
  }

  get shownBulklog(): string | undefined {
    return this.shown?.dir;
  }

  get shownMetaDir(): string | undefined {
    return this.shown?.metaDir;
  }

  private fireChange(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.changedEmitter.fire();
    }, 100);
  }

  // --- which bulklog is shown ---------------------------------------------------------------

  private decideShown(): Shown | undefined {
    const conf = this.running ? this.clientConf : undefined;
    if (conf?.bulklog && conf.metaDir) return { dir: conf.bulklog, metaDir: conf.metaDir, why: 'engine' };
    if (this.opened) return this.opened;
    const setting = vscode.workspace.getConfiguration('pkgsrcBulk').get<string>('bulklog', '').trim();
    if (setting) {
      const dir = expandSetting(setting);
      return { dir, metaDir: join(dir, 'meta'), why: 'setting' };
    }
    const active = this.deps.configs.active;
    if (active?.bulklog && active.metaDir) return { dir: active.bulklog, metaDir: active.metaDir, why: 'config' };
    return undefined;
  }

  /** Re-decides what to show and reads it. */
  reshow(): void {
    const next = this.decideShown();
    const same = next && this.shown && next.dir === this.shown.dir && next.metaDir === this.shown.metaDir;
    this.shown = next;
    if (!same) {
      this.watcher?.dispose();
      this.watcher = undefined;
      this.signatures.clear();
      this.diagnostics.clearAll((o) => o === ENGINE_OWNER);
      if (next) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(next.metaDir), '{success,error,pbuild,presolve,status,timeline,engine.json,presolve-err.log,pscan.stderr}'));
        const later = () => this.scheduleRead();
        w.onDidChange(later);
        w.onDidCreate(later);
        w.onDidDelete(later);
        this.watcher = w;
      }
    }
    this.scheduleRead(0);
  }

  /** Shows a bulklog chosen from disk (another machine's, a CI run's) until a build runs. */
  async openBulklog(dir: string): Promise<void> {
    const metaDir = join(dir, 'meta');
    this.opened = { dir, metaDir, why: 'opened' };
    this.reshow();
    await this.readChain;
  }

  private async configChanged(): Promise<void> {
    await this.serially(async () => {
      // Another pbulk.conf: its engine, not the one attached for the last one.
      if (!this.running && this.client && this.clientConf?.file !== this.deps.configs.active?.file) this.detach();
      if (!this.running) await this.tryAttach();
    });
    this.reshow();
  }

  private attachChain: Promise<void> = Promise.resolve();

  /** Attaching and detaching one after the other: a reload fires both init and a config change. */
  private serially(f: () => Promise<void>): Promise<void> {
    this.attachChain = this.attachChain.then(f, f).catch((e: unknown) => this.deps.log.error(`engine: ${(e as Error).message}`));
    return this.attachChain;
  }

  // --- reading the bulklog ------------------------------------------------------------------

  /** Reads the shown bulklog soon; while a build runs, no more often than reading takes. */
  scheduleRead(delay?: number): void {
    const d = delay ?? (this.running ? Math.max(500, 3 * this.lastReadMs) : 300);
    if (this.readTimer) {
      if (delay !== 0) return;
      clearTimeout(this.readTimer);
    }
    this.readTimer = setTimeout(() => {
      this.readTimer = undefined;
      this.readChain = this.readChain.then(() => this.readNow()).catch((e: unknown) => this.deps.log.error(`reading the bulklog: ${(e as Error).stack ?? String(e)}`));
    }, d);
  }

  /** Waits for reads under way or scheduled (tests and commands that need the result). */
  async settled(): Promise<void> {
    while (this.readTimer) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.readChain;
  }

  private async readNow(): Promise<void> {
    const shown = this.shown;
    const t0 = Date.now();
    if (!shown) {
      this.bulklog = undefined;
      this.timeline = [];
      this.resumable = undefined;
      if (!this.running) this.model.reset();
      this.diagnostics.clearAll((o) => o === ENGINE_OWNER);
      this.fireChange();
      return;
    }
    let b: Bulklog | undefined;
    try {
      b = await readBulklog(shown.dir, { metaDir: shown.metaDir });
    } catch (e) {
      if (!(e instanceof BulklogError)) throw e;
      this.deps.log.info(`bulklog ${shown.dir}: ${e.message}`);
    }
    const tl = b ? await readTimeline(shown.metaDir) : { entries: [], problems: [] };
    if (shown !== this.shown) return; // Something else is shown meanwhile.
    this.bulklog = b;
    this.timeline = tl.entries;
    this.resumable = b && !this.running ? await this.readResumable(shown.metaDir) : undefined;
    if (b && this.needsSeed) {
      this.model.seed(b, tl.entries, this.needsSeed);
      this.needsSeed = undefined;
    } else if (b && !this.running) {
      this.model.seed(b, tl.entries);
      this.model.stage = 'idle';
    } else if (!b && !this.running) {
      this.model.reset();
    }
    await this.updateDiagnostics(b, shown);
    this.lastReadMs = Date.now() - t0;
    this.fireChange();
  }

  private async readResumable(metaDir: string): Promise<{ locations?: string[] } | undefined> {
    try {
      const s = JSON.parse(await readFile(join(metaDir, 'engine.json'), 'utf8')) as { stage?: unknown; locations?: unknown };
      if (s.stage === 'done' || typeof s.stage !== 'string') return undefined;
      return Array.isArray(s.locations) ? { locations: s.locations.filter((l): l is string => typeof l === 'string') } : {};
    } catch {
      return undefined;
    }
  }

  private pkgsrcRoot(): string | undefined {
    return this.deps.treeRoot() ?? this.clientConf?.pkgsrc ?? this.deps.configs.active?.pkgsrc;
  }

  private filesFor(conf: ConfInfo | undefined): BuildFiles | undefined {
    if (this.buildFiles) return this.buildFiles;
    if (!conf) return undefined;
    const root = this.pkgsrcRoot();
    return { conf: conf.file, ...(conf.limitedListLine !== undefined ? { limitedListLine: conf.limitedListLine } : {}), ...(root ? { pkgsrc: root } : {}) };
  }

  private signature(p: BulklogPackage): string {
    return [p.state, p.failingPhase, p.failingLog, p.logs.map((l) => `${l.size}`).join(','), p.location, (p.culprits ?? []).join(','), p.breaks].join('|');
  }

  private async updateDiagnostics(b: Bulklog | undefined, shown: Shown): Promise<void> {
    const updates = new Map<string, DiagnosticSpec[]>();
    const root = this.pkgsrcRoot();
    if (root !== this.signatureRoot) {
      this.signatures.clear();
      this.signatureRoot = root;
    }
    const keep = new Set<string>([ENGINE_OWNER, META_OWNER, BULKLOG_OWNER]);
    if (b) {
      const ctx = fileContext(b, root);
      const todo: BulklogPackage[] = [];
      for (const p of b.packages) {
        if (!isBroken(p.state)) continue;
        keep.add(p.pkgname);
        const sig = this.signature(p);
        if (this.signatures.get(p.pkgname) === sig) continue;
        this.signatures.set(p.pkgname, sig);
        todo.push(p);
      }
      let next = 0;
      const worker = async () => {
        while (next < todo.length) {
          const p = todo[next++]!;
          updates.set(p.pkgname, await diagnosePackage(p, ctx).catch((e: unknown) => {
            this.deps.log.warn(`${p.pkgname}: cannot map its logs to diagnostics: ${(e as Error).message}`);
            return [];
          }));
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      const conf = this.running ? this.clientConf : this.deps.configs.active;
      const files = this.filesFor(conf) ?? { conf: join(shown.dir, 'pbulk.conf') };
      updates.set(META_OWNER, await metaLogDiagnostics(shown.metaDir, files, b));
      updates.set(
        BULKLOG_OWNER,
        b.problems
          .filter((p) => p.severity === 'error' || p.severity === 'warning')
          .map((p) => ({ target: { kind: 'file', path: p.file }, range: p.range, severity: p.severity, message: p.message, code: p.code, related: [], owner: BULKLOG_OWNER, actions: {} })),
      );
    } else {
      updates.set(META_OWNER, []);
      updates.set(BULKLOG_OWNER, []);
    }
    for (const owner of this.diagnostics.owners()) {
      if (!keep.has(owner)) {
        updates.set(owner, []);
        this.signatures.delete(owner);
      }
    }
    this.diagnostics.replace(updates);
  }

  // --- the engine -----------------------------------------------------------------------------

  private settingsFile(): string | undefined {
    const s = vscode.workspace.getConfiguration('pkgsrcBulk').get<string>('engine.settingsFile', '').trim();
    return s ? expandSetting(s) : undefined;
  }

  private logFileFor(conf: ConfInfo): string {
    const id = createHash('sha256').update(conf.file).digest('hex').slice(0, 16);
    return join(this.deps.context.globalStorageUri.fsPath, 'engines', `${id}.log`);
  }

  /** Attaches to the engine of the active conf when one runs a build (after a reload). */
  private async tryAttach(): Promise<void> {
    const conf = this.deps.configs.active;
    if (!conf?.metaDir || this.client) return;
    let found;
    try {
      found = await attachEngine(conf.metaDir, this.settingsFile());
    } catch (e) {
      this.deps.log.warn(`attaching to the engine of ${conf.file}: ${(e as Error).message}`);
      return;
    }
    if (!found) return;
    const status = await this.adopt(found.client, conf);
    if (!status || !RUNNING_STAGES.has(status.stage)) {
      this.detach();
      return;
    }
    this.deps.log.info(`re-attached to the build in ${status.bulklog} (${status.stage})`);
  }

  /** Subscribes to an engine connection; returns its status (undefined when hello fails). */
  private async adopt(client: EngineClient, conf: ConfInfo): Promise<EngineStatus | undefined> {
    this.detach();
    this.client = client;
    this.clientConf = conf;
    const bad = (e: Error) => this.deps.log.error(`engine message: ${e.message}`);
    const subs: vscode.Disposable[] = [];
    const on = <T>(def: Parameters<EngineClient['on']>[0], f: (p: T) => void) => subs.push(client.on(def, f as never, bad));
    on(build.StageChanged, (e: { runId: string; stage: EngineStatus['stage']; time: number }) => this.onStage(e));
    on(build.Summary, (e: build.BuildSummary) => this.onSummary(e));
    on(scan.ScanProgressed, (e: scan.ScanProgress) => {
      this.model.scan = e;
      this.fireChange();
    });
    on(packages.PackageQueued, (e: Parameters<BuildModel['queued']>[0]) => {
      this.model.queued(e);
      this.fireChange();
    });
    on(packages.PackageStarted, (e: Parameters<BuildModel['started']>[0]) => {
      this.model.started(e);
      this.activityEmitter.fire(e.pkgname);
      this.fireChange();
    });
    on(packages.PackagePhase, (e: Parameters<BuildModel['phase']>[0]) => {
      this.model.phase(e);
      this.activityEmitter.fire(e.pkgname);
      this.fireChange();
    });
    on(packages.PackageFinished, (e: Parameters<BuildModel['finished']>[0]) => {
      this.model.finished(e);
      // A package rebuilt successfully loses its diagnostics at once.
      if (e.state === 'done') {
        this.diagnostics.clear(e.pkgname);
        this.signatures.delete(e.pkgname);
      }
      this.activityEmitter.fire(e.pkgname);
      if (e.state === 'failed' || e.state === 'done') this.scheduleRead();
      this.fireChange();
    });
    on(logs.LogChunked, (e: LogChunk) => this.chunkEmitter.fire(e));
    on(engineP.EngineErrored, (e: EngineError) => void this.onEngineError(e));
    subs.push({ dispose: client.connection.onClose(() => this.lost()).dispose });
    this.clientSubs = subs;
    let hello;
    try {
      hello = await client.hello(`vscode ${vscode.version}`);
    } catch (e) {
      this.deps.log.error(`the engine did not answer hello: ${(e as Error).message}`);
      this.detach();
      return undefined;
    }
    const status = hello.status;
    await this.deps.output.follow(this.logFileFor(conf));
    this.deps.output.line(`[attached to engine pid ${hello.pid} ${hello.engineVersion}${hello.root ? ' (root)' : ''}: ${status.stage}, bulklog ${status.bulklog}]`);
    if (RUNNING_STAGES.has(status.stage)) {
      this.running = true;
      this.model.runId = status.runId;
      this.model.stage = status.stage;
      this.needsSeed = status;
      this.reshow();
      this.runEmitter.fire({ started: true });
      vscode.commands.executeCommand('setContext', 'pkgsrcBulk.building', true);
    }
    return status;
  }

  private detach(): void {
    for (const s of this.clientSubs) s.dispose();
    this.clientSubs = [];
    const c = this.client;
    this.client = undefined;
    c?.connection.dispose();
  }

  private lost(): void {
    if (!this.client) return;
    const wasRunning = this.running;
    this.detach();
    if (wasRunning) {
      this.running = false;
      this.model.setStage('failed', Date.now());
      void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.building', false);
      this.runEmitter.fire({ started: false });
      void vscode.window.showWarningMessage('The pkgsrc build engine went away during the build. Its output says why; Resume carries on from the bulklog.', 'Show Engine Output', 'Resume').then((a) => {
        if (a === 'Show Engine Output') this.deps.output.channel.show();
        if (a === 'Resume') void vscode.commands.executeCommand('pkgsrcBulk.resume');
      });
    }
    this.reshow();
  }

  private async connect(conf: ConfInfo): Promise<EngineClient | undefined> {
    if (this.client && this.clientConf?.file === conf.file) return this.client;
    this.detach();
    const logFile = this.logFileFor(conf);
    const prefix = vscode.workspace.getConfiguration('pkgsrcBulk').get<string[]>('engine.commandPrefix', []).filter((w) => typeof w === 'string' && w !== '');
    try {
      const c = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Starting the pkgsrc build engine' }, () =>
        connectEngine({
          conf: conf.file,
          metaDir: conf.metaDir!,
          engineScript: this.deps.context.asAbsolutePath('dist/engine.js'),
          node: process.execPath,
          prefix,
          logFile,
          ...(this.settingsFile() ? { settingsFile: this.settingsFile()! } : {}),
        }),
      );
      if (c.started) this.deps.log.info(`started the build engine for ${conf.file} (pid ${c.pid}), socket ${c.socket}`);
      const status = await this.adopt(c.client, conf);
      return status ? c.client : undefined;
    } catch (e) {
      if (e instanceof EngineStartError) {
        await this.deps.output.follow(logFile);
        const found = printedProblems(e.output);
        if (found.length > 0) this.diagnostics.replace(new Map([[ENGINE_OWNER, found]]));
        void vscode.window.showErrorMessage(`${e.message}${found.length > 0 ? ` ${found.length} problem(s) are in the Problems view.` : ''}`, 'Show Engine Output').then((a) => a && this.deps.output.channel.show());
        return undefined;
      }
      throw e;
    }
  }

  // --- events -----------------------------------------------------------------------------------

  private onStage(e: { runId: string; stage: EngineStatus['stage']; time: number }): void {
    if (e.stage === 'scanning' && e.runId !== this.model.runId) {
      this.model.reset(e.runId);
      this.signatures.clear();
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
    if (e.stage === 'cancelled') this.onStopped();
    if (!nowRunning) {
      this.scheduleRead(0);
      // Let the engine exit when it has been idle long enough; a command attaches again.
      setTimeout(() => {
        if (!this.running) this.detach();
      }, 2000);
    }
    this.fireChange();
  }

  private onSummary(e: build.BuildSummary): void {
    const c = e.counts;
    const msg = `Build ${e.cancelled ? 'stopped' : 'finished'}: ${c.done ?? 0} built, ${c.failed ?? 0} failed, ${c['indirect-failed'] ?? 0} depending on failed, ${(c.prefailed ?? 0) + (c['indirect-prefailed'] ?? 0)} broken or masked.`;
    this.deps.log.info(msg);
    const actions = (c.failed ?? 0) > 0 ? ['Show Problems', 'Open Report'] : ['Open Report'];
    void vscode.window.showInformationMessage(msg, ...actions).then((a) => {
      if (a === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      if (a === 'Open Report') void vscode.commands.executeCommand('pkgsrcBulk.openReport');
    });
  }

  /** A stopped build sends no summary (it wrote no reports): say where it stands and offer Resume. */
  private onStopped(): void {
    const c = this.model.counts();
    const msg = `Build stopped: ${c.done} built, ${c.failed} failed, ${c['indirect-failed']} depending on failed, ${c.open + c.in_processing} not built yet. Resume carries on from the bulklog.`;
    this.deps.log.info(msg);
    void vscode.window.showInformationMessage(msg, 'Resume').then((a) => {
      if (a === 'Resume') void vscode.commands.executeCommand('pkgsrcBulk.resume');
    });
  }

  private async onEngineError(e: EngineError): Promise<void> {
    const where = e.location ? ` (${e.location.file}:${e.location.line + 1})` : '';
    const text = `${e.severity}: ${e.message}${where} [${e.code}]`;
    if (e.severity === 'error') this.deps.log.error(text);
    else this.deps.log.warn(text);
    const files = this.filesFor(this.clientConf) ?? { conf: this.clientConf?.file ?? '' };
    const specs = await engineErrorDiagnostics(e, files);
    this.diagnostics.replace(new Map([[ENGINE_OWNER, [...this.diagnostics.specs(ENGINE_OWNER), ...specs]]]));
  }

  // --- commands ---------------------------------------------------------------------------------

  /** False (after saying why) in an untrusted workspace; commands ask before their dialogs. */
  async trusted(): Promise<boolean> {
    if (vscode.workspace.isTrusted) return true;
    const a = await vscode.window.showWarningMessage(
      'Builds are off in this untrusted workspace: a build runs the Makefiles of its pkgsrc tree (bmake executes the shell commands in them) and the tools named in its pbulk.conf. Trust the workspace to build.',
      'Manage Workspace Trust',
    );
    if (a) void vscode.commands.executeCommand('workbench.trust.manage');
    return false;
  }

  /** Starts a build; returns false (after telling the user why) when it cannot. */
  async start(req: BuildRequest): Promise<boolean> {
    this.deps.log.info(`build requested: ${req.kind === 'locations' ? `${req.locations.length} location(s): ${req.locations.slice(0, 10).join(' ')}${req.locations.length > 10 ? ' ...' : ''}` : req.kind === 'limitedList' ? `limited list ${req.file}` : req.kind}`);
    if (!(await this.trusted())) return false;
    await this.deps.configs.ready();
    const conf = this.deps.configs.active;
    if (!conf) {
      this.deps.log.warn('no pbulk.conf to build with');
      const a = await vscode.window.showErrorMessage('No pbulk.conf to build with: set pkgsrcBulk.config or choose one.', 'Choose pbulk.conf...');
      if (a) await this.deps.configs.pick();
      return false;
    }
    if (!conf.bulklog || !conf.metaDir) {
      void vscode.window.showErrorMessage(`${conf.file} sets no bulklog: the engine has nowhere to write the build's results.`);
      return false;
    }
    if (conf.errors.length > 0) {
      const first = conf.errors[0]!;
      this.deps.log.warn(`${conf.file}:${first.range.start.line + 1}: ${first.message} (and ${conf.errors.length - 1} more errors): no build`);
      const a = await vscode.window.showErrorMessage(`${conf.file} has ${conf.errors.length} error(s), e.g. line ${first.range.start.line + 1}: ${first.message}`, 'Open pbulk.conf');
      if (a) await vscode.window.showTextDocument(vscode.Uri.file(conf.file), { selection: new vscode.Range(first.range.start.line, 0, first.range.start.line, 0) });
      return false;
    }
    const params: StartParams = { resume: false };
    const files: BuildFiles = { conf: conf.file, ...(conf.limitedListLine !== undefined ? { limitedListLine: conf.limitedListLine } : {}), ...(this.pkgsrcRoot() ? { pkgsrc: this.pkgsrcRoot()! } : {}) };
    if (req.kind === 'locations') {
      params.locations = req.locations;
    } else if (req.kind === 'limitedList') {
      const l = await readLimitedListEntries(req.file, conf.pbulkVersion);
      const bad = l.problems.filter((p) => p.severity === 'error');
      if (bad.length > 0) {
        void vscode.window.showErrorMessage(`${req.file}: ${bad[0]!.message}`);
        return false;
      }
      const locations = [...new Set(l.entries.map((e) => e.location))];
      if (locations.length === 0) {
        void vscode.window.showErrorMessage(`${req.file} lists no package locations.`);
        return false;
      }
      params.locations = locations;
      files.limitedList = { file: req.file, entries: l.entries };
    } else if (req.kind === 'full') {
      params.full = true;
    } else {
      const r = this.resumable ?? (await this.readResumable(conf.metaDir));
      if (!r) {
        void vscode.window.showInformationMessage(`Nothing to resume in ${conf.bulklog}: its last build finished (Rebuild builds packages again).`);
        return false;
      }
      params.resume = true;
      if (r.locations) params.locations = r.locations;
      else params.full = true;
    }
    if (!files.limitedList && conf.limitedList && req.kind !== 'full' && !params.locations) {
      const l = await readLimitedListEntries(conf.limitedList, conf.pbulkVersion);
      files.limitedList = { file: conf.limitedList, entries: l.entries };
    }
    const jobs = vscode.workspace.getConfiguration('pkgsrcBulk').get<number>('jobs', 0);
    if (jobs > 0) params.jobs = jobs;
    const client = await this.connect(conf);
    if (!client) return false;
    this.buildFiles = files;
    this.diagnostics.clear(ENGINE_OWNER);
    try {
      const r = await client.request(build.Start, params);
      this.deps.log.info(`build ${r.runId} ${r.resumed ? 'resumed' : 'started'} with ${conf.file}`);
      this.opened = undefined;
      return true;
    } catch (e) {
      this.refused(e);
      return false;
    }
  }

  private refused(e: unknown): void {
    const message = e instanceof ResponseError || e instanceof Error ? e.message : String(e);
    this.deps.log.warn(`the engine refused: ${message}`);
    const found = printedProblems(message);
    if (found.length > 0) this.diagnostics.replace(new Map([[ENGINE_OWNER, found]]));
    const busy = e instanceof ResponseError && e.code === -32001;
    void vscode.window.showErrorMessage(busy ? 'A build is already running in this bulklog: stop it first, or wait for it.' : `The engine refused the build: ${message.split('\n')[0]}`);
  }

  async stop(): Promise<void> {
    if (!this.client || !this.running) {
      void vscode.window.showInformationMessage('No build is running.');
      return;
    }
    try {
      const r = await this.client.request(build.Cancel, {});
      if (r.cancelled) this.deps.log.info('stopping the build: nothing new starts, running packages are stopped, sandboxes are torn down');
    } catch (e) {
      void vscode.window.showErrorMessage(`Stopping the build failed: ${(e as Error).message}`);
    }
  }

  /** Builds packages (PKGNAMEs or locations) of the shown bulklog's build again, or every failed one. */
  async rebuild(what: { packages?: string[]; failed?: boolean }): Promise<boolean> {
    if (!(await this.trusted())) return false;
    await this.deps.configs.ready();
    const conf = this.deps.configs.active;
    if (!conf?.metaDir) {
      void vscode.window.showErrorMessage('No pbulk.conf to build with: set pkgsrcBulk.config or choose one.');
      return false;
    }
    if (this.shown && this.shown.why !== 'config' && this.shown.why !== 'engine' && this.shown.dir !== conf.bulklog) {
      void vscode.window.showErrorMessage(`Rebuild works on the bulklog of the active pbulk.conf (${conf.bulklog}); the one shown is ${this.shown.dir}.`);
      return false;
    }
    const client = await this.connect(conf);
    if (!client) return false;
    const jobs = vscode.workspace.getConfiguration('pkgsrcBulk').get<number>('jobs', 0);
    try {
      const r = await client.request(build.Rebuild, { ...(what.packages?.length ? { packages: what.packages } : {}), ...(what.failed ? { failed: true } : {}), ...(jobs > 0 ? { jobs } : {}) });
      this.deps.log.info(`rebuilding ${r.reset.length} package(s): ${r.reset.slice(0, 20).join(' ')}${r.reset.length > 20 ? ' ...' : ''}`);
      return true;
    } catch (e) {
      this.refused(e);
      return false;
    }
  }

  // --- what the log documents and the views ask ----------------------------------------------------

  info(bulklog: string, pkgname: string): LogPackageInfo {
    const fromDisk = this.bulklog?.dir === bulklog ? this.bulklog.byName.get(pkgname) : undefined;
    const live = this.shown?.dir === bulklog ? this.model.packages.get(pkgname) : undefined;
    // The events are ahead of the last read of the bulklog.
    const state = live?.state ?? fromDisk?.state;
    const building = this.running && state === 'in_processing';
    const facts = building
      ? [`building${live?.phase ? `: ${live.phase} phase` : ''}${live?.slot !== undefined ? ` in slot ${live.slot}` : ''}`]
      : fromDisk && fromDisk.state === state
        ? logFacts(fromDisk)
        : state
          ? [state]
          : [];
    const failed = state === 'failed';
    return {
      location: fromDisk?.location ?? live?.location,
      facts,
      building,
      ...(state ? { state } : {}),
      failingPhase: failed ? (fromDisk?.failingPhase ?? live?.phase) : undefined,
      failingLog: failed ? (fromDisk?.failingLog ?? live?.logPath) : undefined,
      noLogs:
        state === 'done'
          ? 'Built: pbulk removes the logs of packages that build (and an up-to-date package writes none).'
          : state === 'prefailed' || state === 'indirect-prefailed' || state === 'indirect-failed'
            ? 'Not built, so no logs: see the reason above.'
            : building
              ? 'The build has not written a log yet.'
              : `No logs in ${join(bulklog, pkgname)}.`,
    };
  }

  follow(pkgname: string): void {
    void this.client?.request(logs.Follow, { pkgname }).catch(() => undefined);
  }

  unfollow(pkgname: string): void {
    void this.client?.request(logs.Unfollow, { pkgname }).catch(() => undefined);
  }

  dispose(): void {
    clearTimeout(this.readTimer);
    clearTimeout(this.changeTimer);
    this.watcher?.dispose();
    this.detach();
    this.changedEmitter.dispose();
    this.activityEmitter.dispose();
    this.chunkEmitter.dispose();
    this.runEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
