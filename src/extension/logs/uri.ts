// The URI of a package's log document: `pkgsrc-log:/<PKGNAME>.log?<bulklog>`, so the tab reads
// `foo-1.0.log` and the document knows which bulklog it comes from.
import * as vscode from 'vscode';

export const LOG_SCHEME = 'pkgsrc-log';

export function logUri(bulklog: string, pkgname: string): vscode.Uri {
  return vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${pkgname}.log`, query: bulklog });
}

export function parseLogUri(uri: vscode.Uri): { bulklog: string; pkgname: string } | undefined {
  if (uri.scheme !== LOG_SCHEME) return undefined;
  const m = /^\/(.+)\.log$/.exec(uri.path);
  if (!m || !uri.query) return undefined;
  return { bulklog: uri.query, pkgname: m[1]! };
}
