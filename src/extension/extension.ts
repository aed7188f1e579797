// Extension entry point: wires each feature; the features live in their own files.
import * as vscode from 'vscode';
import { startLanguageClient } from './languageClient';

export interface PkgsrcBulkApi {
  /** Exposed for the extension-host tests. */
  readonly version: string;
}

export async function activate(context: vscode.ExtensionContext): Promise<PkgsrcBulkApi> {
  const output = vscode.window.createOutputChannel('pkgsrc bulk', { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(startLanguageClient(context, output));
  return { version: String(context.extension.packageJSON.version) };
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
