// The shape of one LSP feature: the capabilities it announces in `initialize` and the function
// that registers its request handlers on the connection. server.ts merges and registers them all.
import type { ServerCapabilities } from 'vscode-languageserver';
import type { ServerContext } from './context';

export interface Handler {
  /** For logs and error messages. */
  name: string;
  capabilities: ServerCapabilities;
  register(ctx: ServerContext): void;
}
