// A minimal LSP client for tests: starts the bundled server (dist/server.js) the way VS Code's
// language client does (a Node process talking JSON-RPC over IPC) and speaks the real protocol.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  Hover,
  Location,
  PublishDiagnosticsParams,
  TextEdit,
} from 'vscode-languageserver';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist/server.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Whether `output` (relative to the repository) is missing or older than a file under `sources`. */
function stale(output: string, sources: string[]): boolean {
  const out = path.join(root, output);
  if (!existsSync(out)) return true;
  return statSync(out).mtimeMs < Math.max(...sources.map((d) => newestMtime(path.join(root, d))));
}

/**
 * Builds the bundles when dist/server.js is missing or older than its sources. Test files run in
 * parallel processes, so one builds while the others wait on a lock directory.
 */
export function ensureServerBuilt(): Promise<void> {
  return ensureBuilt('dist/server.js', ['src/server', 'src/pkgsrc']);
}

/** Builds the bundles (`node esbuild.mjs`) when `output` is missing or older than its sources. */
export async function ensureBuilt(output: string, sources: string[]): Promise<void> {
  if (!stale(output, sources)) return;
  const lock = path.join(tmpdir(), 'pkgsrc-bulk-server-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test process is building; a lock older than the deadline is a leftover.
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
      if (!existsSync(lock) && !stale(output, sources)) return;
    }
  }
  try {
    if (stale(output, sources)) {
      const { execa } = await import('execa');
      await execa(process.execPath, ['esbuild.mjs'], { cwd: root });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

export interface ClientOptions {
  /** What the server gets back for workspace/configuration section `pkgsrcBulk`. */
  settings?: Record<string, unknown>;
  workspaceFolder?: string;
}

export class TestLspClient {
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly logs: string[] = [];
  private readonly versions = new Map<string, number>();
  settings: Record<string, unknown>;
  stderr = '';

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    opts: ClientOptions,
  ) {
    this.settings = opts.settings ?? {};
  }

  static async start(opts: ClientOptions = {}): Promise<TestLspClient> {
    await ensureServerBuilt();
    const { execaNode } = await import('execa');
    const proc = execaNode(serverJs, ['--node-ipc'], {
      cwd: root,
      ipc: true,
      serialization: 'json',
      buffer: false,
      reject: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const conn = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    const client = new TestLspClient(proc, conn, opts);
    proc.stdout?.on('data', (b: Buffer) => (client.stderr += b.toString()));
    proc.stderr?.on('data', (b: Buffer) => (client.stderr += b.toString()));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => client.onDiagnostics(p));
    conn.onNotification('window/logMessage', (p: { message: string }) => void client.logs.push(p.message));
    conn.onNotification((method: string, params: unknown) => void client.notifications.push({ method, params }));
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'pkgsrcBulk' ? client.settings : null)),
    );
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    const folder = opts.workspaceFolder;
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder ? fileUri(folder) : null,
      workspaceFolders: folder ? [{ uri: fileUri(folder), name: path.basename(folder) }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'], snippetSupport: true } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          documentLink: { tooltipSupport: true },
        },
      },
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  private onDiagnostics(p: PublishDiagnosticsParams): void {
    const list = this.diagnostics.get(p.uri) ?? [];
    list.push(p);
    this.diagnostics.set(p.uri, list);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.uri === p.uri && w.pred(p)) {
        this.waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  }

  /** Every publishDiagnostics received for uri, oldest first. */
  published(uri: string): PublishDiagnosticsParams[] {
    return this.diagnostics.get(uri) ?? [];
  }

  /** The next publishDiagnostics for uri that satisfies pred (default: any), or a timeout error. */
  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published(uri).map((p) => p.diagnostics.map((d) => d.code)))}\n${this.stderr}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({ uri, pred, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  async open(uri: string, text: string, languageId = 'pbulk-conf'): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, 1);
    const next = this.waitForDiagnostics(uri, (p) => p.version === 1 || p.version === undefined);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return next;
  }

  /** Applies edits (or replaces the whole text) and resolves with the diagnostics of that version. */
  async change(
    uri: string,
    changes: ({ range: TextEdit['range']; text: string } | { text: string })[],
    waitForDiagnostics = true,
  ): Promise<PublishDiagnosticsParams | undefined> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const next = waitForDiagnostics ? this.waitForDiagnostics(uri, (p) => p.version === version) : undefined;
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return next;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: { pkgsrcBulk: settings } });
  }

  completion(uri: string, line: number, character: number): Promise<CompletionList | CompletionItem[] | null> {
    return this.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  codeActions(uri: string, diagnostics: Diagnostic[], range = diagnostics[0]!.range): Promise<CodeAction[] | null> {
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only: ['quickfix'] } });
  }

  documentSymbols(uri: string): Promise<DocumentSymbol[] | null> {
    return this.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
  }

  definition(uri: string, line: number, character: number): Promise<Location | Location[] | null> {
    return this.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line, character } });
  }

  references(uri: string, line: number, character: number, includeDeclaration = true): Promise<Location[] | null> {
    return this.conn.sendRequest('textDocument/references', { textDocument: { uri }, position: { line, character }, context: { includeDeclaration } });
  }

  documentLinks(uri: string): Promise<DocumentLink[] | null> {
    return this.conn.sendRequest('textDocument/documentLink', { textDocument: { uri } });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // The process may already be gone; it is killed below either way.
    }
    const exited = new Promise<void>((r) => (this.proc.exitCode !== null ? r() : this.proc.once('exit', () => r())));
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
    this.conn.dispose();
  }
}
