// What the user is told when a build ends: finished (with its counts and where to look),
// stopped (where it stands, and Resume), or lost with its engine.
import * as vscode from 'vscode';
import { formatTotal } from '../../pkgsrc/states';
import type { build } from '../../protocol';
import type { EngineOutput } from './engineOutput';
import type { BuildModel } from './model';

export function noticeSummary(e: build.BuildSummary, log: vscode.LogOutputChannel): void {
  const c = e.counts;
  const msg = `Build ${e.cancelled ? 'stopped' : 'finished'} — ${formatTotal(c)}.`;
  log.info(msg);
  const actions = (c.failed ?? 0) > 0 ? ['Show Problems', 'Open Report'] : ['Open Report'];
  void vscode.window.showInformationMessage(msg, ...actions).then((a) => {
    if (a === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    if (a === 'Open Report') void vscode.commands.executeCommand('pkgsrcBulk.openReport');
  });
}

/** A stopped build sends no summary (it wrote no reports): say where it stands and offer Resume. */
export function noticeStopped(model: BuildModel, log: vscode.LogOutputChannel): void {
  const msg = `Build stopped — ${formatTotal(model.counts())}. Resume carries on from the bulklog.`;
  log.info(msg);
  void vscode.window.showInformationMessage(msg, 'Resume').then((a) => {
    if (a === 'Resume') void vscode.commands.executeCommand('pkgsrcBulk.resume');
  });
}

export function noticeEngineLost(output: EngineOutput): void {
  void vscode.window.showWarningMessage('The pkgsrc build engine went away during the build. Its output says why; Resume carries on from the bulklog.', 'Show Engine Output', 'Resume').then((a) => {
    if (a === 'Show Engine Output') output.channel.show();
    if (a === 'Resume') void vscode.commands.executeCommand('pkgsrcBulk.resume');
  });
}
