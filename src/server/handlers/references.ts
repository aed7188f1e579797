// Find references of a variable: every ${var}/$var, plus its assignments, export and unset.
import type { Location } from 'vscode-languageserver';
import { nameAt, occurrencesOf } from '../confNames';
import type { Handler } from '../handler';

export const references: Handler = {
  name: 'references',
  capabilities: { referencesProvider: true },
  register(ctx) {
    ctx.connection.onReferences((params): Location[] | null => {
      const a = ctx.analysisOf(params.textDocument.uri);
      if (a?.kind !== 'conf') return null;
      const at = nameAt(a.doc, params.position);
      if (!at || at.kind === 'function') return null;
      return occurrencesOf(a.doc, at.name, params.context.includeDeclaration).map((range) => ({ uri: a.uri, range }));
    });
  },
};
