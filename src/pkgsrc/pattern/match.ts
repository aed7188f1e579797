// pkg_install package patterns (pkg_match), as pbulk-resolve applies them to PKGNAMEs:
//   {a,b}x      csh alternatives, nested, the first {...} group expanded first: a pattern
//               matches when one of its expansions does
//   name>=1.2   dewey comparison (<, <=, >, >=; a >= or > bound may be followed by an upper
//               < or <= bound: foo>=1.2<2); the name before the operator must equal the
//               PKGNAME up to its last '-'
//   glob        fnmatch with FNM_PERIOD when the pattern has one of * ? [ ]
//   otherwise   the exact PKGNAME
// The checks run in that order, so `{a,b}>=1` expands first and `foo-[0-9]*>=1` is a dewey
// pattern whose name is the literal `foo-[0-9]*`. A quick test on the first two characters
// comes first, as in pkg_install.
//
// pkg_install's own pkg_match (pkg_add, pkg_info) also lets a bare name or glob match with
// `-[0-9]*` appended; pbulk's copy does not. `bareNames: true` selects pkg_install's rule.
import { isAlnum } from './ascii';
import { compareParsed, holds, operatorAt, parseVersion, type DeweyOp, type Version } from './dewey';
import { compileGlob, type Glob } from './fnmatch';

// alternate_match copies into a PATH_MAX buffer and pkg_install limits dewey bounds to
// PKG_PATTERN_MAX - 1 characters; these only matter for absurd patterns.
const PKG_PATTERN_MAX = 1024;
/** Expansions beyond this are refused: {a,b}{c,d}... grows exponentially. */
const MAX_ALTERNATIVES = 4096;

export type Leaf =
  | { kind: 'dewey'; pattern: string; name: string; op: DeweyOp; bound: Version; upper?: { op: DeweyOp; bound: Version } }
  | { kind: 'glob'; pattern: string; glob: Glob }
  | { kind: 'exact'; pattern: string };

export interface CompiledPattern {
  source: string;
  /** Why the pattern can never be used (pkg_install would exit with this message). */
  error?: string;
  /** Set for patterns with `{`: the expansions of the first group, in order. */
  alternatives?: CompiledPattern[];
  /** Set for patterns without `{`. */
  leaf?: Leaf;
}

export interface MatchOptions {
  /** pkg_install's fallback: a bare name or glob also matches as `pattern-[0-9]*`. */
  bareNames?: boolean;
}

function simple(c: number): boolean {
  return isAlnum(c) || c === 45; /* - */
}

/** quick_pkg_match: can pattern ever match name, judging by the first two characters? */
export function quickMatch(pattern: string, name: string): boolean {
  const p0 = pattern.charCodeAt(0);
  if (!simple(p0)) return true;
  if (p0 !== name.charCodeAt(0)) return false;
  const p1 = pattern.charCodeAt(1);
  if (!simple(p1)) return true;
  return p1 === name.charCodeAt(1);
}

/** The expansions of the first {...} group of `pattern`, or an error for unbalanced braces. */
export function expandFirstGroup(pattern: string): string[] | { error: string } {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) return { error: `Malformed alternate \`${pattern}'` };
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const out: string[] = [];
  let start = open + 1;
  depth = 0;
  for (let i = start; i <= close; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (depth === 0 && (c === ',' || i === close)) {
      out.push((head + pattern.slice(start, i) + tail).slice(0, 4095));
      start = i + 1;
    }
  }
  return out;
}

function compileLeaf(pattern: string): Leaf {
  const sep = pattern.search(/[<>]/);
  if (sep >= 0) {
    const op = operatorAt(pattern, sep)!;
    const from = sep + op.length;
    let upper: { op: DeweyOp; bound: Version } | undefined;
    let lowerText = pattern.slice(from);
    if (op === '>' || op === '>=') {
      const sep2 = pattern.indexOf('<', from);
      if (sep2 >= 0) {
        const op2 = operatorAt(pattern, sep2)!;
        upper = { op: op2, bound: parseVersion(pattern.slice(sep2 + op2.length)) };
        lowerText = pattern.slice(from, Math.min(sep2, from + PKG_PATTERN_MAX - 1));
      }
    }
    const leaf: Leaf = { kind: 'dewey', pattern, name: pattern.slice(0, sep), op, bound: parseVersion(lowerText) };
    if (upper) leaf.upper = upper;
    return leaf;
  }
  if (/[*?[\]]/.test(pattern)) return { kind: 'glob', pattern, glob: compileGlob(pattern) };
  return { kind: 'exact', pattern };
}

function compileInner(pattern: string, budget: { left: number }): CompiledPattern {
  if (!pattern.includes('{')) return { source: pattern, leaf: compileLeaf(pattern) };
  const exp = expandFirstGroup(pattern);
  if (!Array.isArray(exp)) return { source: pattern, error: exp.error };
  budget.left -= exp.length;
  if (budget.left < 0) return { source: pattern, error: `Too many alternatives in \`${pattern}' (more than ${MAX_ALTERNATIVES})` };
  const alternatives: CompiledPattern[] = [];
  for (const e of exp) {
    const sub = compileInner(e, budget);
    // pkg_install exits on the first malformed expansion it tries; so do we.
    if (sub.error) return { source: pattern, error: sub.error };
    alternatives.push(sub);
  }
  return { source: pattern, alternatives };
}

const cache = new Map<string, CompiledPattern>();

/** Compiles a pattern once; compiled patterns are cached (patterns repeat across a scan). */
export function compilePattern(pattern: string): CompiledPattern {
  let c = cache.get(pattern);
  if (!c) {
    if (cache.size >= 100_000) cache.clear();
    c = compileInner(pattern, { left: MAX_ALTERNATIVES });
    cache.set(pattern, c);
  }
  return c;
}

/** The message pkg_install would exit with for this pattern, or undefined when it is usable. */
export function patternError(pattern: string): string | undefined {
  return compilePattern(pattern).error;
}

/** Every leaf (dewey, glob or exact pattern) the pattern can match through. */
export function leavesOf(c: CompiledPattern): Leaf[] {
  if (c.leaf) return [c.leaf];
  return (c.alternatives ?? []).flatMap(leavesOf);
}

const versions = new Map<string, Version>();

/** Parsed version of a PKGNAME's part after its last '-', cached. */
export function versionOfName(name: string, dash: number): Version {
  let v = versions.get(name);
  if (!v) {
    if (versions.size >= 200_000) versions.clear();
    v = parseVersion(name.slice(dash + 1));
    versions.set(name, v);
  }
  return v;
}

function leafMatches(leaf: Leaf, name: string, bareNames: boolean): boolean {
  switch (leaf.kind) {
    case 'dewey': {
      const dash = name.lastIndexOf('-');
      if (dash < 0 || dash !== leaf.name.length || !name.startsWith(leaf.name)) return false;
      const v = versionOfName(name, dash);
      if (leaf.upper && !holds(compareParsed(v, leaf.upper.bound), leaf.upper.op)) return false;
      return holds(compareParsed(v, leaf.bound), leaf.op);
    }
    case 'glob':
      if (leaf.glob.test(name)) return true;
      return bareNames && (leaf.pattern === name || compileGlob(`${leaf.pattern}-[0-9]*`).test(name));
    case 'exact':
      if (leaf.pattern === name) return true;
      return bareNames && compileGlob(`${leaf.pattern}-[0-9]*`).test(name);
  }
}

/** Does a compiled pattern match a PKGNAME? A pattern with an error matches nothing. */
export function matchCompiled(c: CompiledPattern, name: string, opts: MatchOptions = {}): boolean {
  if (c.error || !quickMatch(c.source, name)) return false;
  if (c.leaf) return leafMatches(c.leaf, name, opts.bareNames === true);
  for (const a of c.alternatives!) if (matchCompiled(a, name, opts)) return true;
  return false;
}

/** pkg_match(pattern, name): does the pattern match the PKGNAME? Never throws. */
export function pkgMatch(pattern: string, name: string, opts: MatchOptions = {}): boolean {
  return matchCompiled(compilePattern(pattern), name, opts);
}
