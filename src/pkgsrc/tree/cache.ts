// A package index kept on disk between processes, like git's index: each category's and each
// package's metadata with the identity (inode, size, mtime, ctime) of the Makefiles it was
// read from (and of the Makefile.common files included). A fresh process stats those files
// instead of reading and parsing them, which is most of the cost of a first index; anything
// whose identity changed is read again. Packages are stored as flat rows
// (src/pkgsrc/tree/pack.ts) and categories with flat package entries: what is cheapest to parse.
import { readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { packCategory, unpackCategory, unpackPackage } from './pack';
import type { PackedCategory, PackedPackage } from './pack';
import type { CategoryInfo, PackageInfo } from './types';

const VERSION = 3;

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

interface CacheFile {
  version: number;
  root: string;
  /** [name, Makefile stamp, what was read from it] */
  categories: [string, FileStamp, PackedCategory][];
  /** Makefile.common stamps: [absolute path, stamp]. */
  commons: [string, FileStamp][];
  packages: PackedPackage[];
  /** The Makefile stamps of `packages`, four numbers each (flat: no array per package). */
  stamps: number[];
}

export interface CachedPackage {
  stamp: FileStamp;
  info: PackageInfo;
}

export interface LoadedCache {
  packages: Map<string, CachedPackage>;
  commons: Map<string, FileStamp>;
  categories: Map<string, { stamp: FileStamp; info: CategoryInfo }>;
}

function isStamp(x: unknown): x is FileStamp {
  return x === null || (Array.isArray(x) && x.length === 4 && x.every((n) => typeof n === 'number'));
}

/** The cache for `root`, or undefined when absent, unreadable, damaged, of another version or tree. */
export function loadCache(file: string, root: string): LoadedCache | undefined {
  let data: CacheFile;
  try {
    // Written as ASCII (see saveCache): read without UTF-8 decoding; a byte above 0x7f means
    // the file is not one this code wrote.
    const text = readFileSync(file, 'latin1');
    if (/[^\x00-\x7f]/.test(text)) return undefined;
    data = JSON.parse(text) as CacheFile;
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object' || data.version !== VERSION || data.root !== root) return undefined;
  if (!Array.isArray(data.packages) || !Array.isArray(data.stamps) || data.stamps.length !== data.packages.length * 4 || !Array.isArray(data.commons) || !Array.isArray(data.categories)) return undefined;
  if (!data.commons.every((c) => Array.isArray(c) && typeof c[0] === 'string' && isStamp(c[1]))) return undefined;
  const categories = new Map<string, { stamp: FileStamp; info: CategoryInfo }>();
  for (const c of data.categories) {
    if (!Array.isArray(c) || typeof c[0] !== 'string' || !isStamp(c[1])) return undefined;
    const info = unpackCategory(c[0], c[2]);
    if (info === undefined) return undefined;
    categories.set(c[0], { stamp: c[1], info });
  }
  const packages = new Map<string, CachedPackage>();
  const st = data.stamps;
  for (let i = 0; i < data.packages.length; i++) {
    const info = unpackPackage(root, data.packages[i]);
    const ino = st[4 * i];
    if (info === undefined || typeof ino !== 'number') return undefined;
    packages.set(info.path, { stamp: ino < 0 ? null : [ino, st[4 * i + 1]!, st[4 * i + 2]!, st[4 * i + 3]!], info });
  }
  return { packages, commons: new Map(data.commons), categories };
}

/** Writes atomically (temporary file, then rename); failures are returned, never thrown. */
export function saveCache(file: string, root: string, cache: LoadedCache, pack: (info: PackageInfo) => PackedPackage): Error | undefined {
  const packages: PackedPackage[] = [];
  const stamps: number[] = [];
  for (const { stamp, info } of cache.packages.values()) {
    packages.push(pack(info));
    if (stamp === null) stamps.push(-1, 0, 0, 0);
    else stamps.push(...stamp);
  }
  const categories = [...cache.categories].map(([name, c]): [string, FileStamp, PackedCategory] => [name, c.stamp, packCategory(c.info)]);
  const data: CacheFile = { version: VERSION, root, categories, commons: [...cache.commons], packages, stamps };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, JSON.stringify(data).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'latin1');
    renameSync(tmp, file);
    return undefined;
  } catch (e) {
    return e as Error;
  }
}
