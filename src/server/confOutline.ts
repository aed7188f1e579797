// The outline of a pbulk.conf: pbulk's example config is organised in blocks, each introduced by
// a comment ("# The directories where the various files are created."), so every comment block
// followed by settings becomes a section holding them.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Range } from '../pkgsrc/problem';
import type { ConfDocument, Statement } from '../pkgsrc/conf';

interface Header {
  name: string;
  /** First and last line of the comment block. */
  startLine: number;
  endLine: number;
  nameRange: Range;
}

const rcsId = /^\$[A-Za-z]+(?::.*)?\$$/;
const commentedCode = /^[A-Za-z_][A-Za-z0-9_]*=|^(?:export|ulimit|unset|if|fi|case|esac)\b/;

/** A short title from a comment line: its first sentence, at most 60 characters. */
export function sectionTitle(text: string): string | undefined {
  const t = text.replace(/^#+/, '').trim();
  if (t === '' || rcsId.test(t) || commentedCode.test(t) || !/[A-Za-z]/.test(t)) return undefined;
  const sentence = t.split(/(?<=[.!?:])\s/)[0]!.replace(/[.:]$/, '');
  return sentence.length > 60 ? `${sentence.slice(0, 59)}…` : sentence;
}

function headers(doc: ConfDocument): Header[] {
  // Whole-line comments only: a comment after a value belongs to that line.
  const lines = doc.comments.filter((c) => (doc.lines[c.range.start.line] ?? '').slice(0, c.range.start.character).trim() === '');
  const out: Header[] = [];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1]!.range.start.line === lines[j]!.range.start.line + 1) j++;
    for (let k = i; k <= j; k++) {
      const name = sectionTitle(lines[k]!.text);
      if (name) {
        out.push({ name, startLine: lines[i]!.range.start.line, endLine: lines[j]!.range.start.line, nameRange: lines[k]!.range });
        break;
      }
    }
    i = j + 1;
  }
  return out;
}

function statementRange(s: Statement): Range {
  return s.kind === 'assignment' ? s.statementRange : s.range;
}

function truncate(s: string, n = 50): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function statementSymbol(doc: ConfDocument, s: Statement): DocumentSymbol | undefined {
  switch (s.kind) {
    case 'assignment':
      return { name: s.name, kind: SymbolKind.Variable, detail: truncate(s.value.raw), range: s.statementRange, selectionRange: s.nameRange };
    case 'ulimit': {
      const text = ['ulimit', ...s.args.map((a) => a.raw)].join(' ');
      return {
        name: truncate(text),
        kind: SymbolKind.Event,
        detail: 'applies to every pbulk script and package build',
        range: s.range,
        selectionRange: s.range,
      };
    }
    case 'dynamic': {
      const children = s.mayAssign.map((m): DocumentSymbol => ({
        name: m.name,
        kind: SymbolKind.Variable,
        detail: 'may be set here',
        range: m.range,
        selectionRange: m.range,
      }));
      if (s.functionName) {
        return { name: s.functionName.name, kind: SymbolKind.Function, detail: 'function', range: s.range, selectionRange: s.functionName.range, children };
      }
      if (children.length === 0) return undefined;
      const first = doc.lines[s.range.start.line]?.slice(s.range.start.character) ?? s.dynamicKind;
      return { name: truncate(first, 40), kind: SymbolKind.Namespace, detail: s.dynamicKind, range: s.range, selectionRange: s.range, children };
    }
    default:
      return undefined;
  }
}

export function confOutline(doc: ConfDocument): DocumentSymbol[] {
  const heads = headers(doc);
  const top: DocumentSymbol[] = [];
  const sections = new Map<Header, DocumentSymbol[]>();
  let h = -1;
  for (const s of doc.statements) {
    const sym = statementSymbol(doc, s);
    if (!sym) continue;
    const line = statementRange(s).start.line;
    while (h + 1 < heads.length && heads[h + 1]!.endLine < line) h++;
    if (h < 0) {
      top.push(sym);
      continue;
    }
    const head = heads[h]!;
    const list = sections.get(head) ?? [];
    list.push(sym);
    sections.set(head, list);
  }
  const out: DocumentSymbol[] = [...top];
  for (const [head, children] of sections) {
    const last = children[children.length - 1]!.range.end;
    out.push({
      name: head.name,
      kind: SymbolKind.Namespace,
      range: { start: { line: head.startLine, character: 0 }, end: last },
      selectionRange: head.nameRange,
      children,
    });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
