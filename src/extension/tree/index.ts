// The Packages view of the pkgsrc activity-bar container, with its commands.
import type * as vscode from 'vscode';
import { registerTreeCommands } from './commands';
import { PackagesView } from './view';

export { PackagesView } from './view';
export { PackagesProvider } from './provider';
export type { BuildStateSource, LocationState, VariantState } from './states';
export type { Node } from './items';
export { packagePicks } from './commands';

export function registerPackagesView(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): PackagesView {
  const view = new PackagesView(context, log);
  context.subscriptions.push(view, ...registerTreeCommands(view));
  return view;
}
