// The run history's commands: Open Report of an Earlier Run... (the run picker: an earlier run
// of the shown bulklog's history becomes the shown bulklog, with its report; the current run
// takes it back), Show Only New Failures in Problems and Show All Build Problems.
import * as vscode from 'vscode';
import { formatTotal } from '../../pkgsrc/states';
import { listRuns, type StoredRun } from '../../pkgsrc/history/store';
import type { BuildController } from '../builds/controller';
import type { ProblemsLens } from './problemsLens';
import type { RunHistory } from './runHistory';
import { extractedDir, extractedRun, storeFor } from './stores';

const pad = (n: number) => String(n).padStart(2, '0');
function when(ms: number | undefined): string {
  if (ms === undefined) return 'start unknown';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

interface RunItem extends vscode.QuickPickItem {
  run?: StoredRun;
}

export interface HistoryCommandDeps {
  controller: BuildController;
  history: RunHistory;
  lens: ProblemsLens;
  log: vscode.LogOutputChannel;
  settingsFile: () => string | undefined;
}

/** Opens a run of the shown bulklog's history by id (asks with a quick pick without one); true when shown. */
export async function openEarlierRun(deps: HistoryCommandDeps, id?: string): Promise<boolean> {
  const c = deps.controller;
  const shown = c.shownBulklog;
  if (!shown) {
    void vscode.window.showInformationMessage('No bulklog is shown: choose a pbulk.conf or open a bulklog first.');
    return false;
  }
  const bulklog = extractedRun(shown)?.bulklog ?? shown;
  const store = storeFor(shown, deps.settingsFile());
  const { runs, problems } = await listRuns(store);
  for (const p of problems) deps.log.warn(p);
  let run: StoredRun | undefined;
  let current = false;
  if (id !== undefined) {
    current = id === 'current';
    run = runs.find((r) => r.info.id === id);
    if (!run && !current) {
      void vscode.window.showErrorMessage(`No run ${id} in ${store}.`);
      return false;
    }
  } else {
    if (runs.length === 0) {
      void vscode.window.showInformationMessage(`No earlier run of ${bulklog} is kept yet: a fresh build files the last one into ${store}.`);
      return false;
    }
    const items: RunItem[] = [
      { label: '$(history) Current run', description: bulklog, detail: 'the bulklog itself' },
      ...[...runs].reverse().map((r) => {
        return {
          label: r.info.id,
          description: `${when(r.info.startedAt)} · ${r.info.kind}${r.info.finished ? '' : ' · unfinished'}${r.pending ? ' · being filed' : ''}`,
          detail: formatTotal(r.info.counts),
          run: r,
        };
      }),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: `Runs of ${bulklog}`, placeHolder: 'Open the report of a run', matchOnDescription: true });
    if (!pick) return false;
    run = pick.run;
    current = !run;
  }
  if (current || !run) {
    await c.closeOpened();
    if (c.shownBulklog !== bulklog) await c.openBulklog(bulklog);
  } else {
    if (run.pending) {
      void vscode.window.showInformationMessage(`The run ${run.info.id} is still being filed away; try again in a moment.`);
      return false;
    }
    const dir = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Opening run ${run.info.id}` }, () =>
      extractedDir(run!, store, bulklog),
    );
    await c.openBulklog(dir);
  }
  deps.history.update();
  await deps.history.settled();
  await vscode.commands.executeCommand('pkgsrcBulk.openReport');
  return true;
}

export function registerHistoryCommands(deps: HistoryCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('pkgsrcBulk.openEarlierRun', (id?: unknown) => openEarlierRun(deps, typeof id === 'string' ? id : undefined)),
    vscode.commands.registerCommand('pkgsrcBulk.showNewFailuresOnly', async () => {
      deps.lens.setNewFailuresOnly(true);
      if (deps.history.newFailures.size === 0)
        void vscode.window.showInformationMessage(
          deps.history.diff ? 'No new failures since the previous run.' : `No previous run to compare with (${deps.history.none}).`,
        );
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }),
    vscode.commands.registerCommand('pkgsrcBulk.showAllProblems', () => deps.lens.setNewFailuresOnly(false)),
  ];
}
