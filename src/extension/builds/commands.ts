// The build commands (palette category "pkgsrc"): build the selected packages, this package,
// a limited list, the whole tree; stop, resume, rebuild; open the report, a bulklog from disk,
// a package's log or a dependency; clean up sandboxes; choose the active pbulk.conf.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { LogDocuments } from '../logs/provider';
import { ReportPanel } from '../report/panel';
import type { Node } from '../tree/items';
import type { PackagesView } from '../tree/view';
import { bulklogDirProblem, noPackagesMessage } from '../../pkgsrc/bulklog/dir-check';
import { ATTENTION_ORDER, STATE_LOOK } from '../../pkgsrc/states';
import * as sandboxP from '../../protocol/sandbox';
import type { ConfigChooser } from './configs';
import type { BuildController } from './controller';
import type { EngineOutput } from '../engine/engineOutput';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  controller: BuildController;
  configs: ConfigChooser;
  packages: PackagesView;
  logs: LogDocuments;
  output: EngineOutput;
  log: vscode.LogOutputChannel;
  /** The Packages view's selection as its change events report it. */
  selection: () => readonly Node[];
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'kind' in x && ((x as Node).kind === 'package' || (x as Node).kind === 'category');
}

/** Package locations of the clicked or selected tree rows; a category or group stands for all its packages. */
async function locationsOf(deps: CommandDeps, node: unknown, nodes: unknown): Promise<string[]> {
  const list: Node[] = Array.isArray(nodes) && nodes.every(isNode) && nodes.length > 0 ? nodes : isNode(node) ? [node] : [...deps.selection()];
  const out: string[] = [];
  for (const n of list) {
    if (n.kind === 'package') out.push(n.path);
    else if (n.group) out.push(...deps.packages.provider.grouped(n.group));
    else if (deps.packages.model) out.push(...(await deps.packages.model.category(n.name)).packages.map((p) => p.path));
  }
  return [...new Set(out)];
}

/** The PKGNAMEs of the build shown at a location, the failed ones first. */
function pkgnamesAt(deps: CommandDeps, location: string): string[] {
  return [...deps.controller.model.packages.values()]
    .filter((p) => p.location === location)
    .sort((a, b) => ATTENTION_ORDER.indexOf(a.state) - ATTENTION_ORDER.indexOf(b.state))
    .map((p) => p.pkgname);
}

async function showLog(deps: CommandDeps, arg: unknown): Promise<void> {
  const c = deps.controller;
  let bulklog = c.shownBulklog;
  let pkgname: string | undefined;
  let line: number | undefined;
  let column: vscode.ViewColumn | undefined;
  if (typeof arg === 'string') pkgname = arg;
  else if (isNode(arg) && arg.kind === 'package') pkgname = pkgnamesAt(deps, arg.path)[0];
  else if (typeof arg === 'object' && arg !== null && typeof (arg as { pkgname?: unknown }).pkgname === 'string') {
    const a = arg as { bulklog?: string; pkgname: string; line?: number; column?: vscode.ViewColumn };
    pkgname = a.pkgname;
    if (a.bulklog) bulklog = a.bulklog;
    line = a.line;
    column = a.column;
  } else if (arg === undefined) {
    const picks = [...c.model.packages.values()]
      .filter((p) => p.state === 'failed' || p.state === 'in_processing')
      .map((p) => ({
        label: p.pkgname,
        description: p.location,
        detail: p.state === 'failed' ? `failed${p.phase ? ` in ${p.phase}` : ''}` : `building${p.phase ? `: ${p.phase}` : ''}`,
      }));
    const picked = await vscode.window.showQuickPick(picks, {
      title: 'Show the log of a package',
      placeHolder: picks.length ? 'Failed and building packages' : 'No failed or building package',
    });
    pkgname = picked?.label;
  }
  if (!pkgname) {
    if (isNode(arg)) void vscode.window.showInformationMessage(`No build of ${arg.kind === 'package' ? arg.path : arg.name} in ${bulklog ?? 'any bulklog'}.`);
    return;
  }
  if (!bulklog) {
    void vscode.window.showErrorMessage('No bulklog: choose a pbulk.conf or open a bulklog from disk.');
    return;
  }
  await deps.logs.open(bulklog, pkgname, line, column ? { column, preview: false } : {});
}

async function openDependency(deps: CommandDeps, arg: unknown): Promise<void> {
  const a = (arg ?? {}) as { pkgname?: string; location?: string; makefile?: string; column?: vscode.ViewColumn };
  const root = deps.packages.root ?? deps.configs.active?.pkgsrc;
  const makefile = a.makefile ?? (a.location && root ? join(root, a.location, 'Makefile') : undefined);
  if (!makefile) {
    if (a.pkgname && deps.controller.shownBulklog) await deps.logs.open(deps.controller.shownBulklog, a.pkgname);
    return;
  }
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(makefile), { preview: true, ...(a.column ? { viewColumn: a.column } : {}) });
    if (a.location) void deps.packages.reveal(a.location, false).then(undefined, () => undefined);
  } catch (e) {
    void vscode.window.showErrorMessage(`Cannot open ${makefile}: ${(e as Error).message}`);
  }
}

async function buildLimitedList(deps: CommandDeps, uri: unknown): Promise<void> {
  // Refused before the file dialog, not after a choice that cannot be used.
  if (!(await deps.controller.trusted())) return;
  let file = uri instanceof vscode.Uri && uri.scheme === 'file' ? uri.fsPath : undefined;
  if (!file) {
    const conf = deps.configs.active;
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectMany: false,
      openLabel: 'Build These Packages',
      title: 'Choose a limited_list (one category/package per line)',
      ...(conf?.limitedList ? { defaultUri: vscode.Uri.file(conf.limitedList) } : conf ? { defaultUri: vscode.Uri.file(dirname(conf.file)) } : {}),
    });
    file = picked?.[0]?.fsPath;
  }
  if (file) await deps.controller.start({ kind: 'limitedList', file });
}

async function buildFull(deps: CommandDeps): Promise<void> {
  if (!(await deps.controller.trusted())) return;
  await deps.configs.ready();
  const conf = deps.configs.active;
  const root = conf?.pkgsrc ?? deps.packages.root;
  const go = await vscode.window.showWarningMessage(
    `Build every package of ${root ?? 'the pkgsrc tree'}${conf?.limitedList ? ` (not only the limited_list of ${conf.file})` : ''}? A full bulk build scans the whole tree and takes hours to days.`,
    { modal: true },
    'Full Bulk Build',
  );
  if (go) await deps.controller.start({ kind: 'full' });
}

async function rebuildPackage(deps: CommandDeps, arg: unknown, nodes: unknown): Promise<void> {
  let names: string[] = [];
  if (typeof arg === 'string') names = [arg];
  else if (typeof arg === 'object' && arg !== null && Array.isArray((arg as { pkgnames?: unknown }).pkgnames)) names = (arg as { pkgnames: string[] }).pkgnames;
  else names = await locationsOf(deps, arg, nodes);
  if (names.length === 0) {
    const picks = [...deps.controller.model.packages.values()]
      .filter((p) => p.state !== 'open' && p.state !== 'in_processing')
      .map((p) => ({ label: p.pkgname, description: `${p.location ?? ''} · ${STATE_LOOK[p.state].word}` }));
    const picked = await vscode.window.showQuickPick(picks, { title: 'Rebuild packages of the last build', canPickMany: true });
    names = (picked ?? []).map((p) => p.label);
  }
  if (names.length > 0) await deps.controller.rebuild({ packages: names });
}

/** Sends sandbox/cleanup to the engine of the active pbulk.conf; undefined when none could be reached or it refused. */
async function askCleanup(deps: CommandDeps, params: sandboxP.CleanupParams): Promise<sandboxP.CleanupResult | undefined> {
  const title = params?.base ? `Cleaning up sandboxes in ${params.base}` : 'Cleaning up sandboxes';
  try {
    return await deps.controller.withEngine(async (client) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => client.request(sandboxP.Cleanup, params)),
    );
  } catch (e) {
    deps.log.warn(`Clean Up Sandboxes: ${(e as Error).message}`);
    void vscode.window
      .showErrorMessage(`Cleaning up sandboxes failed: ${(e as Error).message}`, 'Show Engine Output')
      .then((a) => a && deps.output.channel.show());
    return undefined;
  }
}

/** The engine of the active pbulk.conf takes down what a killed engine left where its builds put sandboxes. */
async function cleanSandboxes(deps: CommandDeps): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Cleaning up sandboxes is off in an untrusted workspace: it unmounts and removes directories.');
    return;
  }
  let r = await askCleanup(deps, {});
  if (r?.base === null) {
    // Neither chroot_dir nor the setting sandboxBase says where sandboxes are: ask.
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Clean Up Sandboxes Here',
      title: 'The directory the sandboxes are in (the parent of chroot_dir)',
    });
    const base = picked?.[0]?.fsPath;
    if (!base) return;
    r = await askCleanup(deps, { base });
  }
  if (!r || r.base === null) return;
  deps.output.line(`[cleaned up stale sandboxes in ${r.base}]`);
  for (const w of r.warnings) deps.output.line(`warning: ${w}`);
  for (const x of r.removed) deps.output.line(`removed ${x}`);
  for (const l of r.leftovers) deps.output.line(`removed leftover ${l}`);
  for (const k of r.skipped) deps.output.line(`kept ${k.root}: ${k.reason}`);
  for (const f of r.failed) deps.output.line(`could not remove ${f.root}: ${f.error}`);
  if (r.failed.length > 0) {
    void vscode.window
      .showErrorMessage(`Cleaning up sandboxes in ${r.base}: ${r.failed.length} could not be removed.`, 'Show Engine Output')
      .then((a) => a && deps.output.channel.show());
    return;
  }
  const done =
    r.removed.length + r.leftovers.length === 0
      ? 'Nothing was left to remove.'
      : `${r.removed.length} removed${r.leftovers.length > 0 ? `, ${r.leftovers.length} leftovers` : ''}.`;
  const kept = r.skipped.length > 0 ? ` ${r.skipped.length} kept (in use, or made by \`sandbox create\`).` : '';
  void vscode.window.showInformationMessage(`Sandboxes in ${r.base} cleaned up. ${done}${kept}`);
}

async function openBulklog(deps: CommandDeps, uri: unknown): Promise<void> {
  let dir = uri instanceof vscode.Uri && uri.scheme === 'file' ? uri.fsPath : undefined;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Open Bulklog',
      title: 'A bulklog directory (the one holding meta/), from this machine, another one or CI',
    });
    dir = picked?.[0]?.fsPath;
  }
  if (!dir) return;
  // Checked before the views switch to it: what they show stays when the choice is no bulklog.
  const problem = await bulklogDirProblem(dir);
  if (problem) {
    deps.log.warn(`Open Bulklog from Disk: ${problem}`);
    void vscode.window.showErrorMessage(problem);
    return;
  }
  if (deps.controller.building) {
    void vscode.window.showInformationMessage(`A build is running: the views follow it, and show ${dir} when it ends.`);
  }
  await deps.controller.openBulklog(dir);
  if (deps.controller.building) return;
  const empty = noPackagesMessage(deps.controller.bulklog, dir);
  if (empty) {
    deps.log.warn(`Open Bulklog from Disk: ${empty}`);
    void vscode.window.showWarningMessage(empty);
    return;
  }
  ReportPanel.show(deps.context, deps.controller);
}

export function registerBuildCommands(deps: CommandDeps): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  const c = deps.controller;
  return [
    reg('pkgsrcBulk.buildSelected', async (node?: unknown, nodes?: unknown) => {
      const locations = await locationsOf(deps, node, nodes);
      if (locations.length === 0) {
        deps.log.info('Build Selected Packages: nothing selected in the Packages view');
        void vscode.window.showInformationMessage('Select packages (or categories) in the Packages view first.');
        return;
      }
      await c.start({ kind: 'locations', locations });
    }),
    reg('pkgsrcBulk.buildThisPackage', async (uri?: unknown) => {
      await deps.packages.ready();
      const file = (uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri)?.fsPath;
      const path = file ? await deps.packages.packageOf(file) : undefined;
      if (!path) {
        void vscode.window.showInformationMessage(file ? `${file} is not in a package of the pkgsrc tree.` : 'Open a file of a package first.');
        return;
      }
      await c.start({ kind: 'locations', locations: [path] });
    }),
    reg('pkgsrcBulk.buildLimitedList', (uri?: unknown) => buildLimitedList(deps, uri)),
    reg('pkgsrcBulk.buildFull', () => buildFull(deps)),
    reg('pkgsrcBulk.stop', () => c.stop()),
    reg('pkgsrcBulk.resume', () => c.start({ kind: 'resume' })),
    reg('pkgsrcBulk.rebuildPackage', (arg?: unknown, nodes?: unknown) => rebuildPackage(deps, arg, nodes)),
    reg('pkgsrcBulk.rebuildFailed', () => c.rebuild({ failed: true })),
    reg('pkgsrcBulk.openReport', () => {
      ReportPanel.show(deps.context, c);
    }),
    reg('pkgsrcBulk.openBulklog', (uri?: unknown) => openBulklog(deps, uri)),
    reg('pkgsrcBulk.showLog', (arg?: unknown) => showLog(deps, arg)),
    reg('pkgsrcBulk.openDependency', (arg?: unknown) => openDependency(deps, arg)),
    reg('pkgsrcBulk.cleanSandboxes', () => cleanSandboxes(deps)),
    reg('pkgsrcBulk.selectConfig', () => deps.configs.pick()),
    reg('pkgsrcBulk.showEngineOutput', () => deps.output.channel.show()),
  ];
}
