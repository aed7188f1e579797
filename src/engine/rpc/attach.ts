// Connecting to a running engine's socket (the CLI's status, tests, a second window).
import { createConnection } from 'node:net';
import { SocketMessageReader, SocketMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { EngineClient } from '../../protocol/client';

export async function attachSocket(path: string, timeoutMs = 5000): Promise<EngineClient> {
  const socket = createConnection(path);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${path}: no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
    socket.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
  const conn = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  conn.listen();
  return new EngineClient(conn);
}
