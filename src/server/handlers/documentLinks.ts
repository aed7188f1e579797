// Document links: path values of a pbulk.conf that name a file on this machine (limited_list,
// bootstrapkit, tools, pbulk's scripts) and limited_list entries (to the package Makefile).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DocumentLink } from 'vscode-languageserver';
import { variableInfo, type FileProbe } from '../../pkgsrc/conf';
import type { ConfAnalysis, ListAnalysis } from '../analysis';
import type { ServerContext } from '../context';
import { fileToUri } from '../convert';
import type { Handler } from '../handler';
import { listEntries, pkgsrcOf } from '../listEntries';

const linkTypes = new Set(['file', 'executable', 'command', 'bootstrapkit']);

function confLinks(a: ConfAnalysis, probe: FileProbe): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const s of a.doc.statements) {
    if (s.kind !== 'assignment') continue;
    const spec = variableInfo(s.name);
    if (!spec || !linkTypes.has(spec.type)) continue;
    const value = a.evaluation.origins.get(s)?.value;
    // A command may carry arguments (gzip="/bin/gzip -nf -9"): the program is the first word.
    const target = value?.trim().split(/\s+/)[0];
    if (!target || !path.isAbsolute(target) || probe.stat(target)?.kind !== 'file') continue;
    const raw = s.value.raw;
    const quote = raw.startsWith('"') || raw.startsWith("'") ? 1 : 0;
    const literal = raw.slice(quote).startsWith(target) && s.value.range.start.line === s.value.range.end.line;
    const start = s.value.range.start;
    const range = literal
      ? { start: { line: start.line, character: start.character + quote }, end: { line: start.line, character: start.character + quote + target.length } }
      : s.value.range;
    out.push({ range, target: fileToUri(target), tooltip: `Open ${target}` });
  }
  return out;
}

function listLinks(ctx: ServerContext, a: ListAnalysis): DocumentLink[] {
  const pkgsrc = pkgsrcOf(ctx, a);
  if (!pkgsrc) return [];
  const out: DocumentLink[] = [];
  for (const e of listEntries(a.text)) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(e.text)) continue;
    const makefile = path.join(pkgsrc.dir, e.text, 'Makefile');
    if (existsSync(makefile)) out.push({ range: e.range, target: fileToUri(makefile), tooltip: `Open ${makefile}` });
  }
  return out;
}

export const documentLinks: Handler = {
  name: 'documentLink',
  capabilities: { documentLinkProvider: { resolveProvider: false } },
  register(ctx) {
    ctx.connection.onDocumentLinks((params): DocumentLink[] | null => {
      const a = ctx.analysisOf(params.textDocument.uri);
      if (!a || a.tooLarge) return null;
      return a.kind === 'conf' ? confLinks(a, ctx.probe) : listLinks(ctx, a);
    });
  },
};
