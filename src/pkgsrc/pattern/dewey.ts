// Version numbers the way pkg_install (lib/dewey.c) and pbulk (lib/match.c) read and order
// them. A version becomes a list of integers plus the `nbN` revision:
//   digits      -> their value
//   alpha/beta  -> -3 / -2;  pre, rc -> -1;  pl, _ and . -> 0   (case-insensitive)
//   nbN         -> the revision (the last one wins), compared after everything else
//   other letter x -> 0 followed by x's place in the alphabet (a=1 ... z=26)
//   anything else (+, ~, -, ...) is skipped
// Lists are compared element by element, the shorter one padded with zeros, so 1.0 == 1.0.0
// and 1.0rc1 (1 0 -1 1) < 1.0 (1 0). Values are C ints: digits accumulate and differences are
// taken with 32-bit wrap-around, as the C code does on every platform pbulk runs on.
import { isAlpha, isDigit, lower, startsWithIgnoreCase } from './ascii';

export interface Version {
  parts: number[];
  /** The `nbN` revision, 0 when there is none. */
  nb: number;
}

export type DeweyOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

// Order matters: "pre" before "pl"/"p...", "<=" before "<" (first prefix that matches wins).
const MODIFIERS: readonly (readonly [string, number])[] = [
  ['alpha', -3],
  ['beta', -2],
  ['pre', -1],
  ['rc', -1],
  ['pl', 0],
  ['_', 0],
  ['.', 0],
];

export function parseVersion(s: string): Version {
  const parts: number[] = [];
  let nb = 0;
  let i = 0;
  const n = s.length;
  outer: while (i < n) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      let v = 0;
      while (i < n && isDigit(s.charCodeAt(i))) {
        v = (Math.imul(v, 10) + (s.charCodeAt(i) - 48)) | 0;
        i++;
      }
      parts.push(v);
      continue;
    }
    for (const [word, value] of MODIFIERS) {
      if (startsWithIgnoreCase(s, i, word)) {
        parts.push(value);
        i += word.length;
        continue outer;
      }
    }
    if (startsWithIgnoreCase(s, i, 'nb')) {
      i += 2;
      let v = 0;
      while (i < n && isDigit(s.charCodeAt(i))) {
        v = (Math.imul(v, 10) + (s.charCodeAt(i) - 48)) | 0;
        i++;
      }
      nb = v;
      continue;
    }
    if (isAlpha(c)) parts.push(0, lower(c) - 96);
    i++;
  }
  return { parts, nb };
}

/** Sign of the comparison of two parsed versions: -1, 0 or 1. */
export function compareParsed(a: Version, b: Version): number {
  const pa = a.parts;
  const pb = b.parts;
  const len = Math.max(pa.length, pb.length);
  for (let i = 0; i < len; i++) {
    const d = ((i < pa.length ? pa[i]! : 0) - (i < pb.length ? pb[i]! : 0)) | 0;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const d = (a.nb - b.nb) | 0;
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** Compares two version strings (no package name): -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  return compareParsed(parseVersion(a), parseVersion(b));
}

export function holds(cmp: number, op: DeweyOp): boolean {
  switch (op) {
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '==':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
  }
}

/** dewey_cmp(lhs, op, rhs): does `lhs op rhs` hold for two version strings? */
export function deweyTest(lhs: string, op: DeweyOp, rhs: string): boolean {
  return holds(compareVersions(lhs, rhs), op);
}

const OPS: readonly DeweyOp[] = ['<=', '<', '>=', '>', '==', '!='];

/** The comparison operator at s[at] (dewey_mktest), or undefined. */
export function operatorAt(s: string, at: number): DeweyOp | undefined {
  for (const op of OPS) if (s.startsWith(op, at)) return op;
  return undefined;
}
