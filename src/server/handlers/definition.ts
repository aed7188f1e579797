// Go to definition of ${var}/$var: the assignments the reference sees when pbulk sources the file.
import type { Location } from 'vscode-languageserver';
import { definitionsFor, assignmentsOf, nameAt } from '../confNames';
import type { Handler } from '../handler';

export const definition: Handler = {
  name: 'definition',
  capabilities: { definitionProvider: true },
  register(ctx) {
    ctx.connection.onDefinition((params): Location[] | null => {
      const a = ctx.analysisOf(params.textDocument.uri);
      if (a?.kind !== 'conf') return null;
      const at = nameAt(a.doc, params.position);
      if (!at) return null;
      const sites = at.kind === 'reference' ? definitionsFor(a.doc, at.name, at.reference.statement, at.reference.context) : assignmentsOf(a.doc, at.name);
      if (sites.length === 0) return null;
      return sites.map((s) => ({ uri: a.uri, range: s.range }));
    });
  },
};
