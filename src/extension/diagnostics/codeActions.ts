// Code actions on build diagnostics: Show log (at the line the diagnostic is about), Rebuild
// (the package, or the failed packages behind an indirect failure), Open dependency.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, type BuildDiagnostics } from './collection';
import type { DiagnosticSpec } from './types';

const ACTION_KIND = vscode.CodeActionKind.QuickFix.append('pkgsrcBulk');

function actionsFor(spec: DiagnosticSpec, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const a = spec.actions;
  if (a.showLog) {
    const act = new vscode.CodeAction(`Show log of ${a.showLog.pkgname}`, ACTION_KIND);
    act.command = { title: act.title, command: 'pkgsrcBulk.showLog', arguments: [a.showLog] };
    act.diagnostics = [diagnostic];
    out.push(act);
  }
  if (a.rebuild?.length) {
    const act = new vscode.CodeAction(`Rebuild ${a.rebuild.length === 1 ? a.rebuild[0] : `${a.rebuild.length} packages`}`, ACTION_KIND);
    act.command = { title: act.title, command: 'pkgsrcBulk.rebuildPackage', arguments: [{ pkgnames: a.rebuild }] };
    act.diagnostics = [diagnostic];
    out.push(act);
  }
  for (const dep of a.openDependency ?? []) {
    const act = new vscode.CodeAction(`Open dependency ${dep.pkgname}${dep.location ? ` (${dep.location})` : ''}`, ACTION_KIND);
    act.command = { title: act.title, command: 'pkgsrcBulk.openDependency', arguments: [dep] };
    act.diagnostics = [diagnostic];
    out.push(act);
  }
  return out;
}

export class BuildCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [ACTION_KIND] };

  constructor(private readonly diagnostics: BuildDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const spec = this.diagnostics.specOf(document.uri, d);
      if (!spec) continue;
      for (const act of actionsFor(spec, d)) {
        if (seen.has(act.title)) continue;
        seen.add(act.title);
        out.push(act);
      }
    }
    return out;
  }
}
