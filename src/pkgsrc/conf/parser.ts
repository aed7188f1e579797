// The sh grammar of a pbulk.conf: top-level simple commands become typed statements
// (assignments, export, unset, ulimit, other commands); everything the static evaluation does not
// follow (if/case/loops/functions/pipelines/&&/||/subshells, `.` and eval) becomes an opaque
// DynamicRegion that lists the variables it may set. Never throws: bad syntax is a problem with a
// range, and the parser resynchronises at the next line.
import type { Range } from '../problem';
import { flatText, isNameChar, isNameStart, Lexer, type Token } from './lexer';
import { comparePositions, rememberLineIndex } from './positions';
import type { Assignment, ConfDocument, DynamicKind, Statement, Word, WordPart } from './types';

interface Name {
  name: string;
  range: Range;
}

interface Effects {
  names: Name[];
  setsAny: boolean;
}

interface SimpleCmd {
  type: 'simple';
  assigns: Assignment[];
  words: Word[];
  start: number;
  end: number;
}

interface CompoundCmd {
  type: 'compound';
  kind: DynamicKind;
  start: number;
  end: number;
  functionName?: Name;
}

type Cmd = SimpleCmd | CompoundCmd;

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', '{', '}', '!', 'in']);
/** Reserved words that close a construct: a list stops in front of them. */
const CLOSERS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);
const REDIRECTIONS = new Set(['<', '>', '>>', '<&', '>&', '<>', '>|', '<<', '<<-']);

/** The reserved word a token spells, if it is an unquoted plain word. */
function reserved(tok: Token): string | undefined {
  if (tok.t !== 'word') return undefined;
  const w = tok.word;
  if (w.parts.length !== 1 || w.parts[0]!.kind !== 'literal' || w.raw !== w.parts[0]!.text) return undefined;
  return RESERVED.has(w.raw) ? w.raw : undefined;
}

/** The literal text of a word without quoting or expansions, or undefined when it has any. */
export function plainText(w: Word): string | undefined {
  return partsText(w.parts);
}

function partsText(parts: WordPart[]): string | undefined {
  let s = '';
  for (const p of parts) {
    if (p.kind === 'literal' || p.kind === 'single') s += p.text;
    else if (p.kind === 'double') {
      const inner = partsText(p.parts);
      if (inner === undefined) return undefined;
      s += inner;
    } else return undefined;
  }
  return s;
}

class Parser extends Lexer {
  private peeked: Token | undefined;
  readonly statements: Statement[] = [];
  readonly functions: Name[] = [];
  private effects: Effects[] = [];

  parse(): ConfDocument {
    this.checkBytes();
    for (;;) {
      if (this.peeked === undefined) this.statementIndex = this.statements.length;
      const tok = this.peek();
      if (tok.t === 'eof') break;
      if (tok.t === 'nl') {
        this.next();
        continue;
      }
      const r = reserved(tok);
      if ((tok.t === 'op' && !REDIRECTIONS.has(tok.op) && tok.op !== '(') || (r !== undefined && CLOSERS.has(r))) {
        this.next();
        this.problem(tok.start, tok.end, `unexpected '${tok.t === 'op' ? tok.op : r}': /bin/sh stops reading the file here with a syntax error`);
        this.skipLine();
        continue;
      }
      this.topLevel();
      if (this.peek() === tok) this.unexpected(tok);
    }
    // Nested expansions are recorded when they end; callers want document order.
    this.references.sort((a, b) => comparePositions(a.range.start, b.range.start));
    const doc: ConfDocument = {
      file: this.file,
      text: this.text,
      lines: this.idx.lines(),
      statements: this.statements,
      references: this.references,
      comments: this.comments,
      functions: this.functions,
      problems: this.problems,
    };
    rememberLineIndex(doc, this.idx);
    return doc;
  }

  private checkBytes(): void {
    const nul = this.text.indexOf('\0');
    if (nul >= 0) this.problem(nul, nul + 1, 'NUL byte: this is not a text file, and /bin/sh drops or stops at NUL bytes', 'binary-content');
    const cr = this.text.indexOf('\r');
    if (cr >= 0) {
      const edits = [];
      for (let i = this.text.indexOf('\r'); i >= 0 && edits.length < 10000; i = this.text.indexOf('\r', i + 1)) {
        const end = this.text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
        edits.push({ range: this.range(i, end), newText: '\n' });
      }
      this.problem(cr, cr, 'CRLF (or CR) line ends: /bin/sh keeps the carriage return in every value, e.g. bulklog=/bulklog\\r', 'crlf-line-ends', 'error', [
        { title: 'Convert line ends to LF', edits },
      ]);
    }
  }

  // ---- tokens ----

  private peek(): Token {
    if (this.peeked === undefined) this.peeked = this.lex();
    return this.peeked;
  }

  private next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private skipLine(): void {
    for (let t = this.peek(); t.t !== 'nl' && t.t !== 'eof'; t = this.peek()) this.next();
  }

  private skipNewlines(): void {
    while (this.peek().t === 'nl') this.next();
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.op === op;
  }

  private isReserved(word: string): boolean {
    return reserved(this.peek()) === word;
  }

  // ---- effects: which variables a nested construct may set ----

  private collect<T>(fn: () => T): { result: T; effects: Effects } {
    const effects: Effects = { names: [], setsAny: false };
    this.effects.push(effects);
    try {
      return { result: fn(), effects };
    } finally {
      this.effects.pop();
    }
  }

  private merge(e: Effects): void {
    const top = this.effects[this.effects.length - 1];
    if (!top) return;
    top.names.push(...e.names);
    top.setsAny ||= e.setsAny;
  }

  protected override noteParamAssignment(name: string, range: Range): void {
    this.effects[this.effects.length - 1]?.names.push({ name, range });
  }

  protected override parseCommandSubstitution(openStart: number): void {
    this.collect(() => {
      const savedPeek = this.peeked;
      this.peeked = undefined;
      for (;;) {
        this.parseList();
        const t = this.peek();
        if (t.t === 'eof') {
          this.problem(openStart, openStart + 2, "unterminated '$(': no closing ')'", 'unterminated-quote');
          break;
        }
        this.next();
        if (t.t === 'op' && t.op === ')') break;
        this.problem(t.start, t.end, `unexpected '${t.t === 'op' ? t.op : this.text.slice(t.start, t.end)}' inside $(...)`);
      }
      this.peeked = savedPeek;
    });
  }

  // ---- top level ----

  private topLevel(): void {
    const begin = this.peek().start;
    const { result, effects } = this.collect(() => this.parseAndOr());
    let background = false;
    if (this.isOp(';')) this.next();
    else if (this.isOp('&')) {
      this.next();
      background = true;
    }
    const { pipelines, end } = result;
    const single = pipelines.length === 1 && pipelines[0]!.cmds.length === 1 && !pipelines[0]!.bang ? pipelines[0]!.cmds[0]! : undefined;
    if (single && !background && single.type === 'simple') {
      this.simpleStatement(single, effects);
      return;
    }
    const kind: DynamicKind = background ? 'background' : single?.type === 'compound' ? single.kind : pipelines.length > 1 ? 'and-or' : 'pipeline';
    const region: Statement = {
      kind: 'dynamic',
      dynamicKind: kind,
      range: this.range(begin, end),
      mayAssign: background || kind === 'subshell' ? [] : effects.names,
      setsAny: !background && kind !== 'subshell' && effects.setsAny,
      index: this.statements.length,
    };
    if (single?.type === 'compound' && single.functionName) region.functionName = single.functionName;
    this.statements.push(region);
  }

  private simpleStatement(cmd: SimpleCmd, effects: Effects): void {
    const range = this.range(cmd.start, cmd.end);
    if (cmd.words.length === 0) {
      for (const a of cmd.assigns) this.pushAssignment(a, range, false);
      return;
    }
    const name = plainText(cmd.words[0]!);
    const args = cmd.words.slice(1);
    const index = this.statements.length;
    switch (name) {
      case 'export':
      case 'readonly': {
        for (const a of cmd.assigns) this.pushAssignment(a, range, false);
        const names: Name[] = [];
        for (const w of args) {
          const a = this.assignmentOf(w);
          if (a) this.pushAssignment(a, range, name === 'export');
          else {
            const n = plainText(w);
            if (n !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) names.push({ name: n, range: w.range });
          }
        }
        if (names.length > 0 || args.length === 0) this.statements.push({ kind: 'export', command: name, names, range, index: this.statements.length });
        return;
      }
      case 'unset': {
        const opts = args.filter((w) => plainText(w)?.startsWith('-'));
        const names = args.filter((w) => !plainText(w)?.startsWith('-')).map((w) => ({ name: plainText(w) ?? w.raw, range: w.range }));
        this.statements.push({ kind: 'unset', names, functions: opts.some((w) => plainText(w)?.includes('f')), range, index });
        return;
      }
      case 'ulimit':
        this.statements.push({ kind: 'ulimit', args, range, index });
        return;
      case '.':
      case 'source':
      case 'eval':
        this.statements.push({ kind: 'dynamic', dynamicKind: name === 'eval' ? 'eval' : 'source', range, mayAssign: [], setsAny: true, index });
        return;
      case 'read':
        this.statements.push({ kind: 'dynamic', dynamicKind: 'read', range, mayAssign: effects.names, setsAny: false, index });
        return;
      default:
        this.statements.push({ kind: 'command', name: cmd.words[0]!, args, envAssignments: cmd.assigns, range, index });
    }
  }

  private pushAssignment(a: Assignment, statementRange: Range, exported: boolean): void {
    a.index = this.statements.length;
    a.statementRange = statementRange;
    a.exported = exported;
    // References in the value belong to this statement, not the first one of the line.
    const refs = this.references;
    for (let i = refs.length - 1; i >= 0 && refs[i]!.statement >= this.statementIndex; i--) {
      if (comparePositions(refs[i]!.range.start, a.range.start) >= 0 && comparePositions(refs[i]!.range.end, a.range.end) <= 0) refs[i]!.statement = a.index;
    }
    this.statements.push(a);
  }

  // ---- lists and commands ----

  /** Commands separated by ; & or newlines, up to a closer (fi, done, ), ;; ...) or EOF. */
  private parseList(): number {
    let end = this.peek().start;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof') return end;
      if (t.t === 'op' && (t.op === ')' || t.op === ';;')) return end;
      const r = reserved(t);
      if (r !== undefined && CLOSERS.has(r)) return end;
      if (t.t === 'op' && !REDIRECTIONS.has(t.op) && t.op !== '(') {
        this.next();
        this.problem(t.start, t.end, `unexpected '${t.op}'`);
        continue;
      }
      end = this.parseAndOr().end;
      if (this.isOp(';') || this.isOp('&')) end = this.next().end;
      else if (this.peek() === t) this.unexpected(t);
    }
  }

  /** Consumes a token no rule could use, so that every loop makes progress. */
  private unexpected(t: Token): void {
    this.next();
    this.problem(t.start, t.end, `unexpected '${this.text.slice(t.start, t.end)}'`);
  }

  private parseAndOr(): { pipelines: { cmds: Cmd[]; bang: boolean }[]; end: number } {
    const pipelines: { cmds: Cmd[]; bang: boolean }[] = [];
    let end = this.peek().start;
    for (;;) {
      let bang = false;
      if (this.isReserved('!')) {
        this.next();
        bang = true;
      }
      const cmds: Cmd[] = [];
      const { effects } = this.collect(() => {
        for (;;) {
          const c = this.parseCommand();
          if (!c) break;
          cmds.push(c);
          end = c.end;
          if (!this.isOp('|')) break;
          this.next();
          this.skipNewlines();
        }
      });
      // Every element of a multi-command pipeline runs in a subshell: its assignments are lost.
      if (cmds.length <= 1) this.merge(effects);
      pipelines.push({ cmds, bang });
      if (this.isOp('&&') || this.isOp('||')) {
        this.next();
        this.skipNewlines();
        continue;
      }
      return { pipelines, end };
    }
  }

  private parseCommand(): Cmd | undefined {
    const t = this.peek();
    if (t.t === 'eof' || t.t === 'nl') return undefined;
    let cmd: Cmd | undefined;
    switch (reserved(t)) {
      case 'if':
        cmd = this.parseIf();
        break;
      case 'case':
        cmd = this.parseCase();
        break;
      case 'while':
      case 'until':
        cmd = this.parseWhile();
        break;
      case 'for':
        cmd = this.parseFor();
        break;
      case '{':
        cmd = this.parseGroup();
        break;
      case undefined:
        if (t.t === 'op' && t.op === '(') cmd = this.parseSubshell();
        else if (t.t === 'op' && !REDIRECTIONS.has(t.op)) return undefined;
        else return this.parseSimple();
        break;
      default:
        // `then`, `fi` ... where a command should be: the enclosing construct reports it.
        if (CLOSERS.has(reserved(t)!)) return undefined;
        // `in` or a second `!` there is an ordinary command name to sh.
        return this.parseSimple();
    }
    cmd.end = this.parseRedirections(cmd.end);
    return cmd;
  }

  private expect(word: string, opener: Token, what: string): number | undefined {
    if (this.isReserved(word)) return this.next().end;
    const t = this.peek();
    const found = t.t === 'eof' ? 'the end of the file' : `'${this.text.slice(t.start, t.end)}'`;
    this.problem(opener.start, opener.end, `'${what}' without a matching '${word}' (found ${found})`, 'unbalanced-construct');
    return undefined;
  }

  private parseIf(): CompoundCmd {
    const open = this.next();
    let end = open.end;
    this.withContext('dynamic', () => {
      this.parseList();
      end = this.expect('then', open, 'if') ?? end;
      end = Math.max(end, this.parseList());
      while (this.isReserved('elif')) {
        this.next();
        this.parseList();
        end = this.expect('then', open, 'elif') ?? end;
        end = Math.max(end, this.parseList());
      }
      if (this.isReserved('else')) {
        this.next();
        end = Math.max(end, this.parseList());
      }
      end = this.expect('fi', open, 'if') ?? end;
    });
    return { type: 'compound', kind: 'if', start: open.start, end };
  }

  private parseWhile(): CompoundCmd {
    const open = this.next();
    let end = open.end;
    this.withContext('dynamic', () => {
      this.parseList();
      end = this.expect('do', open, this.text.slice(open.start, open.end)) ?? end;
      end = Math.max(end, this.parseList());
      end = this.expect('done', open, this.text.slice(open.start, open.end)) ?? end;
    });
    return { type: 'compound', kind: 'loop', start: open.start, end };
  }

  private parseFor(): CompoundCmd {
    const open = this.next();
    let end = open.end;
    this.withContext('dynamic', () => {
      const v = this.peek();
      if (v.t === 'word') {
        this.next();
        end = v.end;
        const n = plainText(v.word);
        if (n !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) this.effects[this.effects.length - 1]?.names.push({ name: n, range: v.word.range });
      } else {
        this.problem(open.start, open.end, "'for' without a variable name");
      }
      this.skipNewlines();
      if (this.isReserved('in')) {
        this.next();
        while (this.peek().t === 'word') end = this.next().end;
      }
      if (this.isOp(';')) this.next();
      this.skipNewlines();
      end = this.expect('do', open, 'for') ?? end;
      end = Math.max(end, this.parseList());
      end = this.expect('done', open, 'for') ?? end;
    });
    return { type: 'compound', kind: 'loop', start: open.start, end };
  }

  private parseCase(): CompoundCmd {
    const open = this.next();
    let end = open.end;
    this.withContext('dynamic', () => {
      if (this.peek().t === 'word') end = this.next().end;
      this.skipNewlines();
      if (!this.isReserved('in')) {
        this.problem(open.start, open.end, "'case' without 'in'", 'unbalanced-construct');
        return;
      }
      end = this.next().end;
      for (;;) {
        this.skipNewlines();
        if (this.isReserved('esac')) {
          end = this.next().end;
          return;
        }
        const t = this.peek();
        if (t.t === 'eof' || (t.t === 'op' && t.op !== '(') || (reserved(t) !== undefined && CLOSERS.has(reserved(t)!))) {
          this.expect('esac', open, 'case');
          return;
        }
        if (this.isOp('(')) this.next();
        // Patterns: word ( | word )* )
        while (this.peek().t === 'word') {
          end = this.next().end;
          if (this.isOp('|')) this.next();
        }
        if (!this.isOp(')')) {
          this.problem(open.start, open.end, "'case' pattern without ')'", 'unbalanced-construct');
          this.skipLine();
          continue;
        }
        this.next();
        end = Math.max(end, this.parseList());
        if (this.isOp(';;')) end = this.next().end;
      }
    });
    return { type: 'compound', kind: 'case', start: open.start, end };
  }

  private parseGroup(): CompoundCmd {
    const open = this.next();
    let end = open.end;
    end = Math.max(end, this.parseList());
    end = this.expect('}', open, '{') ?? end;
    return { type: 'compound', kind: 'group', start: open.start, end };
  }

  private parseSubshell(): CompoundCmd {
    const open = this.next();
    let end = open.end;
    this.collect(() => {
      end = Math.max(end, this.parseList());
      if (this.isOp(')')) end = this.next().end;
      else this.problem(open.start, open.end, "'(' without a matching ')'", 'unbalanced-construct');
    });
    return { type: 'compound', kind: 'subshell', start: open.start, end };
  }

  private parseRedirections(end: number): number {
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !REDIRECTIONS.has(t.op)) return end;
      this.next();
      end = t.end;
      const target = this.peek();
      if (target.t !== 'word') {
        this.problem(t.start, t.end, `redirection '${t.op}' without a target`);
        return end;
      }
      this.next();
      end = target.end;
      if (t.op === '<<' || t.op === '<<-') this.addHeredoc(target.word, t.op === '<<-', t.start, target.end);
    }
  }

  private parseSimple(): Cmd {
    const start = this.peek().start;
    let end = start;
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'word') {
        const a = words.length === 0 ? this.assignmentOf(t.word) : undefined;
        this.next();
        end = t.end;
        if (a) assigns.push(a);
        else words.push(t.word);
        if (words.length === 1 && assigns.length === 0 && this.isOp('(')) return this.parseFunction(t.word, start);
        continue;
      }
      if (t.t === 'op' && REDIRECTIONS.has(t.op)) {
        end = this.parseRedirections(end);
        continue;
      }
      break;
    }
    this.recordEffects(assigns, words);
    return { type: 'simple', assigns, words, start, end };
  }

  private recordEffects(assigns: Assignment[], words: Word[]): void {
    const top = this.effects[this.effects.length - 1];
    if (!top) return;
    if (words.length === 0) {
      for (const a of assigns) top.names.push({ name: a.name, range: a.nameRange });
      return;
    }
    const cmd = plainText(words[0]!);
    if (cmd === 'export' || cmd === 'readonly') {
      for (const w of words.slice(1)) {
        const a = this.assignmentOf(w);
        if (a) top.names.push({ name: a.name, range: a.nameRange });
      }
    } else if (cmd === 'read') {
      const names = words.slice(1).filter((w) => !plainText(w)?.startsWith('-'));
      for (const w of names) top.names.push({ name: plainText(w) ?? w.raw, range: w.range });
      if (names.length === 0) top.names.push({ name: 'REPLY', range: words[0]!.range });
    } else if (cmd === '.' || cmd === 'source' || cmd === 'eval') {
      top.setsAny = true;
    }
  }

  private parseFunction(nameWord: Word, start: number): CompoundCmd {
    this.next(); // (
    let end = this.peek().end;
    if (this.isOp(')')) end = this.next().end;
    else this.problem(start, end, "function definition: expected ')' after '('");
    const fname = { name: plainText(nameWord) ?? nameWord.raw, range: nameWord.range };
    this.functions.push(fname);
    this.skipNewlines();
    // The body runs only when called: what it assigns does not happen while sourcing.
    this.collect(() =>
      this.withContext('function', () => {
        const body = this.parseCommand();
        if (body) end = body.end;
        else this.problem(start, end, `function '${fname.name}' has no body`);
      }),
    );
    return { type: 'compound', kind: 'function', start, end, functionName: fname };
  }

  /** The assignment a word spells (`name=value`), or undefined. */
  private assignmentOf(w: Word): Assignment | undefined {
    const first = w.parts[0];
    if (!first || first.kind !== 'literal') return undefined;
    const m = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(w.raw);
    if (!m || !first.text.startsWith(m[0])) return undefined;
    const name = m[0].slice(0, -1);
    const wordStart = this.idx.offset(w.range.start);
    const valueStart = wordStart + m[0].length;
    const wordEnd = this.idx.offset(w.range.end);
    const rest = first.text.slice(m[0].length);
    const parts: WordPart[] = [];
    if (rest !== '') parts.push({ kind: 'literal', text: rest, range: this.range(valueStart, this.idx.offset(first.range.end)) });
    parts.push(...w.parts.slice(1));
    return {
      kind: 'assignment',
      name,
      nameRange: this.range(wordStart, wordStart + name.length),
      value: { parts, range: this.range(valueStart, wordEnd), raw: this.text.slice(valueStart, wordEnd) },
      range: w.range,
      statementRange: w.range,
      exported: false,
      index: -1,
    };
  }
}

/** Parses a pbulk.conf without executing anything. Never throws. */
export function parseConf(text: string, file: string): ConfDocument {
  return new Parser(text, file).parse();
}

export { flatText, isNameChar, isNameStart };
