// Build states shown in the Packages view. The view takes them from a BuildStateSource (the
// build controller's, builds/treeStates.ts). States are keyed by package path; a multi-version
// location shows the state of its worst variant.
import * as vscode from 'vscode';
import { STATE_LOOK, type BuildState } from '../../pkgsrc/states';
import type { LocationState } from './stateMap';

export { variantText } from './stateMap';
export type { LocationState, VariantState } from './stateMap';

/** Where the view gets states from; it redraws on onDidChange. */
export interface BuildStateSource extends vscode.Disposable {
  readonly onDidChange: vscode.Event<void>;
  /** Package path -> state; a path that is absent is not in the build shown. */
  states(): ReadonlyMap<string, LocationState>;
  /** One line on what the states come from, shown above the tree (undefined: nothing). */
  describe(): string | undefined;
}

/** A state's one icon, as src/pkgsrc/states.ts draws it; a package outside the build shown has none. */
export function stateIcon(s: BuildState | undefined): vscode.ThemeIcon {
  if (s === undefined) return new vscode.ThemeIcon('package');
  const look = STATE_LOOK[s];
  return new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
}
