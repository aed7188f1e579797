// fnmatch(3) as pkg_install calls it for glob patterns: fnmatch(pattern, name, FNM_PERIOD),
// with the C library's rules (glibc, NetBSD libc agree on these):
//   *  any run of characters      ?  any one character      \x  the character x
//   [...]  a set: ranges a-z, [:class:], leading ! or ^ negates, a ] right after [ (or [!)
//          is a member, \ escapes inside; a [ without its ] is an ordinary character
//   FNM_PERIOD: a leading '.' of the name must be matched by a literal '.'
//   a trailing lone backslash matches nothing.
// Patterns are compiled once into a token list; matching is the usual greedy star with
// backtracking to the last star, linear for the patterns pkgsrc uses.
import { isAlnum, isAlpha, isDigit } from './ascii';

type Token =
  { kind: 'char'; code: number } | { kind: 'any' } | { kind: 'star' } | { kind: 'set'; negate: boolean; test: (c: number) => boolean } | { kind: 'never' };

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: isAlnum,
  alpha: isAlpha,
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: isDigit,
  graph: (c) => c > 32 && c < 127,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => c > 32 && c < 127 && !isAlnum(c),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  upper: (c) => c >= 65 && c <= 90,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

/** Parses a bracket expression starting at p[at] === '['; undefined when it has no closing ']'. */
function parseSet(p: string, at: number): { token: Token; end: number } | undefined {
  let i = at + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  const singles = new Set<number>();
  const ranges: [number, number][] = [];
  const classes: ((c: number) => boolean)[] = [];
  let first = true;
  while (i < p.length) {
    let c = p.charCodeAt(i);
    if (c === 93 /* ] */ && !first) {
      const test = (x: number): boolean => singles.has(x) || ranges.some(([lo, hi]) => x >= lo && x <= hi) || classes.some((f) => f(x));
      return { token: { kind: 'set', negate, test }, end: i + 1 };
    }
    first = false;
    if (c === 91 /* [ */ && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      const fn = close >= 0 ? CLASSES[p.slice(i + 2, close)] : undefined;
      if (fn) {
        classes.push(fn);
        i = close + 2;
        continue;
      }
    }
    if (c === 92 /* \ */) {
      i++;
      if (i >= p.length) return undefined;
      c = p.charCodeAt(i);
    }
    i++;
    if (p[i] === '-' && i + 1 < p.length && p[i + 1] !== ']') {
      let hi = p.charCodeAt(i + 1);
      i += 2;
      if (hi === 92 && i < p.length) {
        hi = p.charCodeAt(i);
        i++;
      }
      ranges.push([c, hi]);
    } else {
      singles.add(c);
    }
  }
  return undefined;
}

function compile(p: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < p.length;) {
    const c = p.charCodeAt(i);
    if (c === 42 /* * */) {
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
      i++;
    } else if (c === 63 /* ? */) {
      out.push({ kind: 'any' });
      i++;
    } else if (c === 91 /* [ */) {
      const set = parseSet(p, i);
      if (set) {
        out.push(set.token);
        i = set.end;
      } else {
        out.push({ kind: 'char', code: c });
        i++;
      }
    } else if (c === 92 /* \ */) {
      if (i + 1 >= p.length) {
        out.push({ kind: 'never' });
        i++;
      } else {
        out.push({ kind: 'char', code: p.charCodeAt(i + 1) });
        i += 2;
      }
    } else {
      out.push({ kind: 'char', code: c });
      i++;
    }
  }
  return out;
}

function one(t: Token, c: number): boolean {
  switch (t.kind) {
    case 'char':
      return t.code === c;
    case 'any':
      return true;
    case 'set':
      return t.test(c) !== t.negate;
    default:
      return false;
  }
}

function run(tokens: readonly Token[], s: string): boolean {
  // FNM_PERIOD: a leading '.' is only matched by a literal '.'.
  if (s.charCodeAt(0) === 46) {
    const t0 = tokens[0];
    if (!t0 || t0.kind !== 'char' || t0.code !== 46) return false;
  }
  let ti = 0;
  let si = 0;
  let starTi = -1;
  let starSi = 0;
  while (si < s.length) {
    const t = tokens[ti];
    if (t && t.kind === 'star') {
      starTi = ti++;
      starSi = si;
      continue;
    }
    if (t && one(t, s.charCodeAt(si))) {
      ti++;
      si++;
      continue;
    }
    if (starTi < 0) return false;
    ti = starTi + 1;
    si = ++starSi;
  }
  while (ti < tokens.length && tokens[ti]!.kind === 'star') ti++;
  return ti === tokens.length;
}

export interface Glob {
  pattern: string;
  /** The literal characters every match starts with (up to the first special character). */
  prefix: string;
  test(name: string): boolean;
}

export function compileGlob(pattern: string): Glob {
  const tokens = compile(pattern);
  let prefix = '';
  for (const t of tokens) {
    if (t.kind !== 'char') break;
    prefix += String.fromCharCode(t.code);
  }
  return { pattern, prefix, test: (name) => run(tokens, name) };
}

/** fnmatch(pattern, name, FNM_PERIOD) == 0 */
export function fnmatch(pattern: string, name: string): boolean {
  return compileGlob(pattern).test(name);
}
