// Which pbulk.conf builds use. Several may live side by side (the 32-bit and 64-bit configs of
// one host): the `pkgsrcBulk.config` setting lists them (a path or a list of paths), else the
// workspace folders and their direct subdirectories are searched for pbulk.conf, *.pbulk.conf
// and pbulk-*.conf. The active one is remembered per workspace, shown in a status-bar item and
// picked with a quick pick.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { expandSetting } from '../tree/locate';
import { readConfInfo, type ConfInfo } from './confInfo';

const ACTIVE_KEY = 'pkgsrcBulk.activeConfig';

const isConfName = (n: string) => n === 'pbulk.conf' || n.endsWith('.pbulk.conf') || (n.startsWith('pbulk-') && n.endsWith('.conf'));

/**
 * pbulk.conf files in a folder and its direct subdirectories (and etc/pbulk/). Near the top
 * only: deep in a tree, pkgtools/pbulk/files holds the unsubstituted template.
 */
async function confsNear(folder: string): Promise<string[]> {
  const out: string[] = [];
  const scan = async (dir: string, depth: number): Promise<void> => {
    let ents;
    try {
      ents = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      if (e.isFile() && isConfName(e.name)) out.push(join(dir, e.name));
      else if (e.isDirectory() && depth === 0 && !e.name.startsWith('.') && e.name !== 'node_modules') await scan(join(dir, e.name), 1);
    }
  };
  await scan(folder, 0);
  await scan(join(folder, 'etc/pbulk'), 1);
  return out;
}

/** The config_version builds are checked against, chosen by the user (empty: detect it). */
const pbulkVersionSetting = (): string => vscode.workspace.getConfiguration('pkgsrcBulk').get<string>('pbulkVersion', '');

export class ConfigChooser implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConfInfo | undefined>();
  /** Fires when the active pbulk.conf changes or its content changes. */
  readonly onDidChange = this.changed.event;
  readonly statusItem = vscode.window.createStatusBarItem('pkgsrcBulk.config', vscode.StatusBarAlignment.Left, 40);
  private candidatesCache: string[] = [];
  private activeInfo: ConfInfo | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: Promise<void>;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.statusItem.name = 'pkgsrc: active pbulk.conf';
    this.statusItem.command = 'pkgsrcBulk.selectConfig';
    this.disposables.push(
      this.statusItem,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pkgsrcBulk.config')) this.reload();
        else if (e.affectsConfiguration('pkgsrcBulk.pbulkVersion')) void this.reread();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reload()),
    );
    this.loading = this.load();
  }

  /** Resolves when the active conf has been looked for (and read, if there is one). */
  ready(): Promise<void> {
    return this.loading;
  }

  get active(): ConfInfo | undefined {
    return this.activeInfo;
  }

  get candidates(): readonly string[] {
    return this.candidatesCache;
  }

  reload(): void {
    this.loading = this.load();
  }

  private async findCandidates(): Promise<string[]> {
    const setting = vscode.workspace.getConfiguration('pkgsrcBulk').get<string | string[]>('config', '');
    const listed = (Array.isArray(setting) ? setting : [setting])
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(expandSetting);
    if (listed.length > 0) return [...new Set(listed)];
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const found: string[] = [];
    for (const folder of folders) found.push(...(await confsNear(folder)));
    // Files named exactly pbulk.conf first, then by path.
    return [...new Set(found)].sort((a, b) => Number(basename(b) === 'pbulk.conf') - Number(basename(a) === 'pbulk.conf') || a.localeCompare(b));
  }

  private async load(): Promise<void> {
    this.candidatesCache = await this.findCandidates();
    const remembered = this.context.workspaceState.get<string>(ACTIVE_KEY);
    const active = remembered && (this.candidatesCache.includes(remembered) || existsSync(remembered)) ? remembered : this.candidatesCache[0];
    await this.activate(active, false);
  }

  /** Makes `file` the active pbulk.conf (undefined: none). */
  async activate(file: string | undefined, remember = true): Promise<void> {
    if (remember) await this.context.workspaceState.update(ACTIVE_KEY, file);
    this.watcher?.dispose();
    this.watcher = undefined;
    if (file) {
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)));
      const reread = () => void this.reread();
      this.watcher.onDidChange(reread);
      this.watcher.onDidCreate(reread);
      this.watcher.onDidDelete(reread);
    }
    this.activeInfo = file ? await readConfInfo(file, pbulkVersionSetting()) : undefined;
    this.updateItem();
    this.changed.fire(this.activeInfo);
  }

  private async reread(): Promise<void> {
    const file = this.activeInfo?.file;
    if (!file) return;
    this.activeInfo = await readConfInfo(file, pbulkVersionSetting());
    this.updateItem();
    this.changed.fire(this.activeInfo);
  }

  private label(file: string): string {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    return folder ? relative(folder.uri.fsPath, file) : file;
  }

  private updateItem(): void {
    const info = this.activeInfo;
    if (!info) {
      this.statusItem.text = '$(gear) no pbulk.conf';
      this.statusItem.tooltip = 'pkgsrc bulk: no pbulk.conf found. Click to choose one (setting pkgsrcBulk.config).';
    } else {
      this.statusItem.text = `$(gear) ${this.label(info.file)}`;
      const md = new vscode.MarkdownString(`**pbulk.conf for builds:** ${info.file}\n\n`);
      md.appendMarkdown(
        `bulklog: ${info.bulklog ?? '*not set*'}  \npkgsrc: ${info.pkgsrc ?? '*not set*'}  \n${info.limitedList ? `limited_list: ${info.limitedList}` : 'full build (no limited_list)'}`,
      );
      if (info.errors.length > 0) md.appendMarkdown(`\n\n$(error) ${info.errors.length} error(s) in this file: builds will be refused.`);
      md.appendMarkdown('\n\nClick to choose another pbulk.conf.');
      md.supportThemeIcons = true;
      this.statusItem.tooltip = md;
    }
    this.statusItem.show();
  }

  /** The quick pick: known configs, plus "Browse...". */
  async pick(): Promise<void> {
    await this.ready();
    const items: (vscode.QuickPickItem & { file?: string })[] = this.candidatesCache.map((f) => ({
      label: this.label(f),
      description: f === this.activeInfo?.file ? 'active' : '',
      detail: f,
      file: f,
    }));
    items.push({ label: '$(folder-opened) Browse...', detail: 'Choose a pbulk.conf anywhere on disk' });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'pbulk.conf for builds',
      placeHolder: 'The configuration builds run with (bulklog, pkgsrc, limited_list ...)',
    });
    if (!picked) return;
    let file = picked.file;
    if (!file) {
      const uris = await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectMany: false,
        openLabel: 'Use for Builds',
        title: 'Choose a pbulk.conf',
      });
      file = uris?.[0]?.fsPath;
      if (!file) return;
      if (!this.candidatesCache.includes(file)) this.candidatesCache.push(file);
    }
    await this.activate(file);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
