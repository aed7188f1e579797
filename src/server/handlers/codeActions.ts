// Quick fixes: the library attaches fixes to its diagnostics (rename to the suggested variable,
// fix a boolean's spelling, replace a placeholder, remove a duplicate entry ...); they travel in
// the published diagnostic's `data`. Fixes computed for an older version of the text are not
// offered: their ranges would land in the wrong place.
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { diagnosticSource, isDiagnosticData } from '../convert';
import type { Handler } from '../handler';

export const codeActions: Handler = {
  name: 'codeAction',
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
  register(ctx) {
    ctx.connection.onCodeAction((params): CodeAction[] => {
      const only = params.context.only;
      if (only && !only.some((k) => CodeActionKind.QuickFix === k || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
      const uri = params.textDocument.uri;
      const version = ctx.documents.get(uri)?.version;
      const out: CodeAction[] = [];
      for (const d of params.context.diagnostics) {
        if (d.source !== diagnosticSource || !isDiagnosticData(d.data) || d.data.version !== version) continue;
        const fixes = d.data.fixes;
        fixes.forEach((fix, i) => {
          out.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [d],
            isPreferred: i === 0,
            edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
          });
        });
      }
      return out;
    });
  },
};
