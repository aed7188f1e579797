// File system completion for path values (bulklog=/bu| -> /bulk/): lists the directory of the
// typed prefix on this machine. Only the last path segment is replaced, so the rest of what the
// user typed stays as it is.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver';

const maxEntries = 500;

/**
 * Items for the segment after the last `/` of typed (an absolute path), replacing `range` (which
 * covers that segment). `wantDirectories`: only directories are useful (bulklog, pkgsrc ...).
 */
export function pathItems(typed: string, range: Range, wantDirectories: boolean): CompletionItem[] {
  if (!typed.startsWith('/')) return [];
  const dir = typed.slice(0, typed.lastIndexOf('/') + 1);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: CompletionItem[] = [];
  for (const e of entries) {
    if (out.length >= maxEntries) break;
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      try {
        isDir = statSync(path.join(dir, e.name)).isDirectory();
      } catch {
        isDir = false;
      }
    }
    if (wantDirectories && !isDir) continue;
    out.push({
      label: isDir ? `${e.name}/` : e.name,
      kind: isDir ? CompletionItemKind.Folder : CompletionItemKind.File,
      detail: path.join(dir, e.name),
      textEdit: { range, newText: isDir ? `${e.name}/` : e.name },
      filterText: e.name,
      sortText: `${e.name.startsWith('.') ? '1' : '0'}${e.name}`,
      ...(isDir ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
    });
  }
  return out;
}
