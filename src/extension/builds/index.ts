// Builds from the editor: the active pbulk.conf, the engine connection and build controller,
// progress, the Packages view's states, log documents, diagnostics with their code actions, the
// report view, and the commands. Context keys for the menus' when-clauses follow the controller.
import * as vscode from 'vscode';
import { BuildCodeActions } from '../diagnostics/codeActions';
import { LogDocuments } from '../logs/provider';
import { LOG_SCHEME } from '../logs/uri';
import type { ReportData } from '../report/data';
import { onReportData, provideReportSince, ReportPanel } from '../report/panel';
import { registerHistory, type HistoryApi } from '../history';
import type { Node } from '../tree/items';
import type { PackagesView } from '../tree/view';
import { registerBuildCommands } from './commands';
import { registerPublishCommands } from '../publish/commands';
import { ConfigChooser } from './configs';
import { BuildController } from './controller';
import { EngineOutput } from '../engine/engineOutput';
import { BuildProgress } from './progress';
import { ControllerStates } from './treeStates';

export interface BuildsApi {
  readonly controller: BuildController;
  readonly configs: ConfigChooser;
  readonly logs: LogDocuments;
  /** Resolves once the active pbulk.conf was read and its bulklog shown (or a running build attached). */
  ready(): Promise<void>;
  /** The open report view, if any. */
  report(): ReportPanel | undefined;
  /** Fires when a report view is given fresh data. */
  readonly onReportData: vscode.Event<ReportData>;
  /** The run history: what changed since the previous run. */
  readonly history: HistoryApi;
}

export function registerBuilds(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, packages: PackagesView): BuildsApi {
  const output = new EngineOutput();
  const configs = new ConfigChooser(context);
  const controller = new BuildController({ context, log, output, configs, treeRoot: () => packages.root });
  const logs = new LogDocuments(controller);
  const states = new ControllerStates(controller);
  packages.setStateSource(states);
  const progress = new BuildProgress(controller);
  const history = registerHistory(context, controller, log, () => packages.root);
  provideReportSince({ data: () => history.history.reportSection(), onDidChange: history.history.onDidChange });
  // The selection as its events report it: treeView.selection alone was seen empty after a
  // multi-selection when nothing listened to the events.
  let selection: readonly Node[] = [];
  context.subscriptions.push(packages.treeView.onDidChangeSelection((e) => (selection = e.selection)));
  context.subscriptions.push(
    output,
    configs,
    controller,
    logs,
    states,
    progress,
    vscode.languages.registerCodeActionsProvider(
      [{ scheme: 'file' }, { scheme: LOG_SCHEME }],
      new BuildCodeActions(controller.diagnostics),
      BuildCodeActions.metadata,
    ),
    ...registerBuildCommands({
      context,
      controller,
      configs,
      packages,
      logs,
      output,
      log,
      selection: () => (selection.length > 0 ? selection : packages.treeView.selection),
    }),
    ...registerPublishCommands({ controller, output, log }),
    controller.onDidChange(() => {
      const c = controller.model.counts();
      void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.hasFailures', !controller.building && c.failed > 0);
      void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.canResume', !controller.building && controller.resumable !== undefined);
      void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.hasBulklog', controller.bulklog !== undefined);
    }),
    configs.onDidChange((c) => void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.hasConfig', c !== undefined)),
  );
  void vscode.commands.executeCommand('setContext', 'pkgsrcBulk.building', false);
  const ready = controller.init().catch((e: unknown) => log.error(`builds: ${(e as Error).stack ?? String(e)}`));
  return { controller, configs, logs, ready: () => ready, report: () => ReportPanel.open, onReportData, history };
}
