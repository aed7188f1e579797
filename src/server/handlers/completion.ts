// Completion: pbulk variables and their values in a pbulk.conf, package locations in a limited_list.
import type { CompletionList } from 'vscode-languageserver';
import { confCompletion } from '../confCompletion';
import type { Handler } from '../handler';
import { listCompletion } from '../listCompletion';

export const completion: Handler = {
  name: 'completion',
  capabilities: { completionProvider: { triggerCharacters: ['$', '{', '/', '='], resolveProvider: false } },
  register(ctx) {
    ctx.connection.onCompletion(async (params): Promise<CompletionList | null> => {
      const a = ctx.analysisOf(params.textDocument.uri);
      if (!a || a.tooLarge) return null;
      if (a.kind === 'conf') {
        const items = confCompletion(a, params.position, { pbulkVersion: ctx.pbulkVersion(a.evaluation).version, snippets: ctx.client.snippets });
        return { isIncomplete: false, items };
      }
      return listCompletion(ctx, a, params.position);
    });
  },
};
