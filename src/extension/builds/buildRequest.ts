// What a build command may do and what it asks the engine for: workspace trust, the pbulk.conf
// to build with, the locations of a limited list, what Resume carries on, and what to tell the
// user when one of these says no (each refusal says why, and where when a file is at fault).
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import type { StartParams } from '../../protocol/build';
import { RpcErrors } from '../../protocol/rpc';
import type { BuildDiagnostics } from '../diagnostics/collection';
import { ENGINE_OWNER, printedProblems, type BuildFiles } from '../diagnostics/engineErrors';
import { readLimitedListEntries, type ConfInfo } from './confInfo';
import type { ConfigChooser } from './configs';
import type { Shown } from './shownBulklog';

/** What a build command asks for. */
export type BuildRequest = { kind: 'locations'; locations: string[] } | { kind: 'limitedList'; file: string } | { kind: 'full' } | { kind: 'resume' };

/** A pbulk.conf a build can write its results with. */
export type BuildConf = ConfInfo & { bulklog: string; metaDir: string };

/** A line for the log saying what was asked. */
export function describeRequest(req: BuildRequest): string {
  if (req.kind === 'locations') return `${req.locations.length} location(s): ${req.locations.slice(0, 10).join(' ')}${req.locations.length > 10 ? ' ...' : ''}`;
  if (req.kind === 'limitedList') return `limited list ${req.file}`;
  return req.kind;
}

/** False (after saying why) in an untrusted workspace; commands ask before their dialogs. */
export async function workspaceTrusted(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const a = await vscode.window.showWarningMessage(
    'Builds are off in this untrusted workspace: a build runs the Makefiles of its pkgsrc tree (bmake executes the shell commands in them) and the tools named in its pbulk.conf. Trust the workspace to build.',
    'Manage Workspace Trust',
  );
  if (a) void vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/** The active pbulk.conf if a build can use it; else undefined after telling the user why. */
export async function confForBuild(configs: ConfigChooser, log: vscode.LogOutputChannel): Promise<BuildConf | undefined> {
  await configs.ready();
  const conf = configs.active;
  if (!conf) {
    log.warn('no pbulk.conf to build with');
    const a = await vscode.window.showErrorMessage('No pbulk.conf to build with: set pkgsrcBulk.config or choose one.', 'Choose pbulk.conf...');
    if (a) await configs.pick();
    return undefined;
  }
  if (!conf.bulklog || !conf.metaDir) {
    void vscode.window.showErrorMessage(`${conf.file} sets no bulklog: the engine has nowhere to write the build's results.`);
    return undefined;
  }
  if (conf.errors.length > 0) {
    const first = conf.errors[0]!;
    log.warn(`${conf.file}:${first.range.start.line + 1}: ${first.message} (and ${conf.errors.length - 1} more errors): no build`);
    const a = await vscode.window.showErrorMessage(
      `${conf.file} has ${conf.errors.length} error(s), e.g. line ${first.range.start.line + 1}: ${first.message}`,
      'Open pbulk.conf',
    );
    if (a)
      await vscode.window.showTextDocument(vscode.Uri.file(conf.file), { selection: new vscode.Range(first.range.start.line, 0, first.range.start.line, 0) });
    return undefined;
  }
  return conf as BuildConf;
}

/** The active pbulk.conf for a rebuild, which works on the bulklog shown only when it is that conf's. */
export async function confForRebuild(configs: ConfigChooser, shown: Shown | undefined): Promise<ConfInfo | undefined> {
  await configs.ready();
  const conf = configs.active;
  if (!conf?.metaDir) {
    void vscode.window.showErrorMessage('No pbulk.conf to build with: set pkgsrcBulk.config or choose one.');
    return undefined;
  }
  if (shown && shown.why !== 'config' && shown.why !== 'engine' && shown.dir !== conf.bulklog) {
    void vscode.window.showErrorMessage(`Rebuild works on the bulklog of the active pbulk.conf (${conf.bulklog}); the one shown is ${shown.dir}.`);
    return undefined;
  }
  return conf;
}

/** The `pkgsrcBulk.jobs` setting; 0 leaves it to pbulk.conf. */
export function jobsSetting(): number {
  return vscode.workspace.getConfiguration('pkgsrcBulk').get<number>('jobs', 0);
}

/**
 * The engine's start parameters for `req`, and the files its problems are reported on; undefined
 * (after telling the user why) when the limited list is unusable or there is nothing to resume.
 */
export async function startRequest(
  req: BuildRequest,
  conf: BuildConf,
  o: { pkgsrc: string | undefined; resumable: () => Promise<{ locations?: string[] } | undefined> },
): Promise<{ params: StartParams; files: BuildFiles } | undefined> {
  const params: StartParams = { resume: false };
  const files: BuildFiles = {
    conf: conf.file,
    ...(conf.limitedListLine !== undefined ? { limitedListLine: conf.limitedListLine } : {}),
    ...(o.pkgsrc ? { pkgsrc: o.pkgsrc } : {}),
  };
  if (req.kind === 'locations') {
    params.locations = req.locations;
  } else if (req.kind === 'limitedList') {
    const l = await readLimitedListEntries(req.file, conf.pbulkVersion);
    const bad = l.problems.filter((p) => p.severity === 'error');
    if (bad.length > 0) {
      const more = bad.length > 1 ? ` (and ${bad.length - 1} more error${bad.length > 2 ? 's' : ''})` : '';
      void vscode.window.showErrorMessage(`${req.file}:${bad[0]!.range.start.line + 1}: ${bad[0]!.message}${more}`);
      return undefined;
    }
    const locations = [...new Set(l.entries.map((e) => e.location))];
    if (locations.length === 0) {
      void vscode.window.showErrorMessage(`${req.file} lists no package locations.`);
      return undefined;
    }
    params.locations = locations;
    files.limitedList = { file: req.file, entries: l.entries };
  } else if (req.kind === 'full') {
    params.full = true;
  } else {
    const r = await o.resumable();
    if (!r) {
      void vscode.window.showInformationMessage(`Nothing to resume in ${conf.bulklog}: its last build finished (Rebuild builds packages again).`);
      return undefined;
    }
    params.resume = true;
    if (r.locations) params.locations = r.locations;
    else params.full = true;
  }
  if (!files.limitedList && conf.limitedList && req.kind !== 'full' && !params.locations) {
    const l = await readLimitedListEntries(conf.limitedList, conf.pbulkVersion);
    files.limitedList = { file: conf.limitedList, entries: l.entries };
  }
  const jobs = jobsSetting();
  if (jobs > 0) params.jobs = jobs;
  return { params, files };
}

/** Tells the user why the engine said no; pbulk.conf problems it printed go to Problems. */
export function showRefusal(e: unknown, diagnostics: BuildDiagnostics, log: vscode.LogOutputChannel): void {
  const message = e instanceof ResponseError || e instanceof Error ? e.message : String(e);
  log.warn(`the engine refused: ${message}`);
  const found = printedProblems(message);
  if (found.length > 0) diagnostics.replace(new Map([[ENGINE_OWNER, found]]));
  const busy = e instanceof ResponseError && e.code === RpcErrors.busy;
  void vscode.window.showErrorMessage(
    busy ? 'A build is already running in this bulklog: stop it first, or wait for it.' : `The engine refused the build: ${message.split('\n')[0]}`,
  );
}
