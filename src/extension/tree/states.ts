// Build states shown in the Packages view. The view takes them from a BuildStateSource: today a
// bulklog named in the settings (bulklogStates.ts), later the engine's live events. States are
// keyed by package path; a multi-version location shows the state of its worst variant.
import * as vscode from 'vscode';

export const PACKAGE_STATES = ['unknown', 'queued', 'building', 'done', 'failed', 'indirect-failed', 'prefailed', 'indirect-prefailed'] as const;
export type PackageState = (typeof PACKAGE_STATES)[number];

export interface VariantState {
  pkgname: string;
  state: PackageState;
  /** e.g. the failing phase, or the packages an indirect failure comes from. */
  detail?: string;
}

export interface LocationState {
  state: PackageState;
  variants: VariantState[];
}

/** Where the view gets states from; it redraws on onDidChange. */
export interface BuildStateSource extends vscode.Disposable {
  readonly onDidChange: vscode.Event<void>;
  /** Package path -> state; a path that is absent is `unknown`. */
  states(): ReadonlyMap<string, LocationState>;
  /** One line on what the states come from, shown above the tree (undefined: nothing). */
  describe(): string | undefined;
}

/** Which variant's state a location shows: the one a user most needs to see. */
const precedence: PackageState[] = ['failed', 'building', 'indirect-failed', 'prefailed', 'indirect-prefailed', 'queued', 'done', 'unknown'];

export function locationState(variants: VariantState[]): LocationState {
  let best: PackageState = 'unknown';
  for (const v of variants) if (precedence.indexOf(v.state) < precedence.indexOf(best)) best = v.state;
  return { state: best, variants };
}

/** pbulk's own names (meta/pbuild, meta/report) onto the view's. */
export function fromPbulkState(s: string): PackageState {
  switch (s) {
    case 'open':
      return 'queued';
    case 'in_processing':
      return 'building';
    case 'done':
    case 'failed':
    case 'prefailed':
    case 'indirect-failed':
    case 'indirect-prefailed':
      return s;
    default:
      return 'unknown';
  }
}

export const STATE_TEXT: Record<PackageState, string> = {
  unknown: 'not built',
  queued: 'queued',
  building: 'building',
  done: 'built',
  failed: 'failed',
  'indirect-failed': 'depends on a failed package',
  prefailed: 'broken or masked (not built)',
  'indirect-prefailed': 'depends on a broken or masked package',
};

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
