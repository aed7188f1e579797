// PackageInfo as JSON carries it, to the on-disk index and from the index workers: one flat
// array per package, because JSON.parse pays for every object and every key it builds (the
// PackageInfo shape itself parses two to three times slower):
//   [path, state, includes or 0, problems or 0, then per value in the order it was set:
//    variable index (packageVars), value, unresolved (0/1), file (0: the package's Makefile,
//    n: includes[n - 1]), line, character, endLine, endCharacter]
// `unpackPackage` checks what it reads, since an index file on disk may have been damaged.
// A category is kept in parts (see packCategory), its package entries (six objects each as a
// PackageEntry) as flat lists, the path and category being implied by the category's name.
import type { Problem } from '../problem';
import { isCount, isProblem, isRange, isValue } from './shape';
import { packageVars } from './types';
import type { CategoryInfo, PackageEntry, PackageInfo, PackageVar } from './types';
import type { MkValue } from './values';

export type PackedPackage = (string | number | string[] | Problem[])[];

const none: readonly never[] = Object.freeze([]);
const varIndex: ReadonlyMap<string, number> = new Map(packageVars.map((name, k) => [name, k]));
const states: ReadonlySet<unknown> = new Set<PackageInfo['state']>(['ok', 'no-makefile', 'no-dir', 'unreadable']);
const VALUE = 8;

export function packPackage(info: PackageInfo): PackedPackage {
  const row: PackedPackage = [info.path, info.state, info.includes.length > 0 ? [...info.includes] : 0, info.problems.length > 0 ? [...info.problems] : 0];
  for (const name in info.vars) {
    const v = info.vars[name as PackageVar]!;
    const file = v.file === info.makefile ? 0 : info.includes.indexOf(v.file) + 1;
    row.push(varIndex.get(name)!, v.value, v.unresolved ? 1 : 0, file, v.line, v.character, v.endLine, v.endCharacter);
  }
  return row;
}

/** The package a packed row holds, or undefined when the row is not what packPackage writes. */
export function unpackPackage(root: string, row: unknown): PackageInfo | undefined {
  if (!Array.isArray(row) || row.length < 4 || (row.length - 4) % VALUE !== 0) return undefined;
  const [path, state, inc, probs] = row as [unknown, unknown, unknown, unknown];
  if (typeof path !== 'string' || !states.has(state)) return undefined;
  const slash = path.indexOf('/');
  if (slash <= 0) return undefined;
  let includes: readonly string[] = none;
  if (inc !== 0) {
    if (!Array.isArray(inc) || !inc.every((x) => typeof x === 'string')) return undefined;
    includes = inc as string[];
  }
  let problems: readonly Problem[] = none;
  if (probs !== 0) {
    if (!Array.isArray(probs) || !probs.every(isProblem)) return undefined;
    problems = probs as Problem[];
  }
  const makefile = `${root}/${path}/Makefile`;
  const vars: Partial<Record<PackageVar, MkValue>> = {};
  for (let k = 4; k < row.length; k += VALUE) {
    const ki = row[k] as unknown;
    const name = typeof ki === 'number' ? packageVars[ki] : undefined;
    const value = row[k + 1] as unknown;
    const f = row[k + 3] as unknown;
    const line = row[k + 4] as unknown;
    const character = row[k + 5] as unknown;
    const endLine = row[k + 6] as unknown;
    const endCharacter = row[k + 7] as unknown;
    if (name === undefined || typeof value !== 'string' || !isCount(f) || f > includes.length) return undefined;
    if (!isCount(line) || !isCount(character) || !isCount(endLine) || !isCount(endCharacter)) return undefined;
    vars[name] = { value, unresolved: row[k + 2] === 1, file: f === 0 ? makefile : includes[f - 1]!, line, character, endLine, endCharacter };
  }
  return { path, category: path.slice(0, slash), dir: path.slice(slash + 1), makefile, state: state as PackageInfo['state'], vars, includes, problems };
}

/**
 * A category as the on-disk index holds it, in three parts: the category without its entries
 * (what a summary shows), the entries' directory names (what a check of the packages needs),
 * and their ranges in the Makefile, flat [line, character, endLine, endCharacter] per entry
 * (needed only for the whole CategoryInfo).
 */
export type CategoryHead = Omit<CategoryInfo, 'packages'>;

export function packCategory(info: CategoryInfo): { head: CategoryHead; dirs: string[]; ranges: number[] } {
  const { packages, ...head } = info;
  const ranges: number[] = [];
  for (const e of packages) ranges.push(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character);
  return { head, dirs: packages.map((e) => e.dir), ranges };
}

/** The head and directory names of the category `name` when they are what packCategory writes, else undefined. */
export function checkCategory(name: string, x: unknown, dirs: unknown): CategoryHead | undefined {
  const c = x as CategoryHead;
  if (c === null || typeof c !== 'object' || c.name !== name || typeof c.makefile !== 'string' || !Array.isArray(c.disabled) || !Array.isArray(c.problems))
    return undefined;
  if ((c.comment !== undefined && !isValue(c.comment)) || !c.problems.every(isProblem)) return undefined;
  if (
    !c.disabled.every(
      (d) => d !== null && typeof d === 'object' && typeof d.name === 'string' && (d.reason === undefined || typeof d.reason === 'string') && isRange(d.range),
    )
  )
    return undefined;
  if (!Array.isArray(dirs) || !dirs.every((d) => typeof d === 'string' && d !== '' && !d.includes('/'))) return undefined;
  return c;
}

/** The whole category from its checked head, its entries' paths and their ranges; undefined when the ranges do not fit. */
export function unpackCategory(head: CategoryHead, paths: readonly string[], ranges: unknown): CategoryInfo | undefined {
  if (!Array.isArray(ranges) || ranges.length !== paths.length * 4 || !ranges.every(isCount)) return undefined;
  const name = head.name;
  const packages: PackageEntry[] = new Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const range = {
      start: { line: ranges[4 * i] as number, character: ranges[4 * i + 1] as number },
      end: { line: ranges[4 * i + 2] as number, character: ranges[4 * i + 3] as number },
    };
    packages[i] = { path, category: name, dir: path.slice(name.length + 1), range };
  }
  // The key order of a category read from its Makefile (tree.ts), for the same JSON.
  const { name: _, makefile, disabled, problems, comment } = head;
  return { name, makefile, packages, disabled, problems, ...(comment !== undefined ? { comment } : {}) };
}
