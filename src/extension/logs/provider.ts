// The read-only log documents (`pkgsrc-log:` URIs): content from the package's log directory,
// its phases and their banners as document symbols and folding ranges, and live following
// while the package builds: the text comes from the engine's log chunks (LiveLog) and is
// refreshed as they arrive, and editors scrolled to the end stay at the end.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readPackageLogs } from '../../pkgsrc/bulklog/logs';
import type { Phase } from '../../pkgsrc/bulklog/phases';
import type { BuildState } from '../../pkgsrc/bulklog/states';
import { analyzeFailureLog } from '../../pkgsrc/problems';
import type { LogChunk } from '../../protocol/logs';
import { LiveLog } from './liveLog';
import { composeLogDocument, documentLine, MAX_PHASE_LOG_BYTES, phasePart, readLogDocument, type LogDocument } from './logDocument';
import { LOG_SCHEME, logUri, parseLogUri } from './uri';

export interface LogPackageInfo {
  location?: string | undefined;
  /** Joined on the document's first line. */
  facts: string[];
  building: boolean;
  state?: BuildState;
  failingPhase?: Phase | undefined;
  failingLog?: string | undefined;
  /** Shown when the package has no log directory. */
  noLogs: string;
}

/** What the documents need from the build controller. */
export interface LogInfoSource {
  info(bulklog: string, pkgname: string): LogPackageInfo;
  /** Fires with a PKGNAME when its logs grow, its phase changes or it finishes. */
  readonly onPackageActivity: vscode.Event<string>;
  /** Log text of followed packages as the engine writes it. */
  readonly onLogChunk: vscode.Event<LogChunk>;
  follow(pkgname: string): void;
  unfollow(pkgname: string): void;
}

const REFRESH_MS = 250;

/** The logs of a building package as the files hold them now, to be followed from the engine's chunks. */
async function seedLive(bulklog: string, pkgname: string): Promise<LiveLog | undefined> {
  const live = new LiveLog(join(bulklog, pkgname));
  const pl = await readPackageLogs(bulklog, pkgname);
  for (const f of pl?.files ?? []) {
    if (!f.phase) continue;
    if (f.size > MAX_PHASE_LOG_BYTES) return undefined;
    const bytes = await readFile(f.path).catch(() => undefined);
    if (bytes) live.seed(f.phase, bytes.toString('utf8'), bytes.length);
  }
  return live;
}

export class LogDocuments implements vscode.TextDocumentContentProvider, vscode.DocumentSymbolProvider, vscode.FoldingRangeProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly docs = new Map<string, LogDocument>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly followed = new Set<string>();
  /** Logs of building packages held from the engine's chunks, per document. */
  private readonly live = new Map<string, LiveLog>();
  /** Editors that showed the last line before a refresh: they follow the end. */
  private readonly atEnd = new Map<string, vscode.TextEditor[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly source: LogInfoSource) {
    const selector = { scheme: LOG_SCHEME };
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, this),
      vscode.languages.registerDocumentSymbolProvider(selector, this, { label: 'pkgsrc log phases' }),
      vscode.languages.registerFoldingRangeProvider(selector, this),
      source.onPackageActivity((pkgname) => this.activity(pkgname)),
      source.onLogChunk((c) => this.chunk(c)),
      vscode.workspace.onDidOpenTextDocument((d) => this.opened(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.followEnd(e.document)),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const p = parseLogUri(uri);
    if (!p) return `Not a package log URI: ${uri.toString()}`;
    const key = uri.toString();
    const info = this.source.info(p.bulklog, p.pkgname);
    const header = { pkgname: p.pkgname, location: info.location, facts: info.facts };
    let live = this.live.get(key);
    if (!live && info.building) {
      live = await seedLive(p.bulklog, p.pkgname);
      if (live) this.live.set(key, live);
    }
    if (live && info.building) return this.keep(key, composeLogDocument(header, live.logs(), info.noLogs));
    if (live && info.state === 'done' && !live.empty) {
      // Built: pbulk removes the logs of a package that builds; show what they held.
      const doc = composeLogDocument(header, live.logs(), info.noLogs);
      return this.keep(key, { ...doc, text: `${doc.text}\n${info.noLogs} Above is what they held.\n` });
    }
    this.live.delete(key);
    return this.keep(key, await readLogDocument(p.bulklog, header, info.noLogs));
  }

  private keep(key: string, doc: LogDocument): string {
    this.docs.set(key, doc);
    return doc.text;
  }

  private chunk(c: LogChunk): void {
    for (const [key, live] of this.live) {
      const p = parseLogUri(vscode.Uri.parse(key));
      if (p?.pkgname !== c.pkgname) continue;
      // A missed chunk or a runaway log: read the files instead.
      if (live.apply(c.phase, c.offset, c.text) !== 'applied') this.live.delete(key);
    }
    this.activity(c.pkgname);
  }

  /** The composed document behind a URI (after its content was provided). */
  document(uri: vscode.Uri): LogDocument | undefined {
    return this.docs.get(uri.toString());
  }

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const doc = this.docs.get(document.uri.toString());
    if (!doc) return [];
    const last = Math.max(0, document.lineCount - 1);
    const clampLine = (l: number) => Math.min(Math.max(0, l), last);
    const rangeOf = (a: number, b: number) => new vscode.Range(clampLine(a), 0, clampLine(b), document.lineAt(clampLine(b)).text.length);
    return doc.parts.map((p) => {
      const s = new vscode.DocumentSymbol(
        p.name,
        p.phase ? `${p.phase} phase` : '',
        p.phase ? vscode.SymbolKind.Module : vscode.SymbolKind.File,
        rangeOf(p.titleLine, p.endLine),
        rangeOf(p.titleLine, p.titleLine),
      );
      s.children = p.sections.map(
        (x) => new vscode.DocumentSymbol(x.title, '', vscode.SymbolKind.Event, rangeOf(x.startLine, x.endLine), rangeOf(x.startLine, x.startLine)),
      );
      return s;
    });
  }

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const doc = this.docs.get(document.uri.toString());
    if (!doc) return [];
    const out: vscode.FoldingRange[] = [];
    for (const p of doc.parts) {
      if (p.endLine > p.titleLine) out.push(new vscode.FoldingRange(p.titleLine, p.endLine, vscode.FoldingRangeKind.Region));
      for (const s of p.sections) if (s.endLine > s.startLine) out.push(new vscode.FoldingRange(s.startLine, s.endLine));
    }
    return out;
  }

  private opened(d: vscode.TextDocument): void {
    const p = parseLogUri(d.uri);
    if (!p) return;
    if (d.languageId !== 'log') void vscode.languages.setTextDocumentLanguage(d, 'log').then(undefined, () => undefined);
    if (this.source.info(p.bulklog, p.pkgname).building && !this.followed.has(p.pkgname)) {
      this.followed.add(p.pkgname);
      this.source.follow(p.pkgname);
    }
  }

  private closed(d: vscode.TextDocument): void {
    const p = parseLogUri(d.uri);
    if (!p) return;
    this.docs.delete(d.uri.toString());
    this.live.delete(d.uri.toString());
    if (this.followed.delete(p.pkgname)) this.source.unfollow(p.pkgname);
  }

  private activity(pkgname: string): void {
    for (const d of vscode.workspace.textDocuments) {
      const p = parseLogUri(d.uri);
      if (!p || p.pkgname !== pkgname) continue;
      const key = d.uri.toString();
      if (this.timers.has(key)) continue;
      this.timers.set(
        key,
        setTimeout(() => {
          this.timers.delete(key);
          this.refresh(d);
        }, REFRESH_MS),
      );
      const info = this.source.info(p.bulklog, p.pkgname);
      if (info.building && !this.followed.has(pkgname)) {
        this.followed.add(pkgname);
        this.source.follow(pkgname);
      } else if (!info.building && this.followed.delete(pkgname)) {
        this.source.unfollow(pkgname);
      }
    }
  }

  private refresh(d: vscode.TextDocument): void {
    const key = d.uri.toString();
    const last = d.lineCount - 1;
    this.atEnd.set(
      key,
      vscode.window.visibleTextEditors.filter((e) => e.document === d && e.visibleRanges.some((r) => r.end.line >= last - 1)),
    );
    this.changed.fire(d.uri);
  }

  private followEnd(d: vscode.TextDocument): void {
    const editors = this.atEnd.get(d.uri.toString());
    if (!editors) return;
    this.atEnd.delete(d.uri.toString());
    const end = new vscode.Position(Math.max(0, d.lineCount - 1), 0);
    for (const e of editors) e.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
  }

  /**
   * Opens a package's log document at `line`; without one, at the first error of the failing
   * phase (or that phase's title), or at the end while the package builds.
   */
  async open(bulklog: string, pkgname: string, line?: number, opts: { preview?: boolean; column?: vscode.ViewColumn } = {}): Promise<vscode.TextEditor> {
    const uri = logUri(bulklog, pkgname);
    const document = await vscode.workspace.openTextDocument(uri);
    let target = line;
    const doc = this.docs.get(uri.toString());
    if (target === undefined && doc) {
      const info = this.source.info(bulklog, pkgname);
      if (info.building) target = document.lineCount - 1;
      else if (info.failingLog) {
        const a = await analyzeFailureLog(info.failingLog, { maxErrors: 1 }).catch(() => undefined);
        if (a?.firstErrorLine !== undefined) target = documentLine(doc, info.failingLog, a.firstErrorLine);
        if (target === undefined && info.failingPhase) target = phasePart(doc, info.failingPhase)?.titleLine;
      }
    }
    const at = new vscode.Position(Math.min(Math.max(0, target ?? 0), Math.max(0, document.lineCount - 1)), 0);
    const editor = await vscode.window.showTextDocument(document, {
      preview: opts.preview ?? true,
      selection: new vscode.Range(at, at),
      ...(opts.column ? { viewColumn: opts.column } : {}),
    });
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const p of this.followed) this.source.unfollow(p);
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
