// The Packages view's data: categories from the model, packages of a category when it is
// expanded, build states from a BuildStateSource. Nodes are kept per id so that a refresh of
// one package or category redraws that row only.
import * as vscode from 'vscode';
import { State, type BuildState } from '../../pkgsrc/states';
import type { PkgsrcTree, TreeChange } from '../../pkgsrc/tree';
import { categoryItem, groupItem, packageItem } from './items';
import type { GroupName } from './items';
import type { Node } from './items';
import type { BuildStateSource, LocationState } from './states';

export class PackagesProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | Node[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private tree: PkgsrcTree | undefined;
  private source: BuildStateSource | undefined;
  private sourceListener: vscode.Disposable | undefined;
  private readonly categories = new Map<string, Node & { kind: 'category' }>();
  private readonly packages = new Map<string, Node & { kind: 'package' }>();
  private static readonly noStates: ReadonlyMap<string, LocationState> = new Map();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get model(): PkgsrcTree | undefined {
    return this.tree;
  }

  setTree(tree: PkgsrcTree | undefined): void {
    this.tree = tree;
    this.categories.clear();
    this.packages.clear();
    this.emitter.fire(undefined);
  }

  /** Takes the states to show from `source` (undefined: none); the caller keeps ownership. */
  setStateSource(source: BuildStateSource | undefined): void {
    this.sourceListener?.dispose();
    this.source = source;
    this.sourceListener = source?.onDidChange(() => this.emitter.fire(undefined));
    this.emitter.fire(undefined);
  }

  get stateSource(): BuildStateSource | undefined {
    return this.source;
  }

  states(): ReadonlyMap<string, LocationState> {
    return this.source?.states() ?? PackagesProvider.noStates;
  }

  categoryNode(name: string): Node & { kind: 'category' } {
    let n = this.categories.get(name);
    if (!n) this.categories.set(name, (n = { kind: 'category', name }));
    return n;
  }

  packageNode(path: string): Node & { kind: 'package' } {
    let n = this.packages.get(path);
    if (!n) this.packages.set(path, (n = { kind: 'package', path, category: path.slice(0, path.indexOf('/')) }));
    return n;
  }

  /** Redraws what a change on disk touched (after PkgsrcTree.invalidate said what). */
  refresh(change: TreeChange): void {
    if (change.kind === 'root') this.emitter.fire(undefined);
    else if (change.kind === 'category') this.emitter.fire(this.categoryNode(change.category));
    else if (change.kind === 'packages') {
      const nodes = change.paths.filter((p) => this.packages.has(p)).map((p) => this.packages.get(p)!);
      if (nodes.length > 0) this.emitter.fire(nodes);
    }
  }

  async getChildren(node?: Node): Promise<Node[]> {
    const tree = this.tree;
    if (!tree) return [];
    try {
      if (!node) {
        const groups = (['failed', 'building'] as const).filter((g) => this.grouped(g).length > 0).map((g) => this.groupNode(g));
        return [
          ...groups,
          ...(await tree.categories())
            .map((c) => c.name)
            .sort()
            .map((c) => this.categoryNode(c)),
        ];
      }
      if (node.kind === 'package') return [];
      if (node.group) return this.grouped(node.group).map((p) => this.groupedNode(node.group!, p));
      const info = await tree.category(node.name);
      const paths = info.packages.map((p) => p.path);
      // Load the whole category in one batch before VS Code asks for each row.
      await Promise.all([tree.packages(paths), tree.packageFilesMany(paths)]);
      return paths.map((p) => this.packageNode(p));
    } catch (e) {
      this.log.error(`Packages view: ${(e as Error).message}`);
      return [];
    }
  }

  async getTreeItem(node: Node): Promise<vscode.TreeItem> {
    const tree = this.tree;
    if (!tree) return new vscode.TreeItem('');
    if (node.kind === 'category' && node.group) return groupItem(node.group, this.grouped(node.group).length);
    if (node.kind === 'category') return categoryItem(await tree.category(node.name), this.states());
    const [info, files] = await Promise.all([tree.package(node.path), tree.packageFiles(node.path)]);
    const state = this.states().get(node.path);
    const item = packageItem(info, files, state);
    if (node.group) {
      // The same package again under its group: its own id, its path and what it is doing.
      item.id = `${node.group}:${node.path}`;
      item.label = node.path;
      const v = state?.variants.find((x) => x.state === groupState(node.group!));
      item.description = [v && state!.variants.length > 1 ? v.pkgname : undefined, v?.detail].filter(Boolean).join(' · ');
    }
    return item;
  }

  getParent(node: Node): Node | undefined {
    if (node.kind !== 'package') return undefined;
    return node.group ? this.groupNode(node.group) : this.categoryNode(node.category);
  }

  /** Package paths of a group: failed ones, or the ones building, in path order. */
  grouped(group: GroupName): string[] {
    const want = groupState(group);
    const out: string[] = [];
    for (const [path, s] of this.states()) if (s.variants.some((v) => v.state === want)) out.push(path);
    return out.sort();
  }

  private readonly groups = new Map<GroupName, Node & { kind: 'category' }>();
  private readonly groupedNodes = new Map<string, Node & { kind: 'package' }>();

  groupNode(group: GroupName): Node & { kind: 'category' } {
    let n = this.groups.get(group);
    if (!n) this.groups.set(group, (n = { kind: 'category', name: group === 'failed' ? 'Failed' : 'Building', group }));
    return n;
  }

  private groupedNode(group: GroupName, path: string): Node & { kind: 'package' } {
    const key = `${group}:${path}`;
    let n = this.groupedNodes.get(key);
    if (!n) this.groupedNodes.set(key, (n = { kind: 'package', path, category: path.slice(0, path.indexOf('/')), group }));
    return n;
  }

  dispose(): void {
    this.sourceListener?.dispose();
    this.emitter.dispose();
  }
}

/** The state whose packages a group lists. */
function groupState(group: GroupName): BuildState {
  return group === 'failed' ? State.Failed : State.Building;
}
