// Progress of the running build: a notification (its cancel button stops the build) that names
// the packages building now, and a status-bar item with built / failed / left and an ETA; when
// no build runs the item sums up the bulklog shown and opens its report.
import * as vscode from 'vscode';
import type { BuildController } from './controller';
import { STATE_LOOK, formatCounts, worstState } from '../../pkgsrc/states';
import { countsText, progressText } from './model';

export class BuildProgress implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('pkgsrcBulk.build', vscode.StatusBarAlignment.Left, 39);
  private finishNotification: (() => void) | undefined;
  private report: ((message: string, increment: number) => void) | undefined;
  private lastFraction = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly controller: BuildController) {
    this.item.name = 'pkgsrc: build progress';
    this.disposables.push(
      this.item,
      controller.onDidChange(() => this.update()),
      controller.onDidChangeRun((e) => (e.started ? this.begin() : this.end())),
    );
    this.update();
  }

  private begin(): void {
    if (this.finishNotification) return;
    this.lastFraction = 0;
    // The ETA moves with time, not only with events.
    this.ticker = setInterval(() => this.update(), 5000);
    void vscode.window
      .withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'pkgsrc bulk build', cancellable: true },
        (progress, token) =>
          new Promise<void>((resolve) => {
            this.finishNotification = resolve;
            this.report = (message, increment) => progress.report({ message, increment });
            token.onCancellationRequested(() => {
              void vscode.commands.executeCommand('pkgsrcBulk.stop');
              resolve();
            });
            this.update();
          }),
      )
      .then(() => {
        this.finishNotification = undefined;
        this.report = undefined;
      });
  }

  private end(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.finishNotification?.();
    this.finishNotification = undefined;
    this.report = undefined;
    this.update();
  }

  private update(): void {
    const c = this.controller;
    const m = c.model;
    const now = Date.now();
    if (c.building) {
      const text = progressText(m, now);
      this.item.text = `$(sync~spin) pkgsrc: ${text}`;
      this.item.tooltip = `Building into ${c.shownBulklog}\n${countsText(m)}\n\nClick to show the Packages view.`;
      this.item.command = 'pkgsrcBulk.packages.focus';
      this.item.backgroundColor = undefined;
      this.item.show();
      if (this.report) {
        const counts = m.counts();
        const total = Math.max(1, m.total);
        const fraction = m.stage === 'building' || m.stage === 'reporting' ? (total - counts.open - counts.in_processing) / total : 0;
        const running = m.running().map((p) => `${p.pkgname}${p.phase || p.host ? ` (${[p.phase, p.host && `on ${p.host}`].filter(Boolean).join(' ')})` : ''}`);
        const message = `${text}${running.length ? ` — ${running.slice(0, 3).join(', ')}${running.length > 3 ? ` +${running.length - 3}` : ''}` : ''}`;
        const increment = Math.max(0, (fraction - this.lastFraction) * 100);
        this.lastFraction = Math.max(this.lastFraction, fraction);
        this.report(message, increment);
      }
      return;
    }
    if (c.bulklog && m.total > 0) {
      const counts = m.counts();
      this.item.text = `$(${STATE_LOOK[worstState(counts)].icon}) pkgsrc: ${formatCounts(counts)}`;
      this.item.tooltip = `Last build in ${c.shownBulklog}\n${countsText(m)}\n\nClick to open the report.`;
      this.item.command = 'pkgsrcBulk.openReport';
      this.item.show();
      return;
    }
    this.item.hide();
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.finishNotification?.();
    for (const d of this.disposables) d.dispose();
  }
}
