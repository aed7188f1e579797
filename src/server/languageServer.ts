// The server's state and document life cycle: settings, per-version analysis, debounced and
// versioned diagnostics (stale work is aborted, late results for an old version are dropped),
// and the pbulk.conf -> limited_list links the client uses to pick the list's language.
import type { Connection, Diagnostic, InitializeParams, InitializeResult, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import { DidChangeConfigurationNotification, TextDocumentSyncKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { cachedProbe, realProbe, resolvePbulkVersion, staticValue, type ConfEvaluation, type FileProbe, type PbulkVersion } from '../pkgsrc/conf';
import { AnalysisCache, uriToFile, type Analysis } from './analysis';
import type { ServerContext } from './context';
import { KeyedDebouncer } from './debounce';
import { diagnose } from './diagnose';
import type { Handler } from './handler';
import { LimitedListLinks } from './limitedLists';
import { PackagePaths } from './packagePaths';
import { ConfigurationSection, LanguageIds, ServerNotification, type LimitedListLinkParams, type ServerSettings } from '../protocol/languageServer';
import { defaultSettings, parseSettings } from './settings';

export class LanguageServer implements ServerContext {
  readonly links = new LimitedListLinks();
  readonly packagePaths: PackagePaths;
  private readonly analyses = new AnalysisCache();
  private readonly debouncer: KeyedDebouncer;
  private current: ServerSettings = defaultSettings;
  private folders: string[] = [];
  private configurationPull = false;
  private reportedSettingErrors = '';
  private readonly opened = new Set<string>();
  /** Per open conf: what its limited_list's checks depend on, as last seen. */
  private readonly listInputs = new Map<string, string>();
  readonly probe: FileProbe = cachedProbe(realProbe, 2000);
  readonly client = { snippets: false };

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    private readonly handlers: Handler[],
  ) {
    this.packagePaths = new PackagePaths((m) => this.log('warn', m));
    this.debouncer = new KeyedDebouncer(
      (uri, signal) => this.validate(uri, signal),
      (uri, e) => this.reportInternalError(uri, e),
    );
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(() => void this.initialized());
    connection.onDidChangeConfiguration((p) => void this.settingsChanged(p.settings));
    // Fires for the opening text too: that one is checked at once, edits after the delay.
    documents.onDidChangeContent((e) => {
      const first = !this.opened.has(e.document.uri);
      this.opened.add(e.document.uri);
      this.revalidate(e.document.uri, first ? 0 : undefined);
    });
    documents.onDidClose((e) => this.closed(e.document.uri));
    connection.onShutdown(() => this.debouncer.dispose());
    for (const h of handlers) h.register(this);
  }

  settings(): ServerSettings {
    return this.current;
  }

  pbulkVersion(evaluation?: ConfEvaluation): PbulkVersion {
    return resolvePbulkVersion({ pbulkVersion: this.current.pbulkVersion, probe: this.probe }, evaluation);
  }

  workspaceFolders(): string[] {
    return this.folders;
  }

  analysisOf(uri: string): Analysis | undefined {
    const td = this.documents.get(uri);
    return td ? this.analyses.get(td) : undefined;
  }

  revalidate(uri: string, delayMs = this.current.conf.validationDelay): void {
    if (this.documents.get(uri)) this.debouncer.schedule(uri, delayMs);
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.connection.console[level === 'warn' ? 'warn' : level](message);
  }

  private initialize(p: InitializeParams): InitializeResult {
    this.configurationPull = p.capabilities.workspace?.configuration === true;
    this.client.snippets = p.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    this.folders = (p.workspaceFolders ?? []).map((f) => uriToFile(f.uri)).filter((f) => f.startsWith('/'));
    if (this.folders.length === 0 && p.rootUri) this.folders = [uriToFile(p.rootUri)];
    if (p.initializationOptions) this.applySettings(p.initializationOptions);
    const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };
    for (const h of this.handlers) Object.assign(capabilities, h.capabilities);
    return { capabilities, serverInfo: { name: 'pkgsrc-bulk pbulk.conf server' } };
  }

  private async initialized(): Promise<void> {
    if (this.configurationPull) {
      // Ask to be told about changes; the notification then carries no settings and we pull them.
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: ConfigurationSection }).catch(() => undefined);
      await this.pullSettings();
    }
  }

  private async settingsChanged(pushed: unknown): Promise<void> {
    if (this.configurationPull) await this.pullSettings();
    else if (pushed && typeof pushed === 'object' && ConfigurationSection in pushed)
      this.applySettings((pushed as Record<string, unknown>)[ConfigurationSection]);
    this.packagePaths.clear();
    for (const d of this.documents.all()) this.revalidate(d.uri, 0);
  }

  private async pullSettings(): Promise<void> {
    try {
      const [raw] = await this.connection.workspace.getConfiguration([{ section: ConfigurationSection }]);
      this.applySettings(raw);
    } catch (e) {
      this.log('warn', `could not read the ${ConfigurationSection} settings: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private applySettings(raw: unknown): void {
    const { settings, errors } = parseSettings(raw);
    this.current = settings;
    const report = errors.join('\n');
    if (report !== '' && report !== this.reportedSettingErrors) {
      this.log('warn', report);
      void this.connection.window.showWarningMessage(`pkgsrc bulk settings: ${errors.join('; ')}`);
    }
    this.reportedSettingErrors = report;
  }

  private closed(uri: string): void {
    this.debouncer.cancel(uri);
    this.opened.delete(uri);
    this.analyses.delete(uri);
    this.links.forget(uri);
    this.listInputs.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async validate(uri: string, signal: AbortSignal): Promise<void> {
    const td = this.documents.get(uri);
    if (!td) return;
    const version = td.version;
    const analysis = this.analyses.get(td);
    if (analysis.kind === 'conf') this.linkChanged(analysis.uri, analysis.file, analysis);
    const diagnostics: Diagnostic[] = await diagnose(this, analysis, signal);
    if (signal.aborted || this.documents.get(uri)?.version !== version) return;
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /** Tells the client which file a conf names as limited_list, and re-checks that list if open. */
  private linkChanged(uri: string, file: string, analysis: Extract<Analysis, { kind: 'conf' }>): void {
    const before = this.links.listOf(uri);
    const changed = this.links.update(uri, file, analysis.evaluation);
    if (changed !== undefined) {
      const params: LimitedListLinkParams = { conf: uri, limitedList: changed };
      void this.connection.sendNotification(ServerNotification.limitedListLink, params);
    }
    // The list's checks depend on the conf's pkgsrc, master_mode and config_version: re-check
    // the list when one of them (or the link) changed, not on every keystroke in the conf.
    const inputs = JSON.stringify([this.links.listOf(uri), ...['pkgsrc', 'master_mode', 'config_version'].map((n) => staticValue(analysis.evaluation, n))]);
    if (this.listInputs.get(uri) === inputs) return;
    this.listInputs.set(uri, inputs);
    for (const list of new Set([before, this.links.listOf(uri)])) {
      if (!list) continue;
      for (const d of this.documents.all()) if (d.languageId === LanguageIds.limitedList && uriToFile(d.uri) === list) this.revalidate(d.uri);
    }
  }

  private reportInternalError(uri: string, e: unknown): void {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.log('error', `checking ${uri} failed: ${message}`);
    const diagnostic: Diagnostic = {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 1,
      source: 'pkgsrc-bulk',
      code: 'internal-error',
      message: `Internal error while checking this file; its other problems are not shown. ${e instanceof Error ? e.message : String(e)}`,
    };
    void this.connection.sendDiagnostics({ uri, diagnostics: [diagnostic] });
  }
}
