// The build engine a window started outlives the window on purpose (it exits after ten idle
// minutes). Whoever made a bulklog for a run (the demo, a test) stops its engine when done.
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { SocketMessageReader, SocketMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';

/**
 * Asks the engine serving `bulklog` (its socket meta/engine.sock) to exit: it cancels a running
 * build, takes down its sandboxes and ends. Resolves once it closed the connection (or after
 * `timeoutMs`); false when no engine listens there.
 */
export async function shutdownEngine(bulklog, timeoutMs = 30_000) {
  const path = join(bulklog, 'meta/engine.sock');
  if (!existsSync(path)) return false;
  const socket = createConnection(path);
  const ok = await new Promise((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
  });
  if (!ok) return false;
  const conn = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  conn.listen();
  const closed = new Promise((resolve) => conn.onClose(resolve));
  conn.sendRequest('engine/shutdown', {}).catch(() => {});
  await Promise.race([closed, new Promise((r) => setTimeout(r, timeoutMs))]);
  conn.dispose();
  socket.destroy();
  return true;
}
