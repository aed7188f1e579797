// The report view: a webview whose page is media/report.html (a template: the nonce, the CSP
// source and the asset URIs are filled in) and whose script, media/report.js, draws what the
// extension posts: totals, top breakers, all failures, the timeline of the build slots and the
// broken-dependency graph. It follows the build controller, live or finished, and sends back
// the links the user follows (a log, a Makefile, a rebuild).
import * as vscode from 'vscode';
import type { BuildController } from '../builds/controller';
import { webviewPage } from '../webviewPage';
import type { SinceData } from '../history/sinceData';
import { reportData, totalsOf, type ReportData } from './data';
import { repositoryView } from '../publish/view';

const REPORT_VIEW_TYPE = 'pkgsrcBulk.report';

type FromWebview =
  | { type: 'ready' }
  | { type: 'openLog'; pkgname: string }
  | { type: 'openMakefile'; location: string }
  | { type: 'rebuild'; pkgname: string }
  | { type: 'publish' }
  | { type: 'mailReport' }
  | { type: 'pickRun' };

function isFromWebview(m: unknown): m is FromWebview {
  if (typeof m !== 'object' || m === null) return false;
  const x = m as Record<string, unknown>;
  switch (x.type) {
    case 'ready':
    case 'publish':
    case 'mailReport':
    case 'pickRun':
      return true;
    case 'openLog':
    case 'rebuild':
      return typeof x.pkgname === 'string';
    case 'openMakefile':
      return typeof x.location === 'string';
    default:
      return false;
  }
}

const posted = new vscode.EventEmitter<ReportData>();

/** The run history's section of the report, and when it changes. */
let since: { data(): SinceData; onDidChange: vscode.Event<void> } | undefined;
export function provideReportSince(s: typeof since): void {
  since = s;
}
/** Fires with the data each time a report view is given fresh data. */
export const onReportData = posted.event;

export class ReportPanel implements vscode.Disposable {
  private static current: ReportPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ready = false;
  private posting: Promise<void> = Promise.resolve();
  /** The last data posted (for tests through the extension API). */
  last: ReportData | undefined;

  static show(context: vscode.ExtensionContext, controller: BuildController): ReportPanel {
    if (ReportPanel.current) {
      ReportPanel.current.panel.reveal(undefined, false);
      ReportPanel.current.schedule(0);
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'pkgsrc Build Report', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    ReportPanel.current = new ReportPanel(panel, context, controller);
    return ReportPanel.current;
  }

  static get open(): ReportPanel | undefined {
    return ReportPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly controller: BuildController,
  ) {
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'pkgsrc.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.received(m)),
      panel.onDidChangeViewState(() => panel.visible && this.schedule(0)),
      controller.onDidChange(() => this.schedule()),
      ...(since ? [since.onDidChange(() => this.schedule())] : []),
    );
    void this.render();
  }

  private async render(): Promise<void> {
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    this.panel.webview.html = await webviewPage(this.panel.webview, media, 'report.html', {
      scriptUri: 'report.js',
      sinceScriptUri: 'report-since.js',
      styleUri: 'report.css',
    });
  }

  /** Posts fresh data soon (at once with 0); while a build runs, at most every two seconds. */
  schedule(delay?: number): void {
    if (!this.ready) return;
    const d = delay ?? (this.controller.building ? 2000 : 300);
    if (this.timer) {
      if (delay !== 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.panel.visible) this.posting = this.posting.then(() => this.post());
    }, d);
  }

  private async post(): Promise<void> {
    const c = this.controller;
    const b = c.bulklog;
    if (!b) {
      await this.panel.webview.postMessage({
        type: 'empty',
        message: c.shownBulklog ? `No build in ${c.shownBulklog} yet.` : 'No bulklog: choose a pbulk.conf, run a build, or open a bulklog from disk.',
      });
      return;
    }
    const live = c.building;
    const data = await reportData(b, {
      timeline: live ? c.model.timeline() : c.timeline.length > 0 ? c.timeline : c.model.timeline(),
      running: live
        ? c.model
            .running()
            .flatMap((p) =>
              p.slot !== undefined && p.startedAt !== undefined
                ? [{ pkgname: p.pkgname, slot: p.slot, start: p.startedAt, ...(p.host ? { host: p.host } : {}) }]
                : [],
            )
        : [],
      live,
    });
    if (since) data.since = since.data();
    if (live) {
      // The bulklog read lags the events a little: show the states the events gave.
      Object.assign(data, totalsOf(c.model.counts()));
    }
    const repository = await repositoryView(b.dir);
    if (repository) data.repository = repository;
    this.last = data;
    await this.panel.webview.postMessage({ type: 'data', data });
    posted.fire(data);
  }

  private async received(m: unknown): Promise<void> {
    if (!isFromWebview(m)) return;
    const b = this.controller.bulklog;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.schedule(0);
        return;
      case 'openLog':
        if (b) await vscode.commands.executeCommand('pkgsrcBulk.showLog', { bulklog: b.dir, pkgname: m.pkgname, column: vscode.ViewColumn.Beside });
        return;
      case 'openMakefile':
        await vscode.commands.executeCommand('pkgsrcBulk.openDependency', { location: m.location, pkgname: m.location, column: vscode.ViewColumn.Beside });
        return;
      case 'rebuild':
        await vscode.commands.executeCommand('pkgsrcBulk.rebuildPackage', { pkgnames: [m.pkgname] });
        return;
      case 'publish':
        await vscode.commands.executeCommand('pkgsrcBulk.publish');
        return;
      case 'mailReport':
        await vscode.commands.executeCommand('pkgsrcBulk.mailReport');
        return;
      case 'pickRun':
        await vscode.commands.executeCommand('pkgsrcBulk.openEarlierRun');
        return;
    }
  }

  dispose(): void {
    if (ReportPanel.current === this) ReportPanel.current = undefined;
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
