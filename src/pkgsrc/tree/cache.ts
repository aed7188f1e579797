// A package index kept on disk between processes, like git's index: each package's metadata
// with the identity (inode, size, mtime, ctime) of its Makefile and of the Makefile.common
// files it includes. A fresh process stats those files instead of reading and parsing them,
// which is most of the cost of a first index; anything whose identity changed is read again.
// The file is compact JSON (arrays, not objects) so that parsing it stays cheap.
import { readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Problem } from '../problem';
import { packageVars } from './types';
import type { PackageInfo, PackageVar } from './types';
import type { MkValue } from './values';

const VERSION = 1;

/** inode, size, mtimeMs, ctimeMs; null when the file does not exist. */
export type FileStamp = [number, number, number, number] | null;

export function stampOf(file: string): FileStamp {
  try {
    const s = statSync(file, { throwIfNoEntry: false });
    return s ? [s.ino, s.size, s.mtimeMs, s.ctimeMs] : null;
  } catch {
    return null;
  }
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  if (a === null || b === null) return a === b;
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** [var index, value, unresolved, file index (0: the Makefile, n: includes[n-1]), line, character, endLine, endCharacter] */
type CompactValue = [number, string, 0 | 1, number, number, number, number, number];
/** [path, state, Makefile stamp, values, includes (absolute), problems] */
export type CompactPackage = [string, PackageInfo['state'], FileStamp, CompactValue[], string[], Problem[]];

interface CacheFile {
  version: number;
  root: string;
  packages: CompactPackage[];
  /** Makefile.common stamps: [absolute path, stamp]. */
  commons: [string, FileStamp][];
}

export interface CachedPackage {
  stamp: FileStamp;
  row: CompactPackage;
}

export interface LoadedCache {
  packages: Map<string, CachedPackage>;
  commons: Map<string, FileStamp>;
}

/** The cache for `root`, or undefined when absent, unreadable, of another version or tree. */
export function loadCache(file: string, root: string): LoadedCache | undefined {
  let data: CacheFile;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object' || data.version !== VERSION || data.root !== root || !Array.isArray(data.packages) || !Array.isArray(data.commons)) return undefined;
  const packages = new Map<string, CachedPackage>();
  for (const row of data.packages) if (Array.isArray(row) && typeof row[0] === 'string') packages.set(row[0], { stamp: row[2], row });
  return { packages, commons: new Map(data.commons) };
}

export function decodePackage(root: string, row: CompactPackage): PackageInfo | undefined {
  try {
    const [path, state, , values, includes, problems] = row;
    const makefile = `${root}/${path}/Makefile`;
    const vars: Partial<Record<PackageVar, MkValue>> = {};
    for (const [k, value, unresolved, f, line, character, endLine, endCharacter] of values) {
      const name = packageVars[k];
      if (name === undefined) return undefined;
      vars[name] = { value, unresolved: unresolved === 1, file: f === 0 ? makefile : includes[f - 1]!, line, character, endLine, endCharacter };
    }
    const slash = path.indexOf('/');
    return { path, category: path.slice(0, slash), dir: path.slice(slash + 1), makefile, state, vars, includes, problems };
  } catch {
    return undefined;
  }
}

const varIndex: ReadonlyMap<string, number> = new Map(packageVars.map((name, k) => [name, k]));

/** The values in the order they were set, so that a decoded package lists them as a parsed one. */
export function encodePackage(info: PackageInfo, stamp: FileStamp): CompactPackage {
  const values: CompactValue[] = [];
  for (const name in info.vars) {
    const v = info.vars[name as PackageVar]!;
    values.push([varIndex.get(name)!, v.value, v.unresolved ? 1 : 0, v.file === info.makefile ? 0 : info.includes.indexOf(v.file) + 1, v.line, v.character, v.endLine, v.endCharacter]);
  }
  return [info.path, info.state, stamp, values, [...info.includes], [...info.problems]];
}

/** Writes atomically (temporary file, then rename); failures are returned, never thrown. */
export function saveCache(file: string, root: string, rows: CompactPackage[], commons: Map<string, FileStamp>): Error | undefined {
  const data: CacheFile = { version: VERSION, root, packages: rows, commons: [...commons] };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
    return undefined;
  } catch (e) {
    return e as Error;
  }
}
