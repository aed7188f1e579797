// One JSON-RPC client of the engine (the extension over stdio, or anyone on the socket): every
// protocol request is checked against its schema and dispatched to the engine, and every
// engine event is sent as its notification, until the connection closes. Nothing here polls.
import { ResponseError, ErrorCodes, type MessageConnection } from 'vscode-jsonrpc/node';
import { check, ProtocolError, RpcErrors, type RequestDef } from '../../protocol';
import * as build from '../../protocol/build';
import * as engineP from '../../protocol/engine';
import * as logs from '../../protocol/logs';
import * as publishP from '../../protocol/publish';
import * as sandboxP from '../../protocol/sandbox';
import { PROTOCOL_VERSION } from '../../protocol/common';
import type { z } from 'zod';
import { BusyError, RequestError, type Engine } from '../core/engine';
import { EVENTS } from '../core/events';
import { existingLogChunks } from '../core/follow';
import { mailReport } from '../publish/mail';
import { publish } from '../publish/upload';
import { cleanupSandboxes } from './sandbox-cleanup';

const ENGINE_VERSION = '0.1.0';

export interface ConnectionOptions {
  /** Asked to end the engine (engine/shutdown). */
  onShutdown?: () => void;
  /** Label for logs. */
  name: string;
}

function mapError(e: unknown): ResponseError<void> {
  if (e instanceof ProtocolError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
  if (e instanceof BusyError) return new ResponseError(RpcErrors.busy, e.message);
  if (e instanceof RequestError) return new ResponseError(RpcErrors.badRequest, e.message);
  return new ResponseError(ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
}

export interface Attached {
  /** Stops sending events and forgets this client's follows. */
  detach(): void;
  /** Resolves once every notification sent so far has been handed to the transport. */
  flush(): Promise<void>;
}

export function attach(conn: MessageConnection, engine: Engine, opts: ConnectionOptions): Attached {
  const followed = new Set<string>();
  // vscode-jsonrpc writes asynchronously; the engine waits for the last event (the summary)
  // to be written before it closes a connection.
  let sent: Promise<unknown> = Promise.resolve();
  const send = (method: string, payload: unknown) => {
    sent = sent.then(() => conn.sendNotification(method, payload)).catch(() => undefined);
  };
  const handle = <P extends z.ZodType, R extends z.ZodType>(def: RequestDef<P, R>, fn: (p: z.infer<P>) => Promise<z.infer<R>> | z.infer<R>) => {
    conn.onRequest(def.method, async (raw: unknown) => {
      try {
        const params = check(def.method, def.params, raw ?? undefined);
        return check(def.method, def.result, await fn(params));
      } catch (e) {
        throw mapError(e);
      }
    });
  };

  handle(engineP.Hello, (p) => {
    const major = (v: string) => v.split('.')[0];
    if (major(p.protocolVersion) !== major(PROTOCOL_VERSION)) {
      throw new ProtocolError(engineP.Hello.method, `protocol ${p.protocolVersion} is not compatible with the engine's ${PROTOCOL_VERSION}`);
    }
    return { protocolVersion: PROTOCOL_VERSION, engineVersion: ENGINE_VERSION, pid: process.pid, root: process.getuid?.() === 0, status: engine.status() };
  });
  handle(engineP.Shutdown, () => {
    engine.cancel();
    setImmediate(() => opts.onShutdown?.());
    return {};
  });
  handle(build.Start, async (p) => {
    const r = await engine.start(p);
    return { runId: r.runId, resumed: r.resumed };
  });
  handle(build.Cancel, () => ({ cancelled: engine.cancel() }));
  handle(build.Status, () => engine.status());
  handle(build.Rebuild, async (p) => {
    const r = await engine.rebuild(p);
    return { runId: r.runId, reset: r.reset };
  });
  handle(publishP.Publish, (p) => engine.exclusive('publish', () => publish(engine.cfg, p)));
  handle(publishP.MailReport, (p) => engine.exclusive('mail the report', () => mailReport(engine.cfg, p)));
  // Not exclusive: a running build's sandboxes are alive, so the cleanup lists and keeps them.
  handle(sandboxP.Cleanup, (p) => cleanupSandboxes(engine.cfg, p));
  handle(logs.Follow, (p) => {
    followed.add(p.pkgname);
    const r = engine.follow(p.pkgname);
    // What the logs already hold goes to this client only, after the answer.
    setImmediate(() => {
      void existingLogChunks(r.logDir).then((chunks) => {
        for (const c of chunks) send(logs.LogChunked.method, { pkgname: p.pkgname, ...c });
      });
    });
    return r;
  });
  handle(logs.Unfollow, (p) => {
    followed.delete(p.pkgname);
    engine.unfollow(p.pkgname);
    return {};
  });

  const off = engine.hub.on((name, payload) => {
    // Log chunks only go to the connections that follow that package.
    if (name === 'chunk' && !followed.has((payload as { pkgname: string }).pkgname)) return;
    send(EVENTS[name].method, payload);
  });
  conn.listen();
  return {
    detach: () => {
      off();
      for (const p of followed) engine.unfollow(p);
      followed.clear();
    },
    flush: async () => {
      await sent;
    },
  };
}
