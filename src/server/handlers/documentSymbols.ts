// Outline: pbulk.conf settings grouped under the comment block that introduces them; limited_list
// entries grouped under the comment line above them.
import { confOutline } from '../confOutline';
import type { Handler } from '../handler';
import { listOutline } from '../listOutline';

export const documentSymbols: Handler = {
  name: 'documentSymbol',
  capabilities: { documentSymbolProvider: { label: 'pbulk' } },
  register(ctx) {
    ctx.connection.onDocumentSymbol((params) => {
      const a = ctx.analysisOf(params.textDocument.uri);
      if (!a || a.tooLarge) return null;
      return a.kind === 'conf' ? confOutline(a.doc) : listOutline(a.text, ctx.pbulkVersion().version);
    });
  },
};
