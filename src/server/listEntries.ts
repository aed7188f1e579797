// The entries of a limited_list as the editor sees them: one `category/dir` token per line,
// comments (lines starting with #) and blank lines skipped. Checks come from the library; this
// is only for completion, hover and links.
import { LineIndex } from '../pkgsrc/conf';
import type { Range } from '../pkgsrc/problem';
import type { ServerContext } from './context';
import type { ListAnalysis } from './analysis';
import type { PkgsrcChoice } from './limitedLists';

export interface ListEntry {
  /** The first blank-separated token of the line. */
  text: string;
  range: Range;
}

export function listLines(text: string): string[] {
  return new LineIndex(text).lines();
}

export function listEntries(text: string): ListEntry[] {
  const out: ListEntry[] = [];
  listLines(text).forEach((l, line) => {
    const m = /^\S+/.exec(l);
    if (!m || l.startsWith('#')) return;
    out.push({ text: m[0], range: { start: { line, character: 0 }, end: { line, character: m[0].length } } });
  });
  return out;
}

export function pkgsrcOf(ctx: ServerContext, a: ListAnalysis): PkgsrcChoice | undefined {
  return ctx.links.pkgsrcFor(a.file, ctx.settings().pkgsrc, ctx.workspaceFolders());
}
