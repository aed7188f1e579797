// Problems and the run history: the diagnostics of packages that fail now and did not in the
// previous run say so in their source ("pkgsrc bulk · new failure", which the Problems filter
// finds), and Show Only New Failures hides every other build diagnostic until Show All Build
// Problems.
import * as vscode from 'vscode';
import type { BuildDiagnostics } from '../diagnostics/collection';
import type { RunHistory } from './runHistory';

const NEW_FAILURE_LABEL = 'new failure';

export class ProblemsLens implements vscode.Disposable {
  private onlyNew = false;
  private applied = '';
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly history: RunHistory,
    private readonly diagnostics: BuildDiagnostics,
  ) {
    this.sub = history.onDidChange(() => this.apply());
    void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.newFailuresOnly', false);
  }

  get newFailuresOnly(): boolean {
    return this.onlyNew;
  }

  setNewFailuresOnly(on: boolean): void {
    this.onlyNew = on;
    void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.newFailuresOnly', on);
    this.apply();
  }

  private apply(): void {
    const fresh = this.history.newFailures;
    const key = `${this.onlyNew}\0${[...fresh].sort().join('\0')}`;
    if (key === this.applied) return;
    this.applied = key;
    if (!this.onlyNew && fresh.size === 0) {
      this.diagnostics.setLens(undefined);
      return;
    }
    const only = this.onlyNew;
    this.diagnostics.setLens({ shows: (owner) => !only || fresh.has(owner), label: (owner) => (fresh.has(owner) ? NEW_FAILURE_LABEL : undefined) });
  }

  dispose(): void {
    this.sub.dispose();
  }
}
