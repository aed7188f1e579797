// A typed client over any vscode-jsonrpc MessageConnection to the engine (the extension's
// stdio pipe, or the engine's unix socket): requests and notifications by definition, with
// what the engine sends checked against the schemas before it reaches the caller.
import type { Disposable, MessageConnection } from 'vscode-jsonrpc';
import type { z } from 'zod';
import { check, type NotificationDef, type RequestDef } from './rpc';
import { Hello } from './engine';
import { PROTOCOL_VERSION } from './common';

export class EngineClient {
  constructor(readonly connection: MessageConnection) {}

  async request<P extends z.ZodType, R extends z.ZodType>(def: RequestDef<P, R>, params: z.infer<P>): Promise<z.infer<R>> {
    const raw: unknown = await this.connection.sendRequest(def.method, params);
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

  /** The first request on every connection. */
  hello(client: string): Promise<z.infer<typeof Hello.result>> {
    return this.request(Hello, { protocolVersion: PROTOCOL_VERSION, client });
  }
}
