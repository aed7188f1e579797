// The run history in the editor: what changed since the previous run (RunHistory), marked on
// the package Makefiles, in Problems and in the report view, and the run picker.
import * as vscode from 'vscode';
import type { BuildController } from '../builds/controller';
import { registerHistoryCommands } from './commands';
import { HistoryDecorations } from './decorations';
import { ProblemsLens } from './problemsLens';
import { RunHistory } from './runHistory';

export interface HistoryApi {
  readonly history: RunHistory;
  readonly decorations: HistoryDecorations;
  readonly lens: ProblemsLens;
}

export function registerHistory(
  context: vscode.ExtensionContext,
  controller: BuildController,
  log: vscode.LogOutputChannel,
  treeRoot: () => string | undefined,
): HistoryApi {
  const history = new RunHistory(controller, log);
  const decorations = new HistoryDecorations(history, treeRoot);
  const lens = new ProblemsLens(history, controller.diagnostics);
  const settingsFile = () => vscode.workspace.getConfiguration('pkgsrcBulk').get<string>('engine.settingsFile', '').trim() || undefined;
  context.subscriptions.push(
    history,
    decorations,
    lens,
    vscode.window.registerFileDecorationProvider(decorations),
    ...registerHistoryCommands({ controller, history, lens, log, settingsFile }),
  );
  return { history, decorations, lens };
}
