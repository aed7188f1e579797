// Extension entry point: wires each feature; the features live in their own files.
import * as vscode from 'vscode';
import { registerBuilds } from './builds';
import type { BuildsApi } from './builds';
import { startLanguageClient } from './languageClient';
import { registerSettingsEditor } from './settings';
import { registerPackagesView } from './tree';
import { registerWalkthrough } from './walkthrough';
import type { PackagesView } from './tree';

export interface PkgsrcBulkApi {
  /** Exposed for the extension-host tests. */
  readonly version: string;
  /** The Packages view: its model, provider, TreeView, and setStateSource() for build states. */
  readonly packages: PackagesView;
  /** Builds: the controller (model, bulklog, diagnostics), the active pbulk.conf, log documents, the report. */
  readonly builds: BuildsApi;
}

export async function activate(context: vscode.ExtensionContext): Promise<PkgsrcBulkApi> {
  const output = vscode.window.createOutputChannel('pkgsrc bulk', { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(startLanguageClient(context, output));
  const packages = registerPackagesView(context, output);
  const builds = registerBuilds(context, output, packages);
  registerSettingsEditor(context, output);
  registerWalkthrough(context, builds.configs, output);
  return { version: String(context.extension.packageJSON.version), packages, builds };
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
