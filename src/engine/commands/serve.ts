// `pkgsrc-bulk serve`: the engine as a process for the extension. JSON-RPC over stdio (when
// stdin is not a terminal) and over the unix socket in the bulklog, so a reloaded window or a
// second client re-attaches to a running build. A root engine (`sudo pkgsrc-bulk serve
// --socket PATH`) serves the socket only, to peers its owner/group and credentials allow.
// stdout carries only protocol messages; everything else goes to stderr.
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { EXIT } from '../../protocol/exit';
import { ENGINE_OPTIONS, parseCommon } from '../cli/options';
import { optionLines, type OptionTable } from './options';
import { configFor, ConfigError } from '../cli/setup';
import { openSession } from '../cli/session';
import { LockedError } from '../lock';
import { attach, type Attached } from '../rpc/connection';
import { SocketInUseError } from '../rpc/socket';
import type { Command } from './types';

const options = {
  ...ENGINE_OPTIONS,
  socket: { type: 'string', arg: 'PATH', help: 'where to listen (a root engine: 0660, group from the socketGroup setting)' },
  stdio: { type: 'boolean', help: 'serve standard input/output too (default: when stdin is not a terminal)' },
  'no-stdio': { type: 'boolean', help: 'serve the socket only' },
  'idle-exit': {
    type: 'string',
    arg: 'SECONDS',
    help: 'exit after this long with no client and no build (default 30 when\nserving stdio, never otherwise)',
  },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk serve -c pbulk.conf [--settings FILE] [--socket PATH] [--stdio | --no-stdio] [--idle-exit SECONDS]

Runs the engine for clients (the VS Code extension): JSON-RPC on standard input/output and
on a unix socket (default <bulklog>/meta/engine.sock). Builds keep running when a client goes
away; any client can re-attach through the socket.

${optionLines(options)}

Exit status: 0 after engine/shutdown or a signal, 2 bad usage or config, 3 another engine
holds the bulklog, 70 internal error.`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the engine for the extension (JSON-RPC over stdio and a unix socket)',
  usage,
  options,
  async run(argv) {
    const o = parseCommon(argv, usage, options);
    const log = (m: string) => process.stderr.write(`pkgsrc-bulk serve: ${m}\n`);
    let cfg;
    try {
      cfg = await configFor(o);
    } catch (e) {
      if (e instanceof ConfigError) {
        log(e.message);
        return EXIT.usage;
      }
      throw e;
    }
    const stdio = o.stdio ?? !process.stdin.isTTY;
    const idleMs = (o.idleExit ?? (stdio ? 30 : Infinity)) * 1000;
    let finish!: (code: number) => void;
    const finished = new Promise<number>((r) => (finish = r));
    let clients = 0;
    let stdioOpen = stdio;
    let idleTimer: NodeJS.Timeout | undefined;
    let session: Awaited<ReturnType<typeof openSession>>;
    let stdioClient: Attached | undefined;
    const checkIdle = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = undefined;
      if (clients > 0 || stdioOpen || session.engine.busy || !Number.isFinite(idleMs)) return;
      idleTimer = setTimeout(() => {
        if (clients === 0 && !stdioOpen && !session.engine.busy) finish(EXIT.ok);
      }, idleMs);
    };
    try {
      session = await openSession(cfg, 'pkgsrc-bulk serve', {
        log,
        onShutdown: () => finish(EXIT.ok),
        onClients: (n) => {
          clients = n;
          checkIdle();
        },
      });
    } catch (e) {
      if (e instanceof LockedError) {
        log(e.message);
        return EXIT.locked;
      }
      if (e instanceof SocketInUseError || e instanceof ConfigError) {
        log(e.message);
        return EXIT.usage;
      }
      throw e;
    }
    session.engine.hub.on((name) => {
      if (name === 'stage') setImmediate(checkIdle);
    });
    log(`engine for ${cfg.bulklog} listening on ${session.socketPath}${stdio ? ' and stdio' : ''}`);
    if (stdio) {
      const conn = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
      const client = attach(conn, session.engine, { name: 'stdio', onShutdown: () => finish(EXIT.ok) });
      stdioClient = client;
      conn.onClose(() => {
        client.detach();
        stdioOpen = false;
        checkIdle();
      });
    }
    const onSignal = (sig: NodeJS.Signals) => {
      log(`${sig}: cancelling the running build and exiting`);
      finish(EXIT.ok);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    checkIdle();
    const code = await finished;
    if (idleTimer) clearTimeout(idleTimer);
    session.engine.cancel();
    await session.engine.idle();
    await stdioClient?.flush();
    await session.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // stdin may keep the event loop alive.
    setImmediate(() => process.exit(code));
    return code;
  },
};
