// Hover on a limited_list entry: what the package is (its COMMENT) and where it lives, or why
// the location does not exist in the tree the list is checked against.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { displayName } from '../pkgsrc/tree';
import type { ListAnalysis } from './analysis';
import type { ServerContext } from './context';
import { listEntries, pkgsrcOf } from './listEntries';

export async function listHover(ctx: ServerContext, a: ListAnalysis, pos: Position): Promise<Hover | null> {
  const entry = listEntries(a.text).find((e) => e.range.start.line === pos.line && pos.character <= e.range.end.character);
  if (!entry) return null;
  const pkgsrc = pkgsrcOf(ctx, a);
  if (!pkgsrc) {
    return {
      range: entry.range,
      contents: {
        kind: MarkupKind.Markdown,
        value: `**${entry.text}**\n\nNo pkgsrc tree known for this list: set \`pkgsrc\` in the pbulk.conf that names it, or the \`pkgsrcBulk.pkgsrc\` setting.`,
      },
    };
  }
  const shape = /^[^/\s]+\/[^/\s]+$/.test(entry.text);
  const info = shape ? await ctx.packagePaths.package(pkgsrc.dir, entry.text) : undefined;
  const lines = [`**${entry.text}**`];
  if (!info || info.state !== 'ok') {
    lines.push('', `No package at ${pkgsrc.dir}/${entry.text} (tree from ${pkgsrc.from}).`);
  } else {
    const comment = info.vars.COMMENT;
    if (comment) lines[0] += ` — ${comment.value}`;
    const name = displayName(info);
    lines.push('', [name ? `\`${name.name}\`` : undefined, info.makefile].filter(Boolean).join(' · '));
    lines.push('', `Tree from ${pkgsrc.from}.`);
  }
  return { range: entry.range, contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } };
}
