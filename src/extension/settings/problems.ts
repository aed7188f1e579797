// The diagnostics of a pbulk.conf as the form shows them, with the language server's quick fixes
// as buttons: the diagnostics VS Code holds for the document (the ones Problems lists) and the
// code actions it answers for them, so the form asks nothing of the server beyond LSP.
import * as vscode from 'vscode';
import type { FormProblem } from './model';
import type { Range } from '../../pkgsrc/problem';

const SEVERITY: Record<vscode.DiagnosticSeverity, FormProblem['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export interface CollectedProblems {
  problems: (FormProblem & { range: Range })[];
  /** Quick fixes by the id the form sends back. */
  fixes: Map<string, vscode.CodeAction>;
}

function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  return a.message === b.message && a.range.isEqual(b.range);
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export async function collectProblems(doc: vscode.TextDocument): Promise<CollectedProblems> {
  const diagnostics = vscode.languages.getDiagnostics(doc.uri);
  const fixes = new Map<string, vscode.CodeAction>();
  const byDiagnostic = new Map<vscode.Diagnostic, { id: string; title: string }[]>();
  if (diagnostics.length > 0) {
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions =
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, whole, vscode.CodeActionKind.QuickFix.value)) ?? [];
    actions.forEach((a, i) => {
      // A bare Command (its `command` is the command's id) fixes nothing by itself.
      if (typeof a.command === 'string') return;
      const action = a as vscode.CodeAction;
      if (!action.edit && !action.command) return;
      const id = `${doc.version}:${i}`;
      for (const ad of action.diagnostics ?? []) {
        const d = diagnostics.find((x) => sameDiagnostic(x, ad));
        if (!d) continue;
        fixes.set(id, action);
        const list = byDiagnostic.get(d) ?? [];
        list.push({ id, title: action.title });
        byDiagnostic.set(d, list);
      }
    });
  }
  const problems = diagnostics.map((d) => {
    const p: FormProblem & { range: Range } = {
      severity: SEVERITY[d.severity],
      message: d.message,
      line: d.range.start.line,
      fixes: byDiagnostic.get(d) ?? [],
      range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } },
    };
    const code = codeOf(d);
    if (code !== undefined) p.code = code;
    return p;
  });
  return { problems, fixes };
}
