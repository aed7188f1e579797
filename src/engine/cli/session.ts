// An engine for one CLI command or one `serve` process: config, lock, the engine, its socket
// (so that `pkgsrc-bulk status`, the extension or a second window can attach while it runs),
// and signal handling (first Ctrl-C cancels the build cleanly, a second one exits at once).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { Engine } from '../core/engine';
import type { EngineConfig } from '../config/types';
import { BulklogLock } from '../lock';
import { attach, type Attached } from '../rpc/connection';
import { closeSocket, listenSocket } from '../rpc/socket';
import { groupId } from './groups';
import { ConfigError } from './setup';

export interface Session {
  cfg: EngineConfig;
  engine: Engine;
  socketPath: string;
  close(): Promise<void>;
}

export function socketPathOf(cfg: EngineConfig): string {
  return cfg.settings.socket ?? join(cfg.metaDir, 'engine.sock');
}

export interface SessionOptions {
  onShutdown?: () => void;
  log?: (m: string) => void;
  /** Called with the number of socket clients whenever it changes. */
  onClients?: (n: number) => void;
}

export async function openSession(cfg: EngineConfig, command: string, opts: SessionOptions = {}): Promise<Session> {
  await mkdir(cfg.bulklog, { recursive: true });
  const lock = await BulklogLock.acquire(cfg.bulklog, command);
  const engine = new Engine(cfg);
  let server: Server | undefined;
  const path = socketPathOf(cfg);
  const clients = new Set<Attached>();
  try {
    await engine.load();
    await mkdir(join(path, '..'), { recursive: true });
    const group = cfg.settings.socketGroup ? groupId(cfg.settings.socketGroup) : undefined;
    if (cfg.settings.socketGroup && !group)
      throw new ConfigError(`socketGroup ${cfg.settings.socketGroup}: no such group (the settings' socketGroup names the group allowed on the socket)`);
    server = await listenSocket({
      path,
      group,
      onConnection: (conn) => {
        const client = attach(conn, engine, { name: 'socket', ...(opts.onShutdown ? { onShutdown: opts.onShutdown } : {}) });
        clients.add(client);
        opts.onClients?.(clients.size);
        conn.onClose(() => {
          client.detach();
          clients.delete(client);
          opts.onClients?.(clients.size);
        });
      },
      onRefused: (why) => opts.log?.(`${path}: ${why}`),
    });
  } catch (e) {
    await lock.release();
    throw e;
  }
  return {
    cfg,
    engine,
    socketPath: path,
    close: async () => {
      // The last events (summary, stage) reach the clients before the socket closes.
      await Promise.race([Promise.all([...clients].map((c) => c.flush())), new Promise((r) => setTimeout(r, 2000))]);
      for (const c of clients) c.detach();
      if (server) await closeSocket(server, path);
      // A run being filed into the history is finished before the lock goes.
      await engine.settle();
      await lock.release();
    },
  };
}
