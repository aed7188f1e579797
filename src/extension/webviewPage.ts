// The page of a webview from an HTML template under media/: a fresh nonce for its script, the
// webview's CSP source and the webview URIs of its assets are filled in for {{nonce}},
// {{cspSource}} and {{name}} (the template's Content-Security-Policy allows nothing else).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';

/** `assets` maps a placeholder name to a file path relative to `dir` (e.g. scriptUri: 'report.js'). */
export async function webviewPage(webview: vscode.Webview, dir: vscode.Uri, template: string, assets: Record<string, string>): Promise<string> {
  const html = await readFile(vscode.Uri.joinPath(dir, template).fsPath, 'utf8');
  const values: Record<string, string> = { nonce: randomBytes(16).toString('base64'), cspSource: webview.cspSource };
  for (const [k, f] of Object.entries(assets)) values[k] = webview.asWebviewUri(vscode.Uri.joinPath(dir, f)).toString();
  return html.replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);
}
