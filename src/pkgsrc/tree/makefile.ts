// A static reader of bmake Makefiles for display: assignments, .include lines, commented-out
// SUBDIR entries and conditionals, with positions, as bmake splits them (continuation lines,
// `#` comments, `\#` escapes, trailing whitespace). It evaluates nothing: `${...}` stays as
// written. Real values come from bmake (pbulk-reference §7.1). It never throws; what bmake would
// warn about or reject becomes a Problem.
import type { Position, Problem, Range } from '../problem';

export type AssignOp = '=' | '?=' | '+=' | ':=' | '!=';

export interface MkWord {
  text: string;
  range: Range;
}

/**
 * A range kept as four numbers rather than three objects: an index of 11,000 packages holds
 * about 70,000 of them. `spanRange` turns one into a Range.
 */
export interface Span {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

export function spanRange(s: Span): Range {
  return { start: { line: s.line, character: s.character }, end: { line: s.endLine, character: s.endCharacter } };
}

/** Where the value lies (empty, just after the operator, when the value is empty). */
export interface MkAssignment extends Span {
  kind: 'assign';
  name: string;
  op: AssignOp;
  /** Value with the comment removed, `\#` unescaped, outer whitespace trimmed. */
  value: string;
  /** Inside .if/.for: whether bmake takes it depends on things a static reader cannot know. */
  conditional: boolean;
  /** The value's words with positions, for the names asked for in `wordsOf`. */
  words?: MkWord[];
}

export interface MkInclude {
  kind: 'include';
  path: string;
  /** Range of the file name inside the quotes. */
  range: Range;
  conditional: boolean;
  /** .sinclude / .-include: a missing file is no error. */
  optional: boolean;
}

export type MkStatement = MkAssignment | MkInclude;

/** `#SUBDIR+=\tname\t# reason`: an entry switched off by commenting it out. */
export interface MkDisabledEntry {
  name: string;
  reason?: string;
  range: Range;
}

export interface ParsedMakefile {
  /** Assignments (only the names asked for, when `only` is given) and includes, in file order. */
  statements: MkStatement[];
  disabled: MkDisabledEntry[];
  problems: Problem[];
}

export interface ParseOptions {
  /** Keep only the assignments of these variables (the others are still checked). */
  only?: ReadonlySet<string>;
  /** Split these variables' values into words with positions (e.g. SUBDIR). */
  wordsOf?: ReadonlySet<string>;
  /**
   * The bytes the text was made from, when it is plain ASCII (the text is bytes[0, text.length),
   * the buffer may be longer): values are then cut from them as fresh strings instead of
   * slices, which would keep the whole text alive as long as a value.
   */
  bytes?: Buffer;
  /** Keep only the includes whose file name passes (e.g. Makefile.common); default: all. */
  includes?: (path: string) => boolean;
}

const directives = new Set([
  'include',
  'sinclude',
  '-include',
  'dinclude',
  'if',
  'ifdef',
  'ifndef',
  'ifmake',
  'ifnmake',
  'elif',
  'elifdef',
  'elifndef',
  'elifmake',
  'elifnmake',
  'else',
  'endif',
  'for',
  'endfor',
  'undef',
  'export',
  'export-env',
  'export-literal',
  'unexport',
  'unexport-env',
  'error',
  'warning',
  'info',
  'MAKEFLAGS',
]);

const disabledRe = /^#\s*SUBDIR\s*\+?=\s*([^\s#]+)\s*(?:#\s*(.*?))?\s*$/;

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const BACKSLASH = 92;
const DOLLAR = 36;

/** Set membership of `S.slice(a, b)` without making the string: most names are not wanted. */
class NameSet {
  private readonly byLength: string[][] = [];

  constructor(names: Iterable<string>) {
    for (const n of names) (this.byLength[n.length] ??= []).push(n);
  }

  has(S: string, a: number, b: number): boolean {
    return this.get(S, a, b) !== undefined;
  }

  /** The member equal to `S.slice(a, b)`: the set's own string, so nothing is allocated. */
  get(S: string, a: number, b: number): string | undefined {
    const list = this.byLength[b - a];
    if (list === undefined) return undefined;
    for (const n of list) if (S.startsWith(n, a)) return n;
    return undefined;
  }
}

const nameSets = new WeakMap<ReadonlySet<string>, NameSet>();
function nameSet(names: ReadonlySet<string> | undefined): NameSet | undefined {
  if (names === undefined) return undefined;
  let n = nameSets.get(names);
  if (!n) nameSets.set(names, (n = new NameSet(names)));
  return n;
}

/**
 * A plain name (no `${...}`), sticky at the start of a line's text. Used with test(), which
 * builds no match array: most assignment lines name variables nobody asked for.
 */
const plainName = /[A-Za-z_][A-Za-z0-9_.-]*/y;

/** `#`, blanks, `SUBDIR`: what every commented-out SUBDIR entry starts with (see disabledRe). */
const disabledStart = /#\s*SUBDIR/y;

/** `.name` of a directive line, sticky at the `.`. */
const directiveName = /\.\s*([-\w]+)/y;

/** Characters of a value that need no attention: no comment, escape or expression. */
const plainValue = /[^#\\$\n]*/y;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/**
 * Walks the text once without splitting it. A logical line is a span [a, b) of a source string
 * S: of the file text itself for the common single-line case (no string is made for lines
 * that hold nothing wanted), or of a joined string when backslash-newline continues it; `segs`
 * maps offsets in S back to physical lines and columns. This is the hot path for 11,000
 * Makefiles, hence charCodeAt and no regexes on the common lines.
 */
class Parser {
  readonly statements: MkStatement[] = [];
  readonly disabled: MkDisabledEntry[] = [];
  readonly problems: Problem[] = [];
  private depth = 0;
  private inTarget = false;
  /** Triplets (offset in S, physical line, column) of the current logical line. */
  private segs: number[] = [0, 0, 0];
  private nSegs = 0;
  private readonly only: NameSet | undefined;
  private readonly wordsOf: NameSet | undefined;
  private readonly bytes: Buffer | undefined;
  private readonly includes: ((path: string) => boolean) | undefined;
  private text = '';

  constructor(
    private readonly file: string,
    opts: ParseOptions,
  ) {
    this.only = nameSet(opts.only);
    this.wordsOf = nameSet(opts.wordsOf);
    this.bytes = opts.bytes;
    this.includes = opts.includes;
  }

  private pos(off: number): Position {
    const s = this.segs;
    let i = this.nSegs - 3;
    while (i > 0 && s[i]! > off) i -= 3;
    return { line: s[i + 1]!, character: s[i + 2]! + (off - s[i]!) };
  }

  private range(a: number, b: number): Range {
    return { start: this.pos(a), end: this.pos(b) };
  }

  private problem(severity: Problem['severity'], code: string, message: string, r: Range): void {
    this.problems.push({ file: this.file, range: r, severity, message, code });
  }

  parse(text: string): void {
    this.text = text;
    if (this.bytes && this.bytes.length < text.length) throw new Error('parseMakefile: bytes shorter than the text');
    const n = text.length;
    const segs = this.segs;
    let lineNo = 0;
    let at = 0;
    let crlf: Position | undefined;
    let joined: string | undefined;
    while (at <= n) {
      const lineStart = at;
      let nl = text.indexOf('\n', at);
      if (nl < 0) nl = n;
      let end = nl;
      if (end > at && text.charCodeAt(end - 1) === 13) {
        end--;
        crlf ??= { line: lineNo, character: end - at };
      }
      const last = end > at ? text.charCodeAt(end - 1) : 0;
      if (isBlank(last)) this.trailingSpace(text, at, end, lineNo);
      let cont = false;
      if (last === BACKSLASH) {
        let bs = 1;
        while (end - bs > at && text.charCodeAt(end - 1 - bs) === BACKSLASH) bs++;
        cont = bs % 2 === 1;
      }
      at = nl + 1;
      if (joined === undefined && !cont) {
        segs[0] = lineStart;
        segs[1] = lineNo;
        segs[2] = 0;
        this.nSegs = 3;
        this.line(text, lineStart, end);
      } else {
        let from = lineStart;
        if (joined === undefined) {
          this.nSegs = 0;
          joined = '';
        } else {
          // bmake turns backslash-newline and the whitespace around it into one space.
          while (from < end && isBlank(text.charCodeAt(from))) from++;
          joined = joined.replace(/[ \t]*$/, '') + ' ';
        }
        segs[this.nSegs++] = joined.length;
        segs[this.nSegs++] = lineNo;
        segs[this.nSegs++] = from - lineStart;
        joined += text.slice(from, cont ? end - 1 : end);
        if (cont && at > n) {
          this.problem('warning', 'continuation-at-eof', 'The last line ends with a backslash; bmake joins it with nothing.', {
            start: { line: lineNo, character: end - 1 - lineStart },
            end: { line: lineNo, character: end - lineStart },
          });
          cont = false;
        }
        if (!cont) {
          this.line(joined, 0, joined.length);
          joined = undefined;
        }
      }
      lineNo++;
    }
    if (crlf) {
      this.problem('information', 'crlf-line-ends', 'The file has CRLF line ends; pkgsrc Makefiles use LF.', {
        start: crlf,
        end: { line: crlf.line, character: crlf.character + 1 },
      });
    }
    if (this.depth > 0) {
      const last = { line: lineNo - 1, character: 0 };
      this.problem('warning', 'unclosed-conditional', `${this.depth} .if/.for block(s) are not closed at the end of the file.`, { start: last, end: last });
    }
  }

  private trailingSpace(text: string, at: number, end: number, lineNo: number): void {
    let s = end;
    while (s > at && isBlank(text.charCodeAt(s - 1))) s--;
    this.problem('information', 'trailing-whitespace', 'Trailing whitespace.', {
      start: { line: lineNo, character: s - at },
      end: { line: lineNo, character: end - at },
    });
  }

  /** One logical line, S[a, b). */
  private line(S: string, a: number, b: number): void {
    let t = a;
    while (t < b && isBlank(S.charCodeAt(t))) t++;
    if (t === b) return;
    const c = S.charCodeAt(t);
    if (c === HASH) {
      const d = S.charCodeAt(t + 1);
      if (d === 83 /* S */ || isBlank(d)) this.disabledEntry(S, t, b);
      return;
    }
    if (this.inTarget && S.charCodeAt(a) === TAB) return; // a shell command of a target
    if (c === 46 /* . */) {
      directiveName.lastIndex = t;
      let m = directiveName.exec(S);
      // Only whitespace up to the line's end: matched past it, so look at the line alone.
      if (m !== null && directiveName.lastIndex > b) m = /^\.\s*([-\w]+)/.exec(S.slice(t, b));
      if (m && directives.has(m[1]!)) {
        // A conditional inside a target's commands keeps the commands going.
        this.directive(m[1]!, S, t, t + m[0].length, b);
        return;
      }
    }
    this.assignmentOrRule(S, t, b);
  }

  private disabledEntry(S: string, t: number, b: number): void {
    // Every Makefile opens with a `# $NetBSD$` comment: rule such lines out without a slice.
    disabledStart.lastIndex = t;
    if (!disabledStart.test(S)) return;
    const m = disabledRe.exec(S.slice(t, b));
    if (!m) return;
    const nameAt = S.indexOf(m[1]!, S.indexOf('=', t));
    this.disabled.push({ name: m[1]!, reason: m[2] || undefined, range: this.range(nameAt, nameAt + m[1]!.length) });
  }

  private directive(name: string, S: string, t: number, after: number, b: number): void {
    if (name.startsWith('if') || name === 'for') {
      this.depth++;
    } else if (name === 'endif' || name === 'endfor') {
      if (this.depth === 0) this.problem('warning', 'unmatched-endif', `.${name} without a matching opening line.`, this.range(t, b));
      else this.depth--;
    } else if (name.endsWith('include')) {
      const m = /^\s*(?:"([^"]*)"|<([^>]*)>)/.exec(S.slice(after, b));
      if (!m) {
        this.problem('warning', 'bad-include', `.${name} needs a file name in "quotes" or <angle brackets>.`, this.range(t, b));
        return;
      }
      const path = m[1] ?? m[2]!;
      if (this.includes && !this.includes(path)) return;
      const start = after + m[0].length - path.length - 1;
      this.statements.push({
        kind: 'include',
        path,
        range: this.range(start, start + path.length),
        conditional: this.depth > 0,
        optional: name !== 'include' && name !== 'dinclude',
      });
    }
  }

  /** `NAME op value`, or a dependency line `target: sources`. */
  private assignmentOrRule(S: string, t: number, b: number): void {
    // Fast path for the usual `NAME op value` line, by a native regular expression: a fresh
    // process parses 11,000 Makefiles mostly before the JIT has compiled this code, and a
    // character loop in the interpreter is what costs most then.
    plainName.lastIndex = t;
    if (plainName.test(S) && plainName.lastIndex <= b) {
      const nameEnd = plainName.lastIndex;
      let k = nameEnd;
      while (k < b && isBlank(S.charCodeAt(k))) k++;
      const o = S.charCodeAt(k);
      const op: AssignOp | undefined =
        o === 61
          ? '='
          : S.charCodeAt(k + 1) !== 61 || k + 1 >= b
            ? undefined
            : o === 63
              ? '?='
              : o === 43
                ? '+='
                : o === 58
                  ? ':='
                  : o === 33
                    ? '!='
                    : undefined;
      if (op !== undefined && k < b) {
        this.inTarget = false;
        const words = this.wordsOf?.get(S, t, nameEnd);
        const name = words ?? this.only?.get(S, t, nameEnd);
        if (this.only && name === undefined) return;
        this.valueOf(S, name ?? S.slice(t, nameEnd), op, k + op.length, b, words !== undefined);
        return;
      }
    }
    let depth = 0;
    let i = t;
    let c = 0;
    for (; i < b; i++) {
      c = S.charCodeAt(i);
      if (c === DOLLAR && (S.charCodeAt(i + 1) === 123 || S.charCodeAt(i + 1) === 40)) {
        depth++;
        i++;
      } else if (depth > 0 && (c === 125 || c === 41)) {
        depth--;
      } else if (depth === 0 && (c === 61 /* = */ || c === 58 /* : */ || c === HASH)) {
        break;
      }
    }
    if (i >= b || c === HASH) {
      this.problem('warning', 'unparsable-line', 'Neither an assignment, a directive nor a target line; bmake rejects it.', this.range(t, b));
      return;
    }
    if (c === 58 && S.charCodeAt(i + 1) !== 61) {
      this.inTarget = true;
      return;
    }
    this.inTarget = false;
    let opStart = i;
    let op: AssignOp = '=';
    if (c === 58) {
      op = ':=';
      i++;
    } else {
      const prev = S.charCodeAt(i - 1);
      if (prev === 63 || prev === 43 || prev === 33 || prev === 58) {
        op = prev === 63 ? '?=' : prev === 43 ? '+=' : prev === 33 ? '!=' : ':=';
        opStart = i - 1;
      }
    }
    let nameEnd = opStart;
    while (nameEnd > t && isBlank(S.charCodeAt(nameEnd - 1))) nameEnd--;
    let bad = nameEnd === t;
    for (let k = t; k < nameEnd && !bad; k++) bad = isBlank(S.charCodeAt(k));
    if (bad) {
      this.problem('warning', 'unparsable-line', 'A variable name cannot be empty or contain whitespace.', this.range(t, b));
      return;
    }
    const wantWords = this.wordsOf !== undefined && this.wordsOf.has(S, t, nameEnd);
    // Values of variables nobody asked for are not looked at (an unclosed ${ in them goes
    // unreported): this is what keeps a full index cheap.
    if (this.only && !wantWords && !this.only.has(S, t, nameEnd)) return;
    this.valueOf(S, S.slice(t, nameEnd), op, i + 1, b, wantWords);
  }

  /** The value after the operator: comment cut, `\#` unescaped, trimmed; checks `${` nesting. */
  private valueOf(S: string, name: string, op: AssignOp, from: number, b: number, wantWords: boolean): void {
    let a = from;
    while (a < b && isBlank(S.charCodeAt(a))) a++;
    let end = b;
    let depth = 0;
    let openAt = -1;
    let hasEscape = false;
    let escaped = false;
    // Skip natively to the first character that matters: most values have none.
    plainValue.lastIndex = a;
    plainValue.test(S);
    for (let i = Math.min(plainValue.lastIndex, b); i < b; i++) {
      const c = S.charCodeAt(i);
      if (c === BACKSLASH) {
        escaped = !escaped;
        continue;
      }
      if (c === HASH) {
        if (!escaped) {
          end = i;
          break;
        }
        hasEscape = true;
      }
      escaped = false;
      if (c === DOLLAR && (S.charCodeAt(i + 1) === 123 || S.charCodeAt(i + 1) === 40)) {
        if (depth === 0) openAt = i;
        depth++;
        i++;
      } else if (depth > 0 && (c === 125 || c === 41)) {
        depth--;
      }
    }
    if (depth > 0) this.problem('warning', 'unclosed-expression', 'A ${...} expression is not closed.', this.range(openAt, end));
    while (end > a && isBlank(S.charCodeAt(end - 1))) end--;
    const raw = S === this.text && this.bytes ? this.bytes.toString('latin1', a, end) : S.slice(a, end);
    let st: MkAssignment;
    const segs = this.segs;
    if (this.nSegs === 3) {
      // One physical line: no Position objects needed.
      const line = segs[1]!;
      const col = segs[2]! - segs[0]!;
      st = {
        kind: 'assign',
        name,
        op,
        value: hasEscape ? raw.replace(/\\#/g, '#') : raw,
        line,
        character: col + a,
        endLine: line,
        endCharacter: col + end,
        conditional: this.depth > 0,
      };
    } else {
      const p0 = this.pos(a);
      const p1 = this.pos(end);
      st = {
        kind: 'assign',
        name,
        op,
        value: hasEscape ? raw.replace(/\\#/g, '#') : raw,
        line: p0.line,
        character: p0.character,
        endLine: p1.line,
        endCharacter: p1.character,
        conditional: this.depth > 0,
      };
    }
    if (wantWords) {
      st.words = [];
      const re = /[^ \t]+/g;
      for (let m = re.exec(raw); m; m = re.exec(raw)) {
        st.words.push({ text: hasEscape ? m[0].replace(/\\#/g, '#') : m[0], range: this.range(a + m.index, a + m.index + m[0].length) });
      }
    }
    this.statements.push(st);
  }
}

export function parseMakefile(text: string, file: string, opts: ParseOptions = {}): ParsedMakefile {
  const p = new Parser(file, opts);
  p.parse(text);
  return { statements: p.statements, disabled: p.disabled, problems: p.problems };
}

/** True when a value still holds a make expression that only bmake can expand. */
export function hasExpression(value: string): boolean {
  const d = value.indexOf('$');
  return d >= 0 && (value.includes('${', d) || value.includes('$(', d));
}
