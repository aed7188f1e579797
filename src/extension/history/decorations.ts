// Marks on the package Makefiles of what changed since the previous run: a badge in the
// Packages view (its rows carry the Makefile as their resource), the explorer and the editor
// tabs. N: a new failure; F: fixed (it builds again).
import { join } from 'node:path';
import * as vscode from 'vscode';
import { STATE_LOOK, State } from '../../pkgsrc/states';
import type { PackageChangeMark, RunHistory } from './runHistory';

// In the colours of the failed and built states' icons, as the tree and Problems draw them.
const LOOK: Record<PackageChangeMark, { badge: string; tooltip: string; color: string }> = {
  'new-failure': { badge: 'N', tooltip: 'New failure: failed in this run, not in the previous one', color: STATE_LOOK[State.Failed].color! },
  fixed: { badge: 'F', tooltip: 'Fixed: built in this run, not in the previous one', color: STATE_LOOK[State.Built].color! },
};

export class HistoryDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.emitter.event;
  private byPath = new Map<string, PackageChangeMark>();
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly history: RunHistory,
    private readonly treeRoot: () => string | undefined,
  ) {
    this.sub = history.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const root = this.treeRoot();
    const next = new Map<string, PackageChangeMark>();
    if (root) for (const [loc, m] of this.history.markedLocations()) next.set(join(root, loc, 'Makefile'), m);
    const changed = new Set([...this.byPath.keys(), ...next.keys()].filter((p) => this.byPath.get(p) !== next.get(p)));
    this.byPath = next;
    if (changed.size > 0) this.emitter.fire([...changed].map((p) => vscode.Uri.file(p)));
  }

  /** The mark of a file (tests ask it directly). */
  markOf(uri: vscode.Uri): PackageChangeMark | undefined {
    return uri.scheme === 'file' ? this.byPath.get(uri.fsPath) : undefined;
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const m = this.markOf(uri);
    if (!m) return undefined;
    const look = LOOK[m];
    return new vscode.FileDecoration(look.badge, look.tooltip, new vscode.ThemeColor(look.color));
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
