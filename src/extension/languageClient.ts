// Starts the pbulk.conf / limited_list language server (dist/server.js, over IPC) and gives the
// right language to files that have no telling name: the limited_list an open pbulk.conf names,
// and files matched by the `pkgsrcBulk.conf.files` / `pkgsrcBulk.limitedListGlobs` settings.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ConfigurationSection, LanguageIds, ServerNotification, type LimitedListLinkParams } from '../protocol/languageServer';
import { recordVariables } from './settings/variables';

/** Schemes whose documents are real files; others (git, output, diff views) keep their language. */
const fileSchemes = new Set(['file', 'vscode-remote']);

export function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: LanguageIds.conf, scheme: 'file' },
      { language: LanguageIds.conf, scheme: 'untitled' },
      { language: LanguageIds.conf, scheme: 'vscode-remote' },
      { language: LanguageIds.limitedList, scheme: 'file' },
      { language: LanguageIds.limitedList, scheme: 'untitled' },
      { language: LanguageIds.limitedList, scheme: 'vscode-remote' },
    ],
    // Settings: the server pulls the `pkgsrcBulk` section (workspace/configuration) and registers
    // for change notifications itself.
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => {
        recordVariables(uri, diagnostics);
        next(uri, diagnostics);
      },
    },
  };
  const client = new LanguageClient('pkgsrcBulk.languageServer', 'pkgsrc bulk: pbulk.conf language server', serverOptions, clientOptions);
  const associations = new LanguageAssociations(log);

  client.onNotification(ServerNotification.limitedListLink, (p: LimitedListLinkParams) => associations.link(p));
  client.start().then(
    () => log.info('pbulk.conf language server started'),
    (e: unknown) => log.error(`pbulk.conf language server did not start (${serverModule}): ${e instanceof Error ? e.message : String(e)}`),
  );

  return vscode.Disposable.from(associations, { dispose: () => void client.dispose(2000).catch(() => undefined) });
}

/**
 * Sets the language of open documents that are pbulk.conf files or limited lists by context or
 * setting. Each document is switched at most once, so a language the user picks afterwards sticks.
 */
class LanguageAssociations implements vscode.Disposable {
  /** pbulk.conf URI -> file system path of its limited_list. */
  private readonly links = new Map<string, string>();
  private readonly switched = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.apply(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // A language switch closes and reopens the document: only forget it when it stays closed,
        // so that a file opened again later is associated again.
        const key = d.uri.toString();
        setTimeout(() => {
          if (!vscode.workspace.textDocuments.some((o) => o.uri.toString() === key)) this.switched.delete(key);
        }, 1000);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${ConfigurationSection}.limitedListGlobs`) || e.affectsConfiguration(`${ConfigurationSection}.conf.files`)) this.applyAll();
      }),
    );
    this.applyAll();
  }

  link(p: LimitedListLinkParams): void {
    if (p.limitedList) this.links.set(p.conf, path.normalize(p.limitedList));
    else this.links.delete(p.conf);
    this.applyAll();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private applyAll(): void {
    for (const d of vscode.workspace.textDocuments) this.apply(d);
  }

  private wanted(doc: vscode.TextDocument): string | undefined {
    if (!fileSchemes.has(doc.uri.scheme)) return undefined;
    const fsPath = path.normalize(doc.uri.fsPath);
    for (const list of this.links.values()) if (list === fsPath) return LanguageIds.limitedList;
    const config = vscode.workspace.getConfiguration(ConfigurationSection, doc.uri);
    if (matchesAny(doc, config.get<unknown>('limitedListGlobs'))) return LanguageIds.limitedList;
    if (matchesAny(doc, config.get<unknown>('conf.files'))) return LanguageIds.conf;
    return undefined;
  }

  private apply(doc: vscode.TextDocument): void {
    const target = this.wanted(doc);
    const key = doc.uri.toString();
    if (!target || doc.languageId === target || this.switched.has(key)) return;
    this.switched.add(key);
    vscode.languages.setTextDocumentLanguage(doc, target).then(
      () => this.log.info(`${doc.uri.fsPath}: edited as ${target}`),
      (e: unknown) => this.log.warn(`${doc.uri.fsPath}: could not switch to ${target}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}

/** Globs from settings; a bare name such as `pkglist` matches that file name in any folder. */
function matchesAny(doc: vscode.TextDocument, globs: unknown): boolean {
  if (!Array.isArray(globs)) return false;
  return globs.some((g) => {
    if (typeof g !== 'string' || g.trim() === '') return false;
    const pattern = g.includes('/') ? g : `**/${g}`;
    return vscode.languages.match({ pattern }, doc) > 0;
  });
}
