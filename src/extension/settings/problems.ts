// The diagnostics of a pbulk.conf as the form shows them, with the language server's quick fixes
// as buttons: the diagnostics VS Code holds for the document (the ones Problems lists) and the
// code actions it answers for them, so the form asks nothing of the server beyond LSP.
import * as vscode from 'vscode';
import { checkCodes } from '../../pkgsrc/conf/codes';
import type { FormProblem } from './model';
import type { Range } from '../../pkgsrc/problem';
import { variablesOf } from './variables';

const SEVERITY: Record<vscode.DiagnosticSeverity, FormProblem['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export interface CollectedProblems {
  problems: (FormProblem & { range: Range; variables?: string[] })[];
  /** Quick fixes by the id the form sends back. */
  fixes: Map<string, vscode.CodeAction>;
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** Diagnostic codes whose checks offer a fix: only those are asked for code actions. */
const FIXABLE = new Set(checkCodes.filter((c) => c.fix).map((c) => c.code));

/**
 * The code actions answered for the range of each fixable diagnostic. An answer covers every
 * diagnostic the range touches (code actions come back without their diagnostics), so a fix
 * already given to an earlier diagnostic it overlaps is not given again.
 */
async function fixesByDiagnostic(
  doc: vscode.TextDocument,
  diagnostics: readonly vscode.Diagnostic[],
  fixes: Map<string, vscode.CodeAction>,
): Promise<Map<vscode.Diagnostic, { id: string; title: string }[]>> {
  const out = new Map<vscode.Diagnostic, { id: string; title: string }[]>();
  const given: { range: vscode.Range; title: string }[] = [];
  for (const d of diagnostics) {
    const code = codeOf(d);
    if (code === undefined || !FIXABLE.has(code)) continue;
    const actions =
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      )) ?? [];
    const list: { id: string; title: string }[] = [];
    for (const a of actions) {
      // A bare Command (its `command` is the command's id) fixes nothing by itself.
      if (typeof a.command === 'string') continue;
      const action = a as vscode.CodeAction;
      if (!action.edit && !action.command) continue;
      if (given.some((g) => g.title === action.title && g.range.intersection(d.range) !== undefined)) continue;
      given.push({ range: d.range, title: action.title });
      const id = `${doc.version}:${fixes.size}`;
      fixes.set(id, action);
      list.push({ id, title: action.title });
    }
    if (list.length > 0) out.set(d, list);
  }
  return out;
}

export async function collectProblems(doc: vscode.TextDocument): Promise<CollectedProblems> {
  const diagnostics = vscode.languages.getDiagnostics(doc.uri);
  const fixes = new Map<string, vscode.CodeAction>();
  const byDiagnostic = await fixesByDiagnostic(doc, diagnostics, fixes);
  const problems = diagnostics.map((d) => {
    const p: FormProblem & { range: Range; variables?: string[] } = {
      severity: SEVERITY[d.severity],
      message: d.message,
      line: d.range.start.line,
      fixes: byDiagnostic.get(d) ?? [],
      range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } },
    };
    const code = codeOf(d);
    if (code !== undefined) p.code = code;
    const variables = variablesOf(doc.uri, d);
    if (variables) p.variables = variables;
    return p;
  });
  return { problems, fixes };
}
