// Completion: pbulk variables and their values in a pbulk.conf, package locations in a limited_list.
import type { CompletionList } from 'vscode-languageserver';
import { pbulkPrefixesOf } from '../../pkgsrc/conf';
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
        const version = ctx.pbulkVersion(a.evaluation);
        // pbulk's own tools and scripts live under its prefix, which the config's paths reveal.
        const pbulkPrefix = pbulkPrefixesOf(a.evaluation)[0] ?? version.prefix ?? '/usr/pkg_bulk';
        const items = confCompletion(a, params.position, { pbulkVersion: version.version, pbulkPrefix, snippets: ctx.client.snippets });
        return { isIncomplete: false, items };
      }
      return listCompletion(ctx, a, params.position);
    });
  },
};
