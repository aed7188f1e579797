// Hover: a variable's documentation, its value at that spot and where the value came from.
import { confHover } from '../confHover';
import type { Handler } from '../handler';
import { listHover } from '../listHover';

export const hover: Handler = {
  name: 'hover',
  capabilities: { hoverProvider: true },
  register(ctx) {
    ctx.connection.onHover(async (params) => {
      const a = ctx.analysisOf(params.textDocument.uri);
      if (!a || a.tooLarge) return null;
      return a.kind === 'conf' ? confHover(a, params.position) : listHover(ctx, a, params.position);
    });
  },
};
