// The identity of a file (inode, size, mtime, ctime), which the on-disk index compares for every
// package Makefile: 11,000 stats for a full tree. In a fresh Node 20 process fs.statSync costs
// about 18 µs a call, two thirds of it building (and then collecting) a Stats object with four
// Dates in code that has not been optimized yet; the stat itself is about 5 µs. The binding
// behind fs.statSync returns the numbers alone, into one reused array. It is Node's internal
// interface (process.binding, deprecated for outside use), so it is taken only after it has
// agreed with fs.statSync on a real file, never when Node is to report pending deprecations, and
// any surprise falls back to fs.statSync for good.
import { statSync } from 'node:fs';

/** inode, size, mtimeMs, ctimeMs */
export type Identity = [number, number, number, number];

interface StatBinding {
  /** Node 20-24: (path, useBigint, request, throwIfNoEntry) -> Float64Array or undefined. */
  stat(path: string, bigint: boolean, req: undefined, throwIfNoEntry: boolean): Float64Array | undefined;
}

let binding: StatBinding | null | undefined;

function fromStats(file: string): Identity | null {
  try {
    const s = statSync(file, { throwIfNoEntry: false });
    return s ? [s.ino, s.size, s.mtimeMs, s.ctimeMs] : null;
  } catch {
    return null;
  }
}

/** The numbers as fs.Stats computes them from the binding's array (see getStatsFromBinding). */
function fromArray(a: Float64Array): Identity {
  return [a[7]!, a[8]!, a[12]! * 1e3 + a[13]! / 1e6, a[14]! * 1e3 + a[15]! / 1e6];
}

/** The binding, once it has given the same identity as fs.statSync for `file` (which exists). */
function checkedBinding(file: string, expected: Identity): StatBinding | null {
  const options = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (options.includes('pending-deprecation')) return null;
  try {
    const b = (process as unknown as { binding(name: string): StatBinding }).binding('fs');
    const a = typeof b?.stat === 'function' ? b.stat(file, false, undefined, false) : undefined;
    if (!(a instanceof Float64Array) || a.length < 16) return null;
    const got = fromArray(a);
    return got.every((n, k) => n === expected[k]) ? b : null;
  } catch {
    return null;
  }
}

/** The identity of `file`, null when it cannot be stat'ed (absent, not a directory on the way...). */
export function identityOf(file: string): Identity | null {
  if (binding === undefined) {
    const expected = fromStats(file);
    if (expected === null) return null;
    binding = checkedBinding(file, expected);
    return expected;
  }
  if (binding === null) return fromStats(file);
  try {
    const a = binding.stat(file, false, undefined, false);
    return a ? fromArray(a) : null;
  } catch {
    return null;
  }
}

/** Whether `file` has the identity given (four numbers, no array made on the fast path). */
export function hasIdentity(file: string, ino: number, size: number, mtimeMs: number, ctimeMs: number): boolean {
  if (binding) {
    let a: Float64Array | undefined;
    try {
      a = binding.stat(file, false, undefined, false);
    } catch {
      return false;
    }
    return a !== undefined && a[7] === ino && a[8] === size && a[12]! * 1e3 + a[13]! / 1e6 === mtimeMs && a[14]! * 1e3 + a[15]! / 1e6 === ctimeMs;
  }
  const id = identityOf(file);
  return id !== null && id[0] === ino && id[1] === size && id[2] === mtimeMs && id[3] === ctimeMs;
}
