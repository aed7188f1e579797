// The Publish and Mail Report commands: they ask the engine of the active pbulk.conf to upload
// the build in its bulklog (staged, switched at once, gated) or to mail its report, as
// `pkgsrc-bulk publish` and `pkgsrc-bulk mail` do. Both run the commands pbulk.conf names
// (rsync, mail), so they are refused in an untrusted workspace. Called with an argument (the
// request's parameters) they skip the questions, for keybindings and tests.
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import type { EngineClient } from '../../protocol/client';
import * as publishP from '../../protocol/publish';
import { RpcErrors } from '../../protocol/rpc';
import type { BuildController } from '../builds/controller';
import type { EngineOutput } from '../engine/engineOutput';
import { ReportPanel } from '../report/panel';

export interface PublishDeps {
  controller: BuildController;
  output: EngineOutput;
  log: vscode.LogOutputChannel;
}

function trusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `${what} is off in this untrusted workspace: it runs the rsync and mail commands named in its pbulk.conf. Trust the workspace to publish.`,
      'Manage Workspace Trust',
    )
    .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

function showLines(deps: PublishDeps, title: string, lines: readonly string[]): void {
  deps.output.line(`[${title}]`);
  for (const l of lines) deps.output.line(l);
}

const showOutput = (deps: PublishDeps) => (a: string | undefined) => {
  if (a === 'Show Output') deps.output.channel.show(true);
};

/** Sends a request to the engine; a refusal (busy, bad request) is shown and gives undefined. */
async function ask<R>(deps: PublishDeps, title: string, f: (client: EngineClient) => Promise<R>): Promise<R | undefined> {
  try {
    return await deps.controller.withEngine(async (client) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => f(client)),
    );
  } catch (e) {
    const busy = e instanceof ResponseError && e.code === RpcErrors.busy;
    deps.log.warn(`${title}: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(busy ? `${title}: the engine is busy (a build, publish or mail is running).` : `${title}: ${(e as Error).message}`);
    return undefined;
  }
}

type Choice = vscode.QuickPickItem & { params: publishP.PublishParams };

export async function publishCommand(deps: PublishDeps, arg?: unknown): Promise<publishP.PublishResult | undefined> {
  if (!trusted('Publishing')) return undefined;
  let params: publishP.PublishParams;
  // Strict: a tree row passed by a menu is not a request.
  const given = publishP.publishParams.strict().safeParse(arg);
  if (arg !== undefined && given.success) {
    params = given.data;
  } else {
    const choices: Choice[] = [
      { label: 'Publish', description: 'the report, then the packages when the gates pass', params: {} },
      { label: 'Dry Run', description: 'say what would be uploaded and run', params: { dryRun: true } },
      { label: 'Packages Only', params: { only: 'packages' } },
      { label: 'Report Only', params: { only: 'report' } },
      { label: 'Roll Back', description: 'point pkg_rsync_target at the previous upload', params: { rollback: true } },
    ];
    const pick = await vscode.window.showQuickPick(choices, { title: 'Publish the build (pbulk.conf: pkg_rsync_target, report_rsync_target)' });
    if (!pick) return undefined;
    params = pick.params;
    if (!params.dryRun) {
      const go = await vscode.window.showWarningMessage(`${pick.label}: upload to the rsync targets of the active pbulk.conf?`, { modal: true }, pick.label);
      if (!go) return undefined;
    }
  }
  const r = await ask(deps, params.dryRun ? 'Publish (dry run)' : params.rollback ? 'Rolling back the repository' : 'Publishing the build', (c) =>
    c.request(publishP.Publish, params),
  );
  if (!r) return undefined;
  showLines(deps, `publish${params.dryRun ? ' --dry-run' : ''}`, r.lines);
  ReportPanel.open?.schedule(0);
  if (r.refused && !params.force) {
    const a = await vscode.window.showWarningMessage(`Not published: ${r.error}`, 'Publish Anyway', 'Show Output');
    if (a === 'Publish Anyway') return publishCommand(deps, { ...params, force: true });
    showOutput(deps)(a);
  } else if (!r.ok) {
    void vscode.window.showErrorMessage(`Publishing failed: ${r.error}`, 'Show Output').then(showOutput(deps));
  } else if (params.dryRun) {
    deps.output.channel.show(true);
  } else if (r.published) {
    void vscode.window
      .showInformationMessage(`${r.published.rollback ? 'Rolled back' : 'Published'}: ${r.published.target} -> ${r.published.release}`, 'Show Output')
      .then(showOutput(deps));
  } else {
    void vscode.window.showInformationMessage(r.lines[r.lines.length - 1] ?? 'Nothing to publish.', 'Show Output').then(showOutput(deps));
  }
  return r;
}

async function mailReportCommand(deps: PublishDeps, arg?: unknown): Promise<publishP.MailResult | undefined> {
  if (!trusted('Mailing the report')) return undefined;
  const given = publishP.mailParams.strict().safeParse(arg);
  if (arg !== undefined && given.success) {
    const r = await ask(deps, 'Mailing the report', (c) => c.request(publishP.MailReport, given.data));
    if (r) showLines(deps, `mail${given.data.dryRun ? ' --dry-run' : ''}`, r.lines);
    if (r && !r.ok) void vscode.window.showErrorMessage(`The report was not mailed: ${r.error}`);
    return r;
  }
  // What would be sent first, so the question can say it.
  const preview = await ask(deps, 'Preparing the report mail', (c) => c.request(publishP.MailReport, { dryRun: true }));
  if (!preview) return undefined;
  if (!preview.ok) {
    void vscode.window.showErrorMessage(`The report cannot be mailed: ${preview.error}`);
    return preview;
  }
  const subject = preview.lines.find((l) => l.startsWith('Subject: '))?.slice(9) ?? '';
  const to = preview.lines.find((l) => l.startsWith('To: '))?.slice(4) ?? '';
  const a = await vscode.window.showInformationMessage(
    `Mail "${subject}" to ${to}?`,
    { modal: true, detail: `Runs: ${preview.lines[0]?.replace(/^would run: /, '') ?? ''}` },
    'Send',
    'Preview',
  );
  if (a === 'Preview') {
    showLines(deps, 'mail --dry-run', preview.lines);
    deps.output.channel.show(true);
    return preview;
  }
  if (a !== 'Send') return undefined;
  const r = await ask(deps, 'Mailing the report', (c) => c.request(publishP.MailReport, {}));
  if (!r) return undefined;
  showLines(deps, 'mail', r.lines);
  ReportPanel.open?.schedule(0);
  if (r.ok) void vscode.window.showInformationMessage(`Report mailed to ${to}.`);
  else void vscode.window.showErrorMessage(`The report was not mailed: ${r.error}`, 'Show Output').then(showOutput(deps));
  return r;
}

export function registerPublishCommands(deps: PublishDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('pkgsrcBulk.publish', (arg?: unknown) => publishCommand(deps, arg)),
    vscode.commands.registerCommand('pkgsrcBulk.mailReport', (arg?: unknown) => mailReportCommand(deps, arg)),
  ];
}
