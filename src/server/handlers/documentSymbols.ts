// Outline of a pbulk.conf: settings grouped under the comment block that introduces them.
import { confOutline } from '../confOutline';
import type { Handler } from '../handler';

export const documentSymbols: Handler = {
  name: 'documentSymbol',
  capabilities: { documentSymbolProvider: { label: 'pbulk.conf' } },
  register(ctx) {
    ctx.connection.onDocumentSymbol((params) => {
      const a = ctx.analysisOf(params.textDocument.uri);
      return a?.kind === 'conf' ? confOutline(a.doc) : null;
    });
  },
};
