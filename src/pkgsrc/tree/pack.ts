// PackageInfo as JSON carries it, to the on-disk index and from the index workers: one flat
// array per package, because JSON.parse pays for every object and every key it builds (the
// PackageInfo shape itself parses two to three times slower):
//   [path, state, includes or 0, problems or 0, then per value in the order it was set:
//    variable index (packageVars), value, unresolved (0/1), file (0: the package's Makefile,
//    n: includes[n - 1]), line, character, endLine, endCharacter]
// `unpackPackage` checks what it reads, since an index file on disk may have been damaged.
// A category keeps its own shape except for its package entries, which are the bulk of it
// (six objects each as a PackageEntry): a flat list of [dir, line, character, endLine,
// endCharacter] per entry, the path and category being implied by the category's name.
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

/** A category as the on-disk index holds it: CategoryInfo with flat package entries. */
export type PackedCategory = Omit<CategoryInfo, 'packages'> & { packages: (string | number)[] };
const ENTRY = 5;

export function packCategory(info: CategoryInfo): PackedCategory {
  const packages: (string | number)[] = [];
  for (const e of info.packages) packages.push(e.dir, e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character);
  return { ...info, packages };
}

/** The category a packed entry named `name` holds, or undefined when it is not what packCategory writes. */
export function unpackCategory(name: string, x: unknown): CategoryInfo | undefined {
  const c = x as PackedCategory;
  if (c === null || typeof c !== 'object' || c.name !== name || typeof c.makefile !== 'string' || !Array.isArray(c.packages) || !Array.isArray(c.disabled) || !Array.isArray(c.problems)) return undefined;
  if ((c.comment !== undefined && !isValue(c.comment)) || !c.problems.every(isProblem)) return undefined;
  if (!c.disabled.every((d) => d !== null && typeof d === 'object' && typeof d.name === 'string' && (d.reason === undefined || typeof d.reason === 'string') && isRange(d.range))) return undefined;
  const flat = c.packages;
  if (flat.length % ENTRY !== 0) return undefined;
  const packages: PackageEntry[] = new Array(flat.length / ENTRY);
  for (let k = 0; k < flat.length; k += ENTRY) {
    const dir = flat[k];
    const line = flat[k + 1];
    const character = flat[k + 2];
    const endLine = flat[k + 3];
    const endCharacter = flat[k + 4];
    if (typeof dir !== 'string' || dir === '' || dir.includes('/') || !isCount(line) || !isCount(character) || !isCount(endLine) || !isCount(endCharacter)) return undefined;
    packages[k / ENTRY] = { path: `${name}/${dir}`, category: name, dir, range: { start: { line, character }, end: { line: endLine, character: endCharacter } } };
  }
  return { ...c, packages };
}
