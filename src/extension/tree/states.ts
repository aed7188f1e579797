// Build states shown in the Packages view. The view takes them from a BuildStateSource: today a
// bulklog named in the settings (bulklogStates.ts), later the engine's live events. States are
// keyed by package path; a multi-version location shows the state of its worst variant.
import * as vscode from 'vscode';
import type { LocationState, PackageState } from './stateMap';

export { PACKAGE_STATES, STATE_TEXT, fromPbulkState, locationState, statesOf } from './stateMap';
export type { LocationState, PackageState, VariantState } from './stateMap';

/** Where the view gets states from; it redraws on onDidChange. */
export interface BuildStateSource extends vscode.Disposable {
  readonly onDidChange: vscode.Event<void>;
  /** Package path -> state; a path that is absent is `unknown`. */
  states(): ReadonlyMap<string, LocationState>;
  /** One line on what the states come from, shown above the tree (undefined: nothing). */
  describe(): string | undefined;
}

export function stateIcon(s: PackageState): vscode.ThemeIcon {
  switch (s) {
    case 'queued':
      return new vscode.ThemeIcon('clock');
    case 'building':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'done':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'indirect-failed':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'prefailed':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped'));
    case 'indirect-prefailed':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    default:
      return new vscode.ThemeIcon('package');
  }
}

/** States set by hand or by a caller that has them already (tests, the engine client). */
export class FixedStateSource implements BuildStateSource {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private map = new Map<string, LocationState>();

  constructor(private label?: string) {}

  set(states: ReadonlyMap<string, PackageState | LocationState>, label?: string): void {
    this.map = new Map([...states].map(([k, v]) => [k, typeof v === 'string' ? { state: v, variants: [] } : v]));
    if (label !== undefined) this.label = label;
    this.emitter.fire();
  }

  states(): ReadonlyMap<string, LocationState> {
    return this.map;
  }

  describe(): string | undefined {
    return this.label;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
