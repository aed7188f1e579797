// Completion in a limited_list: the package locations of the pkgsrc tree the list belongs to
// (see limitedLists.ts), category first (`lang/`), then the packages of that category. A bare
// name completes to every location whose directory starts with it (perl -> lang/perl5).
import { CompletionItemKind, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver';
import type { ListAnalysis } from './analysis';
import type { ServerContext } from './context';
import { listEntries, listLines, pkgsrcOf } from './listEntries';

const maxByName = 200;

export async function listCompletion(ctx: ServerContext, a: ListAnalysis, pos: Position): Promise<CompletionList | null> {
  const line = listLines(a.text)[pos.line] ?? '';
  const before = line.slice(0, pos.character);
  if (before.startsWith('#') || /\s/.test(before)) return null;
  const pkgsrc = pkgsrcOf(ctx, a);
  if (!pkgsrc) return null;
  const listing = await ctx.packagePaths.listing(pkgsrc.dir);
  const after = /^[^\s#]*/.exec(line.slice(pos.character))![0];
  const range: Range = { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: pos.character + after.length } };
  const listed = new Set(
    listEntries(a.text)
      .filter((e) => e.range.start.line !== pos.line)
      .map((e) => e.text),
  );
  const item = (location: string, sort: string): CompletionItem => ({
    label: location,
    kind: CompletionItemKind.Module,
    detail: `${pkgsrc.dir}/${location}`,
    sortText: sort + location,
    textEdit: { range, newText: location },
  });
  const slash = before.indexOf('/');
  if (slash >= 0) {
    const prefix = before.slice(0, slash + 1);
    const items = listing.locations.filter((l) => l.startsWith(prefix) && !listed.has(l)).map((l) => item(l, '0'));
    return { isIncomplete: false, items };
  }
  const items: CompletionItem[] = listing.categories.map((c) => ({
    label: `${c}/`,
    kind: CompletionItemKind.Folder,
    detail: `category in ${pkgsrc.dir}`,
    sortText: `0${c}`,
    textEdit: { range, newText: `${c}/` },
    command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
  }));
  if (before.length >= 2) {
    const byName = listing.locations.filter((l) => l.slice(l.indexOf('/') + 1).startsWith(before) && !listed.has(l));
    items.push(...byName.slice(0, maxByName).map((l) => ({ ...item(l, '1'), filterText: `${l.slice(l.indexOf('/') + 1)} ${l}` })));
  }
  // Typing more narrows the by-name matches, so ask again on the next keystroke.
  return { isIncomplete: true, items };
}
