// Commands of the Packages view: open a package's files, copy paths, go to a package, reveal
// the current file's package, choose the tree or the bulklog.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { displayName, findEntries, findPackages } from '../../pkgsrc/tree';
import type { FindEntry, OptionalFile } from '../../pkgsrc/tree';
import type { Node } from './items';
import { chooseTree } from './locate';
import type { PackagesView } from './view';

/** Command id -> the package file it opens. */
const OPEN_FILE_COMMANDS: Record<string, OptionalFile | 'Makefile'> = {
  'pkgsrcBulk.openMakefile': 'Makefile',
  'pkgsrcBulk.openDescr': 'DESCR',
  'pkgsrcBulk.openPlist': 'PLIST',
  'pkgsrcBulk.openDistinfo': 'distinfo',
  'pkgsrcBulk.openBuildlink3': 'buildlink3.mk',
  'pkgsrcBulk.openOptions': 'options.mk',
  'pkgsrcBulk.openMakefileCommon': 'Makefile.common',
};

export interface PackagePick extends vscode.QuickPickItem {
  path: string;
}

/** The nodes a command acts on: the clicked one, or all selected ones with multi-select. */
function selected(view: PackagesView, node: Node | undefined, nodes: readonly Node[] | undefined): Node[] {
  if (nodes && nodes.length > 0) return [...nodes];
  if (node) return [node];
  return [...view.treeView.selection];
}

/** The rows a file command acts on: the Failed and Building group rows are no categories. */
function targets(view: PackagesView, node: Node | undefined, nodes: readonly Node[] | undefined): Node[] {
  return selected(view, node, nodes).filter((n) => !(n.kind === 'category' && n.group));
}

async function openFile(view: PackagesView, node: Node, file: string): Promise<void> {
  const root = view.root;
  if (!root) return;
  const where = node.kind === 'package' ? join(root, node.path, file) : join(root, node.name, 'Makefile');
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(where), { preview: true });
  } catch (e) {
    void vscode.window.showErrorMessage(`Cannot open ${where}: ${(e as Error).message}`);
  }
}

/** Every package of the tree as quick-pick items: path, COMMENT, name and maintainer. */
export async function packagePicks(view: PackagesView): Promise<PackagePick[]> {
  const tree = view.model;
  if (!tree) return [];
  const idx = await tree.index();
  return idx.packages.map((p) => {
    const shown = displayName(p);
    const name = shown && !shown.unresolved ? shown.name : undefined;
    const maint = (p.vars.MAINTAINER ?? p.vars.OWNER)?.value;
    return { label: p.path, description: p.vars.COMMENT?.value ?? '', detail: [name, maint].filter(Boolean).join(' · ') || undefined, path: p.path };
  });
}

async function goToPackage(view: PackagesView): Promise<void> {
  await view.ready();
  if (!view.model) {
    void vscode.window
      .showWarningMessage('No pkgsrc tree: choose one first.', 'Choose pkgsrc Tree...')
      .then((a) => a && vscode.commands.executeCommand('pkgsrcBulk.chooseTree'));
    return;
  }
  const qp = vscode.window.createQuickPick<PackagePick>();
  qp.placeholder = 'Go to package: words of its path or COMMENT, in any order';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  qp.show();
  const picked = new Promise<PackagePick | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]));
    qp.onDidHide(() => resolve(undefined));
  });
  // The quick pick's own filter only finds one contiguous piece of text; our matches (words in
  // any order, prefixes, path letters in order) are shown with alwaysShow, best first.
  let entries: FindEntry<PackagePick>[] | undefined;
  let all: PackagePick[] = [];
  const filter = () => {
    if (!entries) return;
    qp.items = qp.value.trim() === '' ? all : findPackages(entries, qp.value).map((p) => ({ ...p, alwaysShow: true }));
  };
  qp.onDidChangeValue(filter);
  void packagePicks(view).then((items) => {
    all = items;
    entries = findEntries(items, (p) => ({ path: p.path, comment: p.description, other: p.detail }));
    filter();
    qp.busy = false;
  });
  const choice = await picked;
  qp.dispose();
  if (!choice) return;
  await view.reveal(choice.path, false);
  await openFile(view, view.provider.packageNode(choice.path), 'Makefile');
}

async function revealCurrent(view: PackagesView, uri?: vscode.Uri): Promise<void> {
  await view.ready();
  const file = (uri ?? vscode.window.activeTextEditor?.document.uri)?.fsPath;
  const path = file ? await view.packageOf(file) : undefined;
  if (!path) {
    void vscode.window.showInformationMessage(file ? `${file} is not inside a package listed in the pkgsrc tree.` : 'No file is open.');
    return;
  }
  await view.reveal(path);
}

async function chooseBulklog(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Show Its Build States',
    title: 'Choose a bulklog directory (the one holding meta/)',
  });
  const dir = picked?.[0]?.fsPath;
  if (!dir) return;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('pkgsrcBulk').update('bulklog', dir, target);
}

export function registerTreeCommands(view: PackagesView): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  const out: vscode.Disposable[] = [];
  for (const [id, file] of Object.entries(OPEN_FILE_COMMANDS)) {
    out.push(
      reg(id, async (node?: Node, nodes?: Node[]) => {
        for (const n of targets(view, node, nodes)) if (n.kind === 'package') await openFile(view, n, file);
      }),
    );
  }
  out.push(
    reg('pkgsrcBulk.openCategoryMakefile', async (node?: Node, nodes?: Node[]) => {
      for (const n of targets(view, node, nodes)) if (n.kind === 'category') await openFile(view, n, 'Makefile');
    }),
    reg('pkgsrcBulk.copyPackagePath', async (node?: Node, nodes?: Node[]) => {
      const paths = targets(view, node, nodes).map((n) => (n.kind === 'package' ? n.path : n.name));
      if (paths.length > 0) await vscode.env.clipboard.writeText(paths.join('\n'));
    }),
    reg('pkgsrcBulk.goToPackage', () => goToPackage(view)),
    reg('pkgsrcBulk.revealPackage', (uri?: vscode.Uri) => revealCurrent(view, uri instanceof vscode.Uri ? uri : undefined)),
    reg('pkgsrcBulk.chooseTree', async () => {
      if (await chooseTree()) await view.ready();
    }),
    reg('pkgsrcBulk.chooseBulklog', () => chooseBulklog()),
    reg('pkgsrcBulk.refreshPackages', async () => {
      const root = view.root;
      if (root) view.model?.invalidate(root);
      view.relocate();
      await view.ready();
    }),
  );
  return out;
}
