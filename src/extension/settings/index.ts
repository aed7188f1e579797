// The pbulk.conf settings form: its custom editor and the commands that switch a pbulk.conf
// between the form and the text editor (the buttons in the editor title).
import * as vscode from 'vscode';
import { SETTINGS_VIEW_TYPE, SettingsEditorProvider } from './editor';

export { SETTINGS_VIEW_TYPE, onSettingsModel } from './editor';

/** The file of the active editor, text or custom. */
function activeUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

async function reopen(uri: unknown, viewType: string): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : activeUri();
  if (!target) {
    void vscode.window.showInformationMessage('Open a pbulk.conf first.');
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', target, viewType, { preview: false });
}

export function registerSettingsEditor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(SETTINGS_VIEW_TYPE, new SettingsEditorProvider(context, log), {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { enableFindWidget: true },
    }),
    vscode.commands.registerCommand('pkgsrcBulk.openSettingsEditor', (uri?: unknown) => reopen(uri, SETTINGS_VIEW_TYPE)),
    vscode.commands.registerCommand('pkgsrcBulk.openSettingsText', (uri?: unknown) => reopen(uri, 'default')),
  );
}
