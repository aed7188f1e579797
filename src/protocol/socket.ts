// Reaching a running engine over its unix socket: the CLI's status and publish, a second editor
// window, tests. One connect for every caller, so "nothing listens there" means the same to all.
import { createConnection } from 'node:net';
import { SocketMessageReader, SocketMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { EngineClient } from './client';

/** An engine that answers at all answers hello at once: one that takes longer than this is hung. */
export const HELLO_TIMEOUT_MS = 10_000;

/** Nothing listens on the socket (no file, or a file left by an engine that is gone). */
export class NoEngineError extends Error {}

/** Connects to an engine's socket within timeoutMs; NoEngineError when nothing listens there. */
export async function attachSocket(path: string, timeoutMs = 5000): Promise<EngineClient> {
  const socket = createConnection(path);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${path}: the engine did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      socket.destroy();
      reject(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? new NoEngineError(`no engine listens on ${path}`) : e);
    });
  });
  const conn = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  conn.listen();
  return new EngineClient(conn);
}
