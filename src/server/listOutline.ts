// Outline of a limited_list: its package locations, grouped under the comment line above them
// ("# base set"), as people organise long lists.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { LineIndex, parseLimitedList } from '../pkgsrc/conf';

export function listOutline(text: string, pbulkVersion: string): DocumentSymbol[] {
  const idx = new LineIndex(text);
  const list = parseLimitedList(text, pbulkVersion);
  const headers = list.comments
    .filter((c) => c.start.character === 0 && idx.lineText(c.start.line).replace(/^#+/, '').trim() !== '')
    .map((c) => ({ range: c, name: idx.lineText(c.start.line).replace(/^#+/, '').trim().slice(0, 60) }));
  const out: DocumentSymbol[] = [];
  let h = -1;
  let group: DocumentSymbol | undefined;
  for (const e of list.entries) {
    const sym: DocumentSymbol = { name: e.location, kind: SymbolKind.Package, range: e.range, selectionRange: e.range };
    let moved = false;
    while (h + 1 < headers.length && headers[h + 1]!.range.start.line < e.line) {
      h++;
      moved = true;
    }
    if (h < 0) {
      out.push(sym);
      continue;
    }
    if (moved || !group) {
      const head = headers[h]!;
      group = { name: head.name, kind: SymbolKind.Namespace, range: { start: head.range.start, end: e.range.end }, selectionRange: head.range, children: [] };
      out.push(group);
    }
    group.children!.push(sym);
    group.range = { start: group.range.start, end: e.range.end };
  }
  return out;
}
