// The pbulk.conf settings form: a custom text editor whose webview (media/settings/) shows the
// settings of the document and turns what the user changes into minimal text edits on the very
// TextDocument the text editor shows, so undo/redo, dirty state and save are VS Code's own and
// both editors follow each other. The page is a template (nonce, CSP source and asset URIs
// filled in); the form itself arrives by postMessage after every change of the text or of its
// diagnostics.
import * as vscode from 'vscode';
import { evaluateConf, parseConf } from '../../pkgsrc/conf/index';
import { settingEdits, type SettingChange } from '../../pkgsrc/conf/edit/index';
import type { Range } from '../../pkgsrc/problem';
import { fromWebview, type FromWebview, type ToWebview } from './messages';
import { placeProblems, settingsModel, type SettingsModel } from './model';
import { collectProblems } from './problems';
import { webviewPage } from '../webviewPage';

export const SETTINGS_VIEW_TYPE = 'pkgsrcBulk.settings';

const posted = new vscode.EventEmitter<{ uri: vscode.Uri; model: SettingsModel }>();
/** Fires each time a form is given a fresh model. */
export const onSettingsModel = posted.event;

export class SettingsEditorProvider implements vscode.CustomTextEditorProvider {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const form = new SettingsForm(this.context, this.log, document, panel);
    await form.render();
  }
}

function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

class SettingsForm {
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private posting: Promise<void> = Promise.resolve();
  private fixes = new Map<string, vscode.CodeAction>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly document: vscode.TextDocument,
    private readonly panel: vscode.WebviewPanel,
  ) {
    const media = vscode.Uri.joinPath(context.extensionUri, 'media', 'settings');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.received(m)),
      panel.onDidChangeViewState(() => panel.visible && this.schedule(0)),
      vscode.workspace.onDidChangeTextDocument((e) => e.document === document && this.schedule()),
      vscode.languages.onDidChangeDiagnostics((e) => e.uris.some((u) => u.toString() === document.uri.toString()) && this.schedule()),
    );
  }

  async render(): Promise<void> {
    const dir = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'settings');
    this.panel.webview.html = await webviewPage(this.panel.webview, dir, 'settings.html', { scriptUri: 'settings.js', styleUri: 'settings.css' });
  }

  private get file(): string {
    return this.document.uri.scheme === 'file' ? this.document.uri.fsPath : this.document.uri.toString();
  }

  /** Posts a fresh model soon: text changes come in bursts while typing in the text editor. */
  private schedule(delay = 50): void {
    if (!this.ready) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.panel.visible) this.posting = this.posting.then(() => this.post()).catch((e: unknown) => this.log.error(`settings form: ${String(e)}`));
    }, delay);
  }

  private async post(): Promise<void> {
    const version = this.document.version;
    const conf = parseConf(this.document.getText(), this.file);
    const model = settingsModel(conf, evaluateConf(conf));
    // Without the problems (the language server not up yet, say) the form still shows the settings.
    const { problems, fixes } = await collectProblems(this.document).catch((e: unknown) => {
      this.log.warn(`settings form: no problems for ${this.file}: ${String(e)}`);
      return { problems: [], fixes: new Map<string, vscode.CodeAction>() };
    });
    // The text moved on while the fixes were asked for: the next post has the right ones.
    if (this.document.version !== version) return;
    placeProblems(conf, model, problems);
    this.fixes = fixes;
    await this.send({ type: 'model', model, version });
    posted.fire({ uri: this.document.uri, model });
  }

  private send(m: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(m);
  }

  private async received(raw: unknown): Promise<void> {
    const parsed = fromWebview.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`settings form: ignored a malformed message: ${parsed.error.message}`);
      return;
    }
    const m: FromWebview = parsed.data;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.schedule(0);
        return;
      case 'set':
        return this.change({ kind: 'set', name: m.name, value: m.value });
      case 'unset':
        return this.change({ kind: 'unset', name: m.name });
      case 'pick':
        return this.pick(m.name);
      case 'fix':
        return this.fix(m.id);
      case 'reveal': {
        const at = new vscode.Range(m.line, 0, m.line, 0);
        await vscode.window.showTextDocument(this.document, { viewColumn: vscode.ViewColumn.Beside, selection: at, preview: false });
        return;
      }
      case 'openText':
        await vscode.commands.executeCommand('vscode.openWith', this.document.uri, 'default');
        return;
    }
  }

  private async change(c: SettingChange): Promise<void> {
    const conf = parseConf(this.document.getText(), this.file);
    const r = settingEdits(conf, c);
    if ('error' in r) {
      await this.send({ type: 'notice', name: c.name, message: r.error });
      return;
    }
    if (r.edits.length === 0) return;
    const edit = new vscode.WorkspaceEdit();
    for (const e of r.edits) edit.replace(this.document.uri, toRange(e.range), e.newText);
    if (!(await vscode.workspace.applyEdit(edit)))
      await this.send({ type: 'notice', name: c.name, message: `${c.name} could not be changed: the file is read-only or was changed meanwhile` });
  }

  private async pick(name: string): Promise<void> {
    const model = settingsModel(parseConf(this.document.getText(), this.file));
    const row = model.groups.flatMap((g) => g.rows).find((r) => r.name === name);
    if (!row?.pick) return;
    const current = row.effective.kind === 'value' && row.effective.value.startsWith('/') ? vscode.Uri.file(row.effective.value) : undefined;
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: row.pick !== 'file',
      canSelectFiles: row.pick !== 'folder',
      canSelectMany: false,
      title: `Choose ${row.pick === 'folder' ? 'a directory' : row.pick === 'file' ? 'a file' : 'a file or directory'} for ${name}`,
      openLabel: `Use for ${name}`,
      ...(current ? { defaultUri: current } : {}),
    });
    const uri = chosen?.[0];
    if (uri) await this.change({ kind: 'set', name, value: uri.fsPath });
  }

  private async fix(id: string): Promise<void> {
    const action = this.fixes.get(id);
    if (!action || !id.startsWith(`${this.document.version}:`)) {
      await this.send({ type: 'notice', message: 'The file changed since this fix was offered: try again once the problems are checked again.' });
      this.schedule(0);
      return;
    }
    if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
      await this.send({ type: 'notice', message: `"${action.title}" could not be applied.` });
      return;
    }
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
