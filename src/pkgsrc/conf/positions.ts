// Offsets into the text <-> 0-based line/character positions, with the line breaks LSP uses
// (\n, \r\n and a lone \r), so ranges computed here land on the same spot in the editor.
import type { Position, Range } from '../problem';

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: number[] = [0];
  /** Offset just past the last content character of each line (before its terminator). */
  readonly ends: number[] = [];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        this.ends.push(i);
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.ends.push(i);
        this.starts.push(i + 1);
      }
    }
    this.ends.push(text.length);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineText(line: number): string {
    return this.text.slice(this.starts[line], this.ends[line]);
  }

  lines(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.starts.length; i++) out.push(this.lineText(i));
    return out;
  }

  /** Position of an offset; an offset inside a \r\n pair maps to the end of its line. */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(o, this.ends[lo]!) - this.starts[lo]! };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  offset(p: Position): number {
    const line = Math.max(0, Math.min(p.line, this.starts.length - 1));
    return Math.min(this.starts[line]! + Math.max(0, p.character), this.ends[line]!);
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/** True when p lies in r (start inclusive, end inclusive so a cursor at the end still hits). */
export function rangeContains(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

const indexes = new WeakMap<object, LineIndex>();

/** The LineIndex of a document's text, built once per document object. */
export function lineIndexFor(doc: { text: string }): LineIndex {
  let idx = indexes.get(doc);
  if (!idx) {
    idx = new LineIndex(doc.text);
    indexes.set(doc, idx);
  }
  return idx;
}

/** Records an index already built for the document (the parser has one). */
export function rememberLineIndex(doc: object, idx: LineIndex): void {
  indexes.set(doc, idx);
}
