// How a message of the engine protocol is declared: the vscode-jsonrpc type that carries it
// plus the zod schema both sides check it against. The engine checks what clients send; the
// client checks what the engine sends, so a version mismatch shows as a clear error instead
// of undefined fields deep in the UI.
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { z } from 'zod';

/** Application error codes in JSON-RPC's server range, with which the engine refuses a request. */
export const RpcErrors = {
  /** A build, publish or mail is running. */
  busy: -32001,
  refused: -32002,
  /** The request cannot be carried out as asked (nothing to resume, unknown package ...). */
  badRequest: -32003,
} as const;

export interface RequestDef<P extends z.ZodType, R extends z.ZodType> {
  readonly method: string;
  readonly params: P;
  readonly result: R;
  readonly type: RequestType<z.infer<P>, z.infer<R>, void>;
}

export interface NotificationDef<P extends z.ZodType> {
  readonly method: string;
  readonly params: P;
  readonly type: NotificationType<z.infer<P>>;
}

export function defineRequest<P extends z.ZodType, R extends z.ZodType>(method: string, params: P, result: R): RequestDef<P, R> {
  return { method, params, result, type: new RequestType<z.infer<P>, z.infer<R>, void>(method) };
}

export function defineNotification<P extends z.ZodType>(method: string, params: P): NotificationDef<P> {
  return { method, params, type: new NotificationType<z.infer<P>>(method) };
}

/** A payload that does not match its schema, with the zod issues as one readable line. */
export class ProtocolError extends Error {
  constructor(
    readonly method: string,
    readonly issues: string,
  ) {
    super(`${method}: invalid message: ${issues}`);
  }
}

/** Checks a payload against a schema; throws ProtocolError naming the method and the fields. */
export function check<S extends z.ZodType>(method: string, schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(params)'}: ${i.message}`).join('; ');
  throw new ProtocolError(method, issues);
}
