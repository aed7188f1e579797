// The Packages view: finds the tree, keeps the model, the tree view, the file watcher, the
// context keys the menus and the welcome view test, and shows the build states it is given.
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { PkgsrcTree } from '../../pkgsrc/tree';
import type { TreeChange } from '../../pkgsrc/tree';
import type { Node } from './items';
import { locateTree } from './locate';
import type { Located } from './locate';
import { PackagesProvider } from './provider';
import type { BuildStateSource } from './states';

const VIEW_ID = 'pkgsrcBulk.packages';
/** `found`, `missing` (welcome view with a button), `invalid` (the setting names no tree), `searching`. */
const TREE_STATE_KEY = 'pkgsrcBulk.treeState';
/** True while the active editor shows a file inside a listed package directory. */
const IN_PACKAGE_KEY = 'pkgsrcBulk.inPackage';

// The files the model reads, at the depths it reads them: nothing under work/ or patches/.
// (One level of braces: VS Code's globs do not nest them.)
const WATCHED = `{${['Makefile', '*/Makefile', '*/*', ...['Makefile', 'Makefile.common', 'DESCR', 'PLIST', 'distinfo', 'buildlink3.mk', 'options.mk'].map((f) => `*/*/${f}`)].join(',')}}`;

export class PackagesView implements vscode.Disposable {
  readonly provider: PackagesProvider;
  readonly treeView: vscode.TreeView<Node>;
  private located: Located = { kind: 'missing' };
  private watcher: vscode.FileSystemWatcher | undefined;
  private pendingPaths = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  private readonly disposables: vscode.Disposable[] = [];
  private readyPromise: Promise<void>;
  private generation = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.provider = new PackagesProvider(log);
    this.treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.provider, canSelectMany: true, showCollapseAll: true });
    this.disposables.push(
      this.provider,
      this.treeView,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pkgsrcBulk.pkgsrc')) this.relocate();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.relocate()),
      vscode.window.onDidChangeActiveTextEditor(() => void this.updateInPackage()),
    );
    this.readyPromise = this.locate();
  }

  /** The tree shown, if any. */
  get root(): string | undefined {
    return this.located.kind === 'found' ? this.located.root : undefined;
  }

  get model(): PkgsrcTree | undefined {
    return this.provider.model;
  }

  /** Resolves when the tree has been looked for and, if found, its categories are read. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  relocate(): void {
    this.readyPromise = this.locate();
  }

  private async locate(): Promise<void> {
    // Settings can change again while a search runs: only the latest one may apply its result.
    const generation = ++this.generation;
    await vscode.commands.executeCommand('setContext', TREE_STATE_KEY, 'searching');
    const located = await locateTree();
    if (generation !== this.generation) return;
    this.located = located;
    this.watcher?.dispose();
    this.watcher = undefined;
    if (located.kind !== 'found') {
      this.provider.setTree(undefined);
      this.log.info(located.kind === 'invalid' ? `pkgsrcBulk.pkgsrc: ${located.reason}` : 'no pkgsrc tree in the workspace');
    } else {
      const cacheFile = join(this.context.globalStorageUri.fsPath, `tree-${createHash('sha256').update(located.root).digest('hex').slice(0, 16)}.json`);
      const tree = new PkgsrcTree(located.root, { cacheFile });
      this.provider.setTree(tree);
      this.watch(located.root);
      const top = await tree.topLevel();
      if (generation !== this.generation) return;
      this.log.info(`pkgsrc tree ${located.root}: ${top.categories.length} categories`);
      for (const p of top.problems) this.log.warn(`${p.file}:${p.range.start.line + 1}: ${p.message}`);
    }
    await vscode.commands.executeCommand('setContext', TREE_STATE_KEY, located.kind);
    this.updateMessage();
    await this.updateInPackage();
  }

  private watch(root: string): void {
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), WATCHED));
    const queue = (uri: vscode.Uri) => {
      this.pendingPaths.add(uri.fsPath);
      clearTimeout(this.flushTimer);
      // A checkout or a script touches many files at once: apply them together.
      this.flushTimer = setTimeout(() => this.flush(), 150);
    };
    w.onDidChange(queue);
    w.onDidCreate(queue);
    w.onDidDelete(queue);
    this.watcher = w;
  }

  /** Applies the queued file changes to the model and redraws only what they touched. */
  flush(): TreeChange[] {
    const tree = this.provider.model;
    const paths = [...this.pendingPaths];
    this.pendingPaths.clear();
    if (!tree) return [];
    const changes = paths.map((p) => tree.invalidate(p)).filter((c) => c.kind !== 'none');
    if (changes.some((c) => c.kind === 'root')) {
      this.provider.refresh({ kind: 'root' });
    } else {
      const cats = new Set(changes.flatMap((c) => (c.kind === 'category' ? [c.category] : [])));
      for (const c of cats) this.provider.refresh({ kind: 'category', category: c });
      const pkgs = new Set(changes.flatMap((c) => (c.kind === 'packages' ? c.paths : [])));
      if (pkgs.size > 0) this.provider.refresh({ kind: 'packages', paths: [...pkgs] });
    }
    if (changes.length > 0) void this.updateInPackage();
    return changes;
  }

  /** Shows states from `source` (the build controller's, which follows the pkgsrcBulk.bulklog setting). */
  setStateSource(source: BuildStateSource | undefined): void {
    this.provider.setStateSource(source);
    source?.onDidChange(() => this.updateMessage(), undefined, this.disposables);
    this.updateMessage();
  }

  private updateMessage(): void {
    const l = this.located;
    const parts: string[] = [];
    if (l.kind === 'invalid') parts.push(`pkgsrcBulk.pkgsrc is set to ${l.setting}, but ${l.reason}.`);
    const states = this.provider.stateSource?.describe();
    if (states && l.kind === 'found') parts.push(states);
    this.treeView.message = parts.length > 0 ? parts.join(' ') : undefined;
  }

  /** The listed package a file belongs to, if any: `category/dir`. */
  async packageOf(file: string): Promise<string | undefined> {
    const root = this.root;
    const tree = this.provider.model;
    if (!root || !tree) return undefined;
    const rel = relative(root, file);
    if (rel.startsWith('..') || rel === '') return undefined;
    const parts = rel.split(sep);
    if (parts.length < 2) return undefined;
    const cats = await tree.categories();
    if (!cats.some((c) => c.name === parts[0])) return undefined;
    const info = await tree.category(parts[0]!);
    const path = `${parts[0]}/${parts[1]}`;
    return info.packages.some((p) => p.path === path) ? path : undefined;
  }

  private async updateInPackage(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const inPackage = doc?.uri.scheme === 'file' && (await this.packageOf(doc.uri.fsPath)) !== undefined;
    await vscode.commands.executeCommand('setContext', IN_PACKAGE_KEY, inPackage);
  }

  /** Selects a package in the view, expanding its category. */
  async reveal(path: string, focus = true): Promise<void> {
    await this.treeView.reveal(this.provider.packageNode(path), { select: true, focus, expand: true });
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
