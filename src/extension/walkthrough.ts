// Getting Started: the walkthrough of package.json (contributes.walkthroughs) opens once, the
// first time the extension starts for this user, unless VS Code is told not to open walkthroughs
// (workbench.welcomePage.walkthroughs.openOnInstall). Its "Open pbulk.conf" step runs
// pkgsrcBulk.openConfig, which opens the active pbulk.conf or else offers to choose one.
import * as vscode from 'vscode';
import type { ConfigChooser } from './builds/configs';

const WALKTHROUGH_ID = 'gettingStarted';
/** globalState key: set once the walkthrough was shown on a first start. */
const SHOWN_KEY = 'pkgsrcBulk.walkthroughShown';

export function registerWalkthrough(context: vscode.ExtensionContext, configs: ConfigChooser, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('pkgsrcBulk.openConfig', async () => {
      await configs.ready();
      const file = configs.active?.file;
      if (file) await vscode.window.showTextDocument(vscode.Uri.file(file));
      else await configs.pick();
    }),
    vscode.commands.registerCommand('pkgsrcBulk.gettingStarted', () => openWalkthrough(context)),
  );
  if (context.globalState.get<boolean>(SHOWN_KEY)) return;
  if (!vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall', true)) return;
  void context.globalState.update(SHOWN_KEY, true);
  void openWalkthrough(context).catch((e: unknown) => log.warn(`Getting Started: ${(e as Error).message}`));
}

async function openWalkthrough(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
}
