// What the user is told when a build ends: finished (with its counts and where to look),
// stopped (where it stands, and Resume), or lost with its engine.
import * as vscode from 'vscode';
import { formatTotal } from '../../pkgsrc/states';
import type { build, master } from '../../protocol';
import type { EngineOutput } from '../engine/engineOutput';
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

/** Which client news was shown in the current run (a missing host is told once, not per scan round). */
const told = { runId: '', seen: new Set<string>() };

/** A client host of a multi-host build going away (or never coming) is news, not a silent gap. */
export function noticeClient(e: master.ClientEvent, log: vscode.LogOutputChannel): void {
  const text = `${e.role} client ${e.message}`;
  if (e.change === 'connected') {
    log.info(text);
    return;
  }
  log.warn(text);
  if (told.runId !== e.runId) told.seen.clear();
  told.runId = e.runId;
  const key = `${e.role} ${e.host} ${e.change}`;
  if (e.change === 'missing' && told.seen.has(key)) return;
  told.seen.add(key);
  const what =
    e.change === 'missing' ? 'has not connected' : e.change === 'dropped' ? 'was dropped' : e.change === 'garbage' ? 'broke the protocol' : 'went away';
  const left = `${e.connected} ${e.role} client${e.connected === 1 ? '' : 's'} left`;
  void vscode.window
    .showWarningMessage(
      `${e.role === 'scan' ? 'Scan' : 'Build'} host ${e.host} ${what}${e.pkgname ? `; ${e.pkgname} goes back to the queue` : ''} (${left}).`,
      'Show Details',
    )
    .then((a) => {
      if (a === 'Show Details') void vscode.window.showInformationMessage(e.message, { modal: true });
    });
}

export function noticeEngineLost(output: EngineOutput): void {
  void vscode.window
    .showWarningMessage(
      'The pkgsrc build engine went away during the build. Its output says why; Resume carries on from the bulklog.',
      'Show Engine Output',
      'Resume',
    )
    .then((a) => {
      if (a === 'Show Engine Output') output.channel.show();
      if (a === 'Resume') void vscode.commands.executeCommand('pkgsrcBulk.resume');
    });
}
