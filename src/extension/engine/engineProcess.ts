// Reaching the engine of a pbulk.conf: attach to the one already listening on its socket (a
// build started before the window reloaded, a CLI build in a terminal, a root engine started
// with sudo), else start `pkgsrc-bulk serve` as a process of its own. It is detached from the
// editor (own process group, output to a log file, no pipes), so it outlives a window reload
// and finishes the build; it exits by itself when it has had no client and no build for a while.
// Pure (node only), so it is tested without VS Code.
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EngineClient } from '../../protocol/client';
import { EXIT } from '../../protocol/exit';
import { attachSocket, NoEngineError } from '../../protocol/socket';
import { socketPathFor } from './engineSocket';

export interface EngineLaunch {
  conf: string;
  metaDir: string;
  /** dist/engine.js of the extension. */
  engineScript: string;
  /** Node to run it with (the extension host's own executable, as node). */
  node: string;
  /** Words put before the command, e.g. `sudo -n` for an engine running as root. */
  prefix?: string[];
  settingsFile?: string;
  /** The engine's stdout and stderr are appended here. */
  logFile: string;
  /** Exit after this many seconds with no client and no build. */
  idleExitSeconds?: number;
  /** How long to wait for a started engine to listen. */
  startTimeoutMs?: number;
}

export class EngineStartError extends Error {
  constructor(
    message: string,
    /** What the engine printed before it gave up (pbulk.conf problems as file:line:col lines). */
    readonly output: string,
    readonly exitCode?: number,
  ) {
    super(message);
  }
}

export interface Connected {
  client: EngineClient;
  socket: string;
  /** True when this call started the engine. */
  started: boolean;
  pid?: number;
}

/** Attaches to a running engine only; undefined when none listens. */
export async function attachEngine(metaDir: string, settingsFile?: string): Promise<Connected | undefined> {
  const { path } = socketPathFor(metaDir, settingsFile);
  try {
    return { client: await attachSocket(path), socket: path, started: false };
  } catch (e) {
    if (e instanceof NoEngineError) return undefined;
    throw e;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function tail(file: string, from: number): string {
  try {
    return readFileSync(file).subarray(from).toString('utf8');
  } catch {
    return '';
  }
}

/** Attaches to the engine of this conf, starting one when none listens. */
export async function connectEngine(o: EngineLaunch): Promise<Connected> {
  const running = await attachEngine(o.metaDir, o.settingsFile);
  if (running) return running;
  const { path, explicit } = socketPathFor(o.metaDir, o.settingsFile);
  mkdirSync(dirname(o.logFile), { recursive: true });
  if (explicit) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const from = sizeOf(o.logFile);
  const args = [o.engineScript, 'serve', '--config', o.conf, '--no-stdio', '--idle-exit', String(o.idleExitSeconds ?? 600)];
  if (o.settingsFile) args.push('--settings', o.settingsFile);
  if (explicit) args.push('--socket', path);
  const [cmd, ...pre] = [...(o.prefix ?? []), o.node];
  // execa is ESM-only; import() works in the CommonJS bundle and under tsx alike.
  const { execa } = await import('execa');
  // The child gets the log file's descriptor itself (execa hands integers to spawn unchanged;
  // its types list only 3 to 9): no pipe to this process, which a window reload would break.
  const fd = openSync(o.logFile, 'a');
  const out = fd as unknown as 'inherit';
  let child;
  try {
    child = execa(cmd!, [...pre, ...args], {
      detached: true,
      cleanup: false,
      reject: false,
      stdin: 'ignore',
      stdout: out,
      stderr: out,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  } finally {
    closeSync(fd);
  }
  let exited: { code?: number | undefined; signal?: string | undefined } | undefined;
  void child.then((r) => (exited = { code: r.exitCode, signal: r.signal }));
  child.unref();
  const deadline = Date.now() + (o.startTimeoutMs ?? 20_000);
  // The engine listens within a second or two (it reads pbulk.conf and the bulklog first).
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    if (exited) {
      const out = tail(o.logFile, from);
      const why =
        exited.code === EXIT.locked
          ? 'another engine holds the bulklog'
          : exited.code === EXIT.usage
            ? 'it refused the configuration'
            : `it exited with ${exited.code ?? exited.signal}`;
      throw new EngineStartError(`The build engine did not start: ${why}.`, out, exited.code);
    }
    try {
      return { client: await attachSocket(path), socket: path, started: true, ...(child.pid ? { pid: child.pid } : {}) };
    } catch (e) {
      if (!(e instanceof NoEngineError)) throw e;
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new EngineStartError(
        `The build engine did not listen on ${path} within ${Math.round((o.startTimeoutMs ?? 20_000) / 1000)} s.`,
        tail(o.logFile, from),
      );
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}
