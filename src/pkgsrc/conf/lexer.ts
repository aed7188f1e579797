// Tokens of the POSIX sh subset a pbulk.conf is written in: words (with their quoting and
// expansions kept as parts), operators, newlines and comments. The grammar lives in parser.ts,
// which extends this class; command substitution $(...) calls back into it, as a real shell does.
import type { Range, Severity } from '../problem';
import { LineIndex } from './positions';
import type { Comment, ConfDiagnostic, ConfFix, Reference, ReferenceContext, Word, WordPart } from './types';

export type Token =
  | { t: 'word'; word: Word; start: number; end: number }
  | { t: 'op'; op: string; start: number; end: number }
  | { t: 'nl'; start: number; end: number }
  | { t: 'eof'; start: number; end: number };

const OPERATORS = ['<<-', ';;', '&&', '||', '<<', '>>', '<&', '>&', '<>', '>|', ';', '&', '|', '<', '>', '(', ')'];
const SPECIAL_PARAMS = '@*#?-$!';
const PARAM_OPS = [':-', ':=', ':?', ':+', '##', '%%', '-', '=', '?', '+', '#', '%'];

// Characters that look like a blank to a reader but are ordinary word characters to /bin/sh.
const ODD_SPACES: Record<number, string> = {
  0x0b: 'vertical tab',
  0x0c: 'form feed',
  0xa0: 'U+00A0 NO-BREAK SPACE',
  0x1680: 'U+1680 OGHAM SPACE MARK',
  0x200b: 'U+200B ZERO WIDTH SPACE',
  0x202f: 'U+202F NARROW NO-BREAK SPACE',
  0x205f: 'U+205F MEDIUM MATHEMATICAL SPACE',
  0x3000: 'U+3000 IDEOGRAPHIC SPACE',
  0xfeff: 'U+FEFF BYTE ORDER MARK',
};
for (let c = 0x2000; c <= 0x200a; c++) ODD_SPACES[c] = `U+${c.toString(16).toUpperCase()} SPACE`;

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
function isNewline(c: number): boolean {
  return c === 10 || c === 13;
}
/** Characters that end an unquoted word. */
function isMeta(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 59 || c === 38 || c === 124 || c === 60 || c === 62 || c === 40 || c === 41;
}

const CONTEXT_RANK: Record<ReferenceContext, number> = { top: 0, dynamic: 1, substitution: 2, function: 3 };

export abstract class Lexer {
  protected pos = 0;
  protected readonly idx: LineIndex;
  readonly problems: ConfDiagnostic[] = [];
  readonly comments: Comment[] = [];
  readonly references: Reference[] = [];
  /** Context given to references created now. */
  protected refContext: ReferenceContext = 'top';
  /** Index of the top-level statement being parsed. */
  protected statementIndex = 0;
  private pendingHeredocs: { delim: string; stripTabs: boolean; quoted: boolean; start: number; end: number }[] = [];
  private oddSpaceReports = 0;

  constructor(
    protected readonly text: string,
    readonly file: string,
  ) {
    this.idx = new LineIndex(text);
  }

  /** Parses the commands of $(...) up to and including its `)`; called with pos after `$(`. */
  protected abstract parseCommandSubstitution(openStart: number): void;
  /** A `${name=word}` / `${name:=word}` assigns name: the parser records it for dynamic regions. */
  protected abstract noteParamAssignment(name: string, range: Range): void;

  protected range(start: number, end: number): Range {
    return this.idx.range(start, end);
  }

  protected problem(start: number, end: number, message: string, code = 'syntax-error', severity: Severity = 'error', fixes?: ConfFix[]): void {
    const d: ConfDiagnostic = { file: this.file, range: this.range(start, end), severity, message, code };
    if (fixes) d.fixes = fixes;
    this.problems.push(d);
  }

  protected withContext<T>(ctx: ReferenceContext, fn: () => T): T {
    const saved = this.refContext;
    if (CONTEXT_RANK[ctx] > CONTEXT_RANK[saved]) this.refContext = ctx;
    try {
      return fn();
    } finally {
      this.refContext = saved;
    }
  }

  // ---- tokens ----

  /** Skips blanks, line continuations and a comment; returns the next token. */
  protected lex(): Token {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (isBlank(c)) {
        this.pos++;
      } else if (c === 92 /* \ */ && isNewline(text.charCodeAt(this.pos + 1))) {
        this.pos += text.charCodeAt(this.pos + 1) === 13 && text.charCodeAt(this.pos + 2) === 10 ? 3 : 2;
      } else {
        break;
      }
    }
    const start = this.pos;
    if (start >= text.length) return { t: 'eof', start, end: start };
    const c = text.charCodeAt(start);
    if (c === 35 /* # */) {
      let end = start;
      while (end < text.length && !isNewline(text.charCodeAt(end))) end++;
      this.comments.push({ text: text.slice(start + 1, end), range: this.range(start, end) });
      this.pos = end;
      return this.lex();
    }
    if (isNewline(c)) {
      this.pos += c === 13 && text.charCodeAt(start + 1) === 10 ? 2 : 1;
      const tok: Token = { t: 'nl', start, end: this.pos };
      if (this.pendingHeredocs.length > 0) this.readHeredocBodies();
      return tok;
    }
    if (isMeta(c)) {
      for (const op of OPERATORS) {
        if (text.startsWith(op, start)) {
          this.pos = start + op.length;
          return { t: 'op', op, start, end: this.pos };
        }
      }
    }
    const word = this.readWord(false);
    return { t: 'word', word, start, end: this.pos };
  }

  /** Registers a here-document whose body starts after the next newline. */
  protected addHeredoc(word: Word, stripTabs: boolean, start: number, end: number): void {
    const quoted = word.parts.some((p) => p.kind !== 'literal') || word.raw.includes('\\');
    const delim = word.parts.map((p) => (p.kind === 'literal' || p.kind === 'single' ? p.text : p.kind === 'double' ? flatText(p.parts) : '')).join('');
    this.pendingHeredocs.push({ delim, stripTabs, quoted, start, end });
  }

  private readHeredocBodies(): void {
    const text = this.text;
    for (const h of this.pendingHeredocs) {
      let found = false;
      while (this.pos < text.length) {
        let lineEnd = this.pos;
        while (lineEnd < text.length && !isNewline(text.charCodeAt(lineEnd))) lineEnd++;
        let line = text.slice(this.pos, lineEnd);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        const next = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : lineEnd < text.length ? 1 : 0);
        if (line === h.delim) {
          this.pos = next;
          found = true;
          break;
        }
        if (!h.quoted) this.scanLooseReferences(this.pos, lineEnd, 'substitution');
        this.pos = next;
      }
      if (!found) {
        this.problem(h.start, h.end, `here-document started here ends at the end of the file: no line reading exactly '${h.delim}'`, 'syntax-error', 'warning');
      }
    }
    this.pendingHeredocs = [];
  }

  // ---- words ----

  /** Reads one word at pos. inBrace: the word of ${name op word}, which ends at an unquoted `}`. */
  protected readWord(inBrace: boolean): Word {
    const start = this.pos;
    const parts = this.readParts(inBrace);
    return { parts, range: this.range(start, this.pos), raw: this.text.slice(start, this.pos) };
  }

  private readParts(inBrace: boolean): WordPart[] {
    const text = this.text;
    const parts: WordPart[] = [];
    let lit = '';
    let litStart = this.pos;
    const add = (s: string, at: number): void => {
      if (lit === '') litStart = at;
      lit += s;
    };
    const flush = (end: number): void => {
      if (lit !== '') parts.push({ kind: 'literal', text: lit, range: this.range(litStart, end) });
      lit = '';
    };
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (inBrace ? c === 125 /* } */ : isMeta(c)) break;
      if (c === 92 /* \ */) {
        const n = text.charCodeAt(this.pos + 1);
        if (isNewline(n)) {
          this.pos += n === 13 && text.charCodeAt(this.pos + 2) === 10 ? 3 : 2;
        } else if (Number.isNaN(n)) {
          add('\\', this.pos);
          this.pos++;
        } else {
          add(String.fromCharCode(n), this.pos);
          this.pos += 2;
        }
        continue;
      }
      if (c === 39 /* ' */ || c === 34 /* " */ || c === 36 /* $ */ || c === 96 /* ` */) {
        const partStart = this.pos;
        const part = c === 39 ? this.readSingle() : c === 34 ? this.readDouble() : c === 96 ? this.readBackquote() : this.readDollar();
        if (part === undefined) {
          // A `$` that starts no expansion is a plain character.
          add('$', partStart);
          this.pos = partStart + 1;
          continue;
        }
        flush(partStart);
        parts.push(part);
        continue;
      }
      // A run of ordinary characters is taken in one slice.
      let e = this.pos;
      for (;;) {
        const ch = text.charCodeAt(e);
        if (Number.isNaN(ch) || (inBrace ? ch === 125 : isMeta(ch)) || ch === 92 || ch === 39 || ch === 34 || ch === 36 || ch === 96) break;
        if (ch >= 0x0b && ODD_SPACES[ch] !== undefined) this.reportOddSpace(e, ODD_SPACES[ch]!);
        e++;
      }
      if (e === this.pos) e++; // a newline inside ${...}
      add(text.slice(this.pos, e), this.pos);
      this.pos = e;
    }
    flush(this.pos);
    return parts;
  }

  private reportOddSpace(at: number, name: string): void {
    if (this.oddSpaceReports++ >= 20) return;
    if (at === 0 && name.includes('BYTE ORDER MARK')) {
      this.problem(
        at,
        at + 1,
        'byte order mark at the start of the file: /bin/sh reads it as part of the first word, so the first line is not an assignment',
        'byte-order-mark',
        'error',
        [{ title: 'Remove the byte order mark', edits: [{ range: this.range(0, 1), newText: '' }] }],
      );
      return;
    }
    this.problem(at, at + 1, `${name} is not a blank to /bin/sh: it becomes part of the word`, 'odd-whitespace', 'warning', [
      { title: 'Replace with a space', edits: [{ range: this.range(at, at + 1), newText: ' ' }] },
    ]);
  }

  private readSingle(): WordPart {
    const start = this.pos;
    const close = this.text.indexOf("'", start + 1);
    if (close < 0) {
      this.pos = this.text.length;
      this.problem(start, start + 1, 'unterminated single quote: the value runs to the end of the file', 'unterminated-quote');
      return { kind: 'single', text: this.text.slice(start + 1), range: this.range(start, this.pos) };
    }
    this.pos = close + 1;
    return { kind: 'single', text: this.text.slice(start + 1, close), range: this.range(start, this.pos) };
  }

  private readDouble(): WordPart {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    const parts: WordPart[] = [];
    let lit = '';
    let litStart = this.pos;
    const flush = (end: number): void => {
      if (lit !== '') parts.push({ kind: 'literal', text: lit, range: this.range(litStart, end) });
      lit = '';
    };
    let closed = false;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 34) {
        flush(this.pos);
        this.pos++;
        closed = true;
        break;
      }
      if (c === 92) {
        const n = text.charCodeAt(this.pos + 1);
        if (lit === '') litStart = this.pos;
        if (n === 36 || n === 96 || n === 34 || n === 92) {
          lit += String.fromCharCode(n);
          this.pos += 2;
        } else if (isNewline(n)) {
          this.pos += n === 13 && text.charCodeAt(this.pos + 2) === 10 ? 3 : 2;
        } else {
          lit += '\\';
          this.pos++;
        }
        continue;
      }
      if (c === 36 || c === 96) {
        const partStart = this.pos;
        const part = c === 96 ? this.readBackquote() : this.readDollar();
        if (part === undefined) {
          if (lit === '') litStart = partStart;
          lit += '$';
          this.pos = partStart + 1;
          continue;
        }
        flush(partStart);
        parts.push(part);
        litStart = this.pos;
        continue;
      }
      if (lit === '') litStart = this.pos;
      lit += text[this.pos];
      this.pos++;
    }
    if (!closed) {
      flush(this.pos);
      this.problem(start, start + 1, 'unterminated double quote: the value runs to the end of the file', 'unterminated-quote');
    }
    return { kind: 'double', parts, range: this.range(start, this.pos) };
  }

  private readBackquote(): WordPart {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < text.length && text.charCodeAt(i) !== 96) i += text.charCodeAt(i) === 92 ? 2 : 1;
    const closed = i < text.length;
    const end = closed ? i + 1 : text.length;
    this.scanLooseReferences(start + 1, Math.min(i, text.length), 'substitution');
    if (!closed) this.problem(start, start + 1, 'unterminated backquote command substitution', 'unterminated-quote');
    this.pos = end;
    return { kind: 'command', text: text.slice(start + 1, Math.min(i, text.length)), range: this.range(start, end), backquote: true };
  }

  /** $... at pos. Undefined when the `$` starts no expansion (then it is a literal `$`). */
  private readDollar(): WordPart | undefined {
    const text = this.text;
    const start = this.pos;
    const n = text.charCodeAt(start + 1);
    if (n === 123 /* { */) return this.readBraceParam();
    if (n === 40 /* ( */) {
      if (text.charCodeAt(start + 2) === 40) {
        const arith = this.readArithmetic();
        if (arith) return arith;
      }
      this.pos = start + 2;
      this.withContext('substitution', () => this.parseCommandSubstitution(start));
      return { kind: 'command', text: text.slice(start + 2, Math.max(start + 2, this.pos - 1)), range: this.range(start, this.pos), backquote: false };
    }
    if (isNameStart(n)) {
      let e = start + 2;
      while (isNameChar(text.charCodeAt(e))) e++;
      this.pos = e;
      return this.paramPart(text.slice(start + 1, e), start, e, start + 1, e, false, false);
    }
    if (isDigit(n) || (!Number.isNaN(n) && SPECIAL_PARAMS.includes(String.fromCharCode(n)))) {
      this.pos = start + 2;
      return this.paramPart(String.fromCharCode(n), start, start + 2, start + 1, start + 2, false, true);
    }
    return undefined;
  }

  private paramPart(
    name: string,
    start: number,
    end: number,
    nameStart: number,
    nameEnd: number,
    braced: boolean,
    special: boolean,
    op?: string,
    word?: Word,
  ): WordPart {
    const ref: Reference = {
      name,
      range: this.range(start, end),
      nameRange: this.range(nameStart, nameEnd),
      braced,
      statement: this.statementIndex,
      context: this.refContext,
      special,
    };
    if (op !== undefined) ref.op = op;
    if (word !== undefined) ref.word = word;
    this.references.push(ref);
    if (!special && (op === '=' || op === ':=')) this.noteParamAssignment(name, ref.nameRange);
    return { kind: 'param', ref, range: ref.range };
  }

  private readBraceParam(): WordPart {
    const text = this.text;
    const start = this.pos;
    let i = start + 2;
    let lengthOp = false;
    if (text.charCodeAt(i) === 35 /* # */ && text.charCodeAt(i + 1) !== 125 && i + 1 < text.length) {
      const n = text.charCodeAt(i + 1);
      if (isNameStart(n) || isDigit(n) || SPECIAL_PARAMS.includes(text[i + 1]!)) {
        lengthOp = true;
        i++;
      }
    }
    const nameStart = i;
    let special = false;
    if (isNameStart(text.charCodeAt(i))) {
      while (isNameChar(text.charCodeAt(i))) i++;
    } else if (isDigit(text.charCodeAt(i))) {
      while (isDigit(text.charCodeAt(i))) i++;
      special = true;
    } else if (i < text.length && SPECIAL_PARAMS.includes(text[i]!)) {
      i++;
      special = true;
    }
    const nameEnd = i;
    const name = text.slice(nameStart, nameEnd);
    let op: string | undefined = lengthOp ? 'len' : undefined;
    let word: Word | undefined;
    if (!lengthOp && name !== '') {
      op = PARAM_OPS.find((o) => text.startsWith(o, i));
      if (op !== undefined) {
        this.pos = i + op.length;
        word = this.readWord(true);
        i = this.pos;
      }
    }
    if (text.charCodeAt(i) === 125) {
      this.pos = i + 1;
      if (name === '') {
        this.problem(start, this.pos, `bad substitution '${text.slice(start, this.pos)}': /bin/sh stops sourcing the file here`, 'bad-substitution');
        return { kind: 'command', text: text.slice(start, this.pos), range: this.range(start, this.pos), backquote: false };
      }
      return this.paramPart(name, start, this.pos, nameStart, nameEnd, true, special, op, word);
    }
    // Something the shell cannot parse: find the closing brace to resynchronise.
    this.pos = i;
    this.readWord(true);
    if (text.charCodeAt(this.pos) === 125) {
      this.pos++;
      this.problem(start, this.pos, `bad substitution '${text.slice(start, this.pos)}': /bin/sh stops sourcing the file here`, 'bad-substitution');
    } else {
      this.problem(start, start + 2, "unterminated '${': no closing '}'", 'unterminated-quote');
    }
    return { kind: 'command', text: text.slice(start, this.pos), range: this.range(start, this.pos), backquote: false };
  }

  /** $((...)); undefined when no matching `))` follows (then it is $( ( ... ) ) after all). */
  private readArithmetic(): WordPart | undefined {
    const text = this.text;
    const start = this.pos;
    let depth = 0;
    let i = start + 3;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 40) depth++;
      else if (c === 41) {
        if (depth === 0) break;
        depth--;
      }
    }
    if (i >= text.length || text.charCodeAt(i + 1) !== 41) return undefined;
    this.withContext('substitution', () => {
      this.scanLooseReferences(start + 3, i, 'substitution');
      // Bare names inside arithmetic are variable reads too.
      const body = text.slice(start + 3, i);
      const re = /(^|[^$A-Za-z0-9_{])([A-Za-z_][A-Za-z0-9_]*)/g;
      for (let m = re.exec(body); m; m = re.exec(body)) {
        const s = start + 3 + m.index + m[1]!.length;
        const e = s + m[2]!.length;
        this.references.push({
          name: m[2]!,
          range: this.range(s, e),
          nameRange: this.range(s, e),
          braced: false,
          statement: this.statementIndex,
          context: this.refContext,
          special: false,
        });
      }
    });
    this.pos = i + 2;
    return { kind: 'arith', text: text.slice(start + 3, i), range: this.range(start, this.pos) };
  }

  /** References in text the parser does not descend into (backquotes, here-documents, arithmetic). */
  protected scanLooseReferences(from: number, to: number, ctx: ReferenceContext): void {
    const body = this.text.slice(from, to);
    const re = /\\.|'[^']*'|\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
    this.withContext(ctx, () => {
      for (let m = re.exec(body); m; m = re.exec(body)) {
        const name = m[1] ?? m[2];
        if (name === undefined) continue;
        const s = from + m.index;
        const e = s + m[0].length;
        const ns = s + (m[1] !== undefined ? 2 : 1);
        this.references.push({
          name,
          range: this.range(s, e),
          nameRange: this.range(ns, ns + name.length),
          braced: m[1] !== undefined,
          statement: this.statementIndex,
          context: this.refContext,
          special: false,
        });
      }
    });
  }
}

/** The text of literal and quoted parts, ignoring expansions. */
export function flatText(parts: WordPart[]): string {
  let s = '';
  for (const p of parts) {
    if (p.kind === 'literal' || p.kind === 'single') s += p.text;
    else if (p.kind === 'double') s += flatText(p.parts);
  }
  return s;
}

export { isNameStart, isNameChar };
