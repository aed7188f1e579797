// The connection to the build engine of one pbulk.conf: attaching to an engine that already
// runs a build (a reload of the window), starting one for a build, and handing its events to
// the controller. One connection at a time; the engine itself is a process of its own
// (engineProcess.ts), so dropping the connection never stops a build.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { build, engine as engineP, logs, master, packages, scan } from '../../protocol';
import type { EngineClient } from '../../protocol/client';
import type { EngineStatus } from '../../protocol/build';
import type { EngineError } from '../../protocol/engine';
import type { LogChunk } from '../../protocol/logs';
import type { BuildDiagnostics } from '../diagnostics/collection';
import { ENGINE_OWNER, printedProblems } from '../diagnostics/engineErrors';
import { expandSetting } from '../tree/locate';
import type { ConfInfo } from '../builds/confInfo';
import { attachEngine, connectEngine, EngineStartError } from './engineProcess';
import type { EngineOutput } from './engineOutput';
import type { Finished, PhaseEvent, Queued, Started } from '../builds/model';

/** Stages in which a build runs: the engine is busy and the views follow its events. */
export const RUNNING_STAGES = new Set<string>(['scanning', 'resolving', 'building', 'reporting']);

export interface StageEvent {
  runId: string;
  stage: EngineStatus['stage'];
  time: number;
}

/** What the attached engine tells, as the controller takes it. */
export interface EngineEvents {
  stage(e: StageEvent): void;
  summary(e: build.BuildSummary): void;
  scan(e: scan.ScanProgress): void;
  queued(e: Queued): void;
  started(e: Started): void;
  phase(e: PhaseEvent): void;
  finished(e: Finished): void;
  chunk(e: LogChunk): void;
  error(e: EngineError): void;
  /** Multi-host builds: a client host came, went, was dropped or never came. */
  client(e: master.ClientEvent): void;
  /** The engine's hello says a build runs: the views take it over from its status. */
  attachedRunning(status: EngineStatus): void;
  /** The connection closed without us dropping it (the engine exited or was killed). */
  lost(): void;
}

export interface EngineLinkDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  output: EngineOutput;
  /** Where an engine that cannot start puts the problems it printed. */
  diagnostics: BuildDiagnostics;
}

export class EngineLink implements vscode.Disposable {
  private current: EngineClient | undefined;
  private currentConf: ConfInfo | undefined;
  private subs: vscode.Disposable[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: EngineLinkDeps,
    private readonly events: EngineEvents,
  ) {}

  get client(): EngineClient | undefined {
    return this.current;
  }

  /** The pbulk.conf the attached engine builds with. */
  get conf(): ConfInfo | undefined {
    return this.currentConf;
  }

  /** Attaching and detaching one after the other: a reload fires both init and a config change. */
  serially(f: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(f, f).catch((e: unknown) => this.deps.log.error(`engine: ${(e as Error).message}`));
    return this.chain;
  }

  private settingsFile(): string | undefined {
    const s = vscode.workspace.getConfiguration('pkgsrcBulk').get<string>('engine.settingsFile', '').trim();
    return s ? expandSetting(s) : undefined;
  }

  private logFileFor(conf: ConfInfo): string {
    const id = createHash('sha256').update(conf.file).digest('hex').slice(0, 16);
    return join(this.deps.context.globalStorageUri.fsPath, 'engines', `${id}.log`);
  }

  /** Attaches to the engine of `conf` when one runs a build (after a reload); else stays detached. */
  async tryAttach(conf: ConfInfo | undefined): Promise<void> {
    if (!conf?.metaDir || this.current) return;
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

  /** The engine of `conf`: the attached one, one listening on its socket, or one started now. */
  async connect(conf: ConfInfo): Promise<EngineClient | undefined> {
    if (this.current && this.currentConf?.file === conf.file) return this.current;
    this.detach();
    const logFile = this.logFileFor(conf);
    const prefix = vscode.workspace
      .getConfiguration('pkgsrcBulk')
      .get<string[]>('engine.commandPrefix', [])
      .filter((w) => typeof w === 'string' && w !== '');
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
        if (found.length > 0) this.deps.diagnostics.replace(new Map([[ENGINE_OWNER, found]]));
        void vscode.window
          .showErrorMessage(`${e.message}${found.length > 0 ? ` ${found.length} problem(s) are in the Problems view.` : ''}`, 'Show Engine Output')
          .then((a) => a && this.deps.output.channel.show());
        return undefined;
      }
      throw e;
    }
  }

  /** Subscribes to an engine connection; returns its status (undefined when hello fails). */
  private async adopt(client: EngineClient, conf: ConfInfo): Promise<EngineStatus | undefined> {
    this.detach();
    this.current = client;
    this.currentConf = conf;
    const ev = this.events;
    const bad = (e: Error) => this.deps.log.error(`engine message: ${e.message}`);
    const subs: vscode.Disposable[] = [];
    const on = <T>(def: Parameters<EngineClient['on']>[0], f: (p: T) => void) => subs.push(client.on(def, f as never, bad));
    on(build.StageChanged, (e: StageEvent) => ev.stage(e));
    on(build.Summary, (e: build.BuildSummary) => ev.summary(e));
    on(scan.ScanProgressed, (e: scan.ScanProgress) => ev.scan(e));
    on(packages.PackageQueued, (e: Queued) => ev.queued(e));
    on(packages.PackageStarted, (e: Started) => ev.started(e));
    on(packages.PackagePhase, (e: PhaseEvent) => ev.phase(e));
    on(packages.PackageFinished, (e: Finished) => ev.finished(e));
    on(logs.LogChunked, (e: LogChunk) => ev.chunk(e));
    on(engineP.EngineErrored, (e: EngineError) => ev.error(e));
    on(master.ClientChanged, (e: master.ClientEvent) => ev.client(e));
    subs.push({ dispose: client.connection.onClose(() => this.closed()).dispose });
    this.subs = subs;
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
    this.deps.output.line(
      `[attached to engine pid ${hello.pid} ${hello.engineVersion}${hello.root ? ' (root)' : ''}: ${status.stage}, bulklog ${status.bulklog}]`,
    );
    if (RUNNING_STAGES.has(status.stage)) ev.attachedRunning(status);
    return status;
  }

  /** Drops the connection; the engine carries on and exits by itself when idle. */
  detach(): void {
    for (const s of this.subs) s.dispose();
    this.subs = [];
    const c = this.current;
    this.current = undefined;
    c?.connection.dispose();
  }

  private closed(): void {
    if (!this.current) return;
    this.detach();
    this.events.lost();
  }

  dispose(): void {
    this.detach();
  }
}
