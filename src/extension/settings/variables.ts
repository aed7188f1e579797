// The pbulk.conf variables each diagnostic of the language server is about, which it sends in
// the diagnostic's `data`. The diagnostics VS Code hands out (languages.getDiagnostics) are
// plain ones without it, so the language client records the variables per document as the
// diagnostics arrive, and the settings form looks them up by range, code and message.
import type * as vscode from 'vscode';

const byDocument = new Map<string, Map<string, string[]>>();

function keyOf(d: vscode.Diagnostic): string {
  const r = d.range;
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${String(code)}|${d.message}`;
}

function variablesIn(data: unknown): string[] | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const v = (data as { variables?: unknown }).variables;
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** Replaces what is known for the document: each publication holds all of its diagnostics. */
export function recordVariables(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): void {
  const map = new Map<string, string[]>();
  for (const d of diagnostics) {
    const v = variablesIn((d as vscode.Diagnostic & { data?: unknown }).data);
    if (v) map.set(keyOf(d), v);
  }
  if (map.size > 0) byDocument.set(uri.toString(), map);
  else byDocument.delete(uri.toString());
}

/** The variables of one diagnostic VS Code holds for the document; undefined when not known. */
export function variablesOf(uri: vscode.Uri, d: vscode.Diagnostic): string[] | undefined {
  return byDocument.get(uri.toString())?.get(keyOf(d));
}
