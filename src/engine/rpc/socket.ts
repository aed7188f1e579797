// The engine's unix socket (by default `<bulklog>/meta/engine.sock`), so that a reloaded
// window, the CLI's `status` or a second client can attach to a running engine. A user's
// engine makes the socket 0600: only that user can connect. A root engine makes it 0660,
// group `socketGroup` when configured, and also checks each peer's credentials: root, the
// socket's owner or a member of its group; anyone else is disconnected at once.
import { chmod, chown, lstat, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { SocketMessageReader, SocketMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { peerCredentials, type PeerCredentials } from './peercred';

export interface SocketOptions {
  path: string;
  /** Group (name or gid) allowed to connect to a root engine. */
  group?: { name: string; gid: number } | undefined;
  onConnection: (conn: ReturnType<typeof createMessageConnection>, peer: PeerCredentials[] | undefined, socket: Socket) => void;
  onRefused?: (why: string) => void;
}

export class SocketInUseError extends Error {}

/** sun_path holds 108 bytes with its terminating NUL on Linux. */
export const MAX_SOCKET_PATH = 107;

/** Is something listening on the socket path? */
function listening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export function allowedPeer(peer: PeerCredentials[] | undefined, owner: number, group: number | undefined): boolean {
  if (!peer || peer.length === 0) return false;
  return peer.every((p) => p.uid === 0 || p.uid === owner || (group !== undefined && p.gids.includes(group)));
}

export async function listenSocket(o: SocketOptions): Promise<Server> {
  if (Buffer.byteLength(o.path) > MAX_SOCKET_PATH) {
    throw new SocketInUseError(
      `${o.path}: a unix socket path may have at most ${MAX_SOCKET_PATH} bytes; set a shorter one with the "socket" setting (or --socket)`,
    );
  }
  try {
    const st = await lstat(o.path);
    if (!st.isSocket()) throw new SocketInUseError(`${o.path} exists and is not a socket; not replacing it`);
    if (await listening(o.path)) throw new SocketInUseError(`${o.path}: another engine is listening there`);
    await unlink(o.path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const root = process.getuid?.() === 0;
  const owner = process.getuid?.() ?? 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const accept = (peer: PeerCredentials[] | undefined) => {
      const conn = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
      o.onConnection(conn, peer, socket);
    };
    if (!root) {
      accept(undefined);
      return;
    }
    // Hold the data until the peer is checked.
    socket.pause();
    void peerCredentials(socket).then((peer) => {
      if (!allowedPeer(peer, owner, o.group?.gid)) {
        o.onRefused?.(
          `refused a connection from ${peer ? peer.map((p) => `pid ${p.pid} uid ${p.uid}`).join(', ') : 'a peer whose credentials could not be read (the check needs ss(8) and /proc, as on Linux)'}`,
        );
        socket.destroy();
        return;
      }
      accept(peer);
      socket.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  openSockets.set(server, sockets);
  await chmod(o.path, root ? 0o660 : 0o600);
  if (root && o.group) await chown(o.path, 0, o.group.gid);
  return server;
}

const openSockets = new WeakMap<Server, Set<Socket>>();

/**
 * Stops listening and lets the connected clients go: what was sent to them is flushed (end),
 * and whoever has not hung up within a second is cut off (server.close alone would wait).
 */
export async function closeSocket(server: Server, path: string): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sockets = [...(openSockets.get(server) ?? [])];
  for (const s of sockets) s.end();
  const timer = setTimeout(() => {
    for (const s of sockets) s.destroy();
  }, 1000);
  await closed;
  clearTimeout(timer);
  await unlink(path).catch(() => undefined);
}
