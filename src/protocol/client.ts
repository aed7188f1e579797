// A typed client over any vscode-jsonrpc MessageConnection to the engine (the extension's
// stdio pipe, or the engine's unix socket): requests and notifications by definition, with
// what the engine sends checked against the schemas before it reaches the caller.
import type { Disposable, MessageConnection } from 'vscode-jsonrpc';
import type { z } from 'zod';
import { check, type NotificationDef, type RequestDef } from './rpc';
import { Hello } from './engine';
import { PROTOCOL_VERSION } from './common';

/** How long after the connection closes an unanswered request fails: answers already read go first. */
const CLOSE_GRACE_MS = 200;

export class EngineClient {
  /** Rejecters of the requests still waiting for an answer. */
  private readonly waiting = new Set<(e: Error) => void>();
  private closed = false;

  constructor(readonly connection: MessageConnection) {
    // vscode-jsonrpc leaves a request pending forever when the peer hangs up without answering;
    // with nothing else to wait for, a CLI would then end silently with status 0.
    connection.onClose(() => {
      this.closed = true;
      setTimeout(() => {
        for (const reject of this.waiting) reject(new Error('the engine closed the connection without answering'));
        this.waiting.clear();
      }, CLOSE_GRACE_MS);
    });
  }

  async request<P extends z.ZodType, R extends z.ZodType>(def: RequestDef<P, R>, params: z.infer<P>): Promise<z.infer<R>> {
    if (this.closed) throw new Error(`${def.method}: the connection to the engine is closed`);
    const raw: unknown = await new Promise((resolve, reject) => {
      const fail = (e: Error) => reject(new Error(`${def.method}: ${e.message}`));
      this.waiting.add(fail);
      this.connection.sendRequest(def.method, params).then(
        (r) => {
          this.waiting.delete(fail);
          resolve(r);
        },
        (e: unknown) => {
          this.waiting.delete(fail);
          reject(e);
        },
      );
    });
    return check(def.method, def.result, raw);
  }

  /** Subscribes to one notification; payloads that fail the schema go to onInvalid. */
  on<P extends z.ZodType>(def: NotificationDef<P>, handler: (payload: z.infer<P>) => void, onInvalid?: (e: Error) => void): Disposable {
    return this.connection.onNotification(def.method, (raw: unknown) => {
      let payload: z.infer<P>;
      try {
        payload = check(def.method, def.params, raw);
      } catch (e) {
        onInvalid?.(e as Error);
        return;
      }
      handler(payload);
    });
  }

  /**
   * The first request on every connection. `timeoutMs`: an engine that takes longer is taken as
   * not answering (an engine that answers at all answers hello at once).
   */
  async hello(client: string, timeoutMs?: number): Promise<z.infer<typeof Hello.result>> {
    const answer = this.request(Hello, { protocolVersion: PROTOCOL_VERSION, client });
    if (timeoutMs === undefined) return answer;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${Hello.method}: no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
