// A package index kept on disk between processes, like git's index: each category's and each
// package's metadata with the identity (inode, size, mtime, ctime) of the Makefiles it was
// read from (and of the Makefile.common files included). A fresh process stats those files
// instead of reading and parsing them, which is most of the cost of a first index; anything
// whose identity changed is read again.
//
// The file starts with what checking every entry and listing the tree need: a first line naming
// the format and the sizes of the next two parts; the head (JSON, ASCII): the categories without
// their entries' ranges, the Makefile.common identities, and the packages' paths, includes and
// problems; then the packages' identities, binary (four doubles each, in the machine's byte
// order: nothing to parse). Then come ASCII lines: one per package with its metadata as a flat row
// (src/pkgsrc/tree/pack.ts), one per category with its entries' ranges. Only the first part is
// read to check the tree and list it (`pkgsrc-bulk tree` on 11,000 packages builds no package
// record); a row is read when its entry is wanted, and written back as it was when it was not
// (cache-entries.ts).
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Problem } from '../problem';
import { FilePackages, RowFile, asciiJson, fileCategory, rowOf } from './cache-entries';
import type { CachedCategory, CachedPackage, PackageEntries } from './cache-entries';
import { hasIdentity, identityOf } from './identity';
import { checkCategory } from './pack';
import type { CategoryHead } from './pack';
import { isProblem } from './shape';

export { cachedCategory, cachedPackage } from './cache-entries';
export type { CachedCategory, CachedPackage, PackageEntries } from './cache-entries';

const VERSION = 4;
const MAGIC = 'pkgsrc-bulk tree index';
/** The byte order of this machine's doubles, which the stamps are written in. */
const ORDER = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'le' : 'be';

/** inode, size, mtimeMs, ctimeMs; null when the file does not exist. */
export type FileStamp = [number, number, number, number] | null;

export function stampOf(file: string): FileStamp {
  return identityOf(file);
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  if (a === null || b === null) return a === b;
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** Whether `file` still has the identity `stamp` (for null: still does not exist). */
export function hasStamp(file: string, stamp: FileStamp): boolean {
  return stamp === null ? identityOf(file) === null : hasIdentity(file, stamp[0], stamp[1], stamp[2], stamp[3]);
}

/** The first line of the file. */
interface Head {
  version: number;
  root: string;
  /** [name, Makefile stamp, the category without its entries, the entries' directory names] */
  categories: [string, FileStamp, CategoryHead, string[]][];
  /** Makefile.common stamps: [absolute path, stamp]. */
  commons: [string, FileStamp][];
  /**
   * The package paths, in the order of the rows: a number n stands for the next n paths of
   * the categories above taken in their order (all of them, when the tree did not change).
   */
  paths: (string | number)[];
  /** Flat pairs [package index, indexes into `commons`] for the packages that include any. */
  includes: (number | number[])[];
  /** Flat pairs [package index, problems] for the packages that have any. */
  problems: (number | Problem[])[];
}

export interface LoadedCache {
  packages: PackageEntries;
  commons: Map<string, FileStamp>;
  categories: Map<string, CachedCategory>;
}

function isStamp(x: unknown): x is FileStamp {
  return x === null || (Array.isArray(x) && x.length === 4 && x.every((n) => typeof n === 'number'));
}

/** The part before the rows: the head's bytes and the packages' stamps, and where the rows start. */
function readStart(file: string): { whole: Buffer; head: Buffer; stamps: Buffer; rowsFrom: number } | undefined {
  const fd = openSync(file, 'r');
  try {
    const first = Buffer.alloc(80);
    const n = readSync(fd, first, 0, first.length, 0);
    const nl = first.subarray(0, n).indexOf(10);
    const m = nl < 0 ? null : /^pkgsrc-bulk tree index (\d+) (le|be) (\d+) (\d+)$/.exec(first.toString('latin1', 0, nl));
    if (!m || Number(m[1]) !== VERSION || m[2] !== ORDER) return undefined;
    const headLength = Number(m[3]);
    const stampsLength = Number(m[4]);
    const size = fstatSync(fd).size;
    if (nl + 1 + headLength + 1 + stampsLength + 1 > size) return undefined;
    const start = Buffer.allocUnsafe(headLength + 1 + stampsLength + 1);
    if (readSync(fd, start, 0, start.length, nl + 1) !== start.length || start[headLength] !== 10 || start[start.length - 1] !== 10) return undefined;
    return {
      whole: start,
      head: start.subarray(0, headLength),
      stamps: start.subarray(headLength + 1, headLength + 1 + stampsLength),
      rowsFrom: nl + 1 + start.length,
    };
  } finally {
    closeSync(fd);
  }
}

/** The cache for `root`, or undefined when absent, unreadable, damaged, of another version or tree. */
export function loadCache(file: string, root: string): LoadedCache | undefined {
  let start: ReturnType<typeof readStart>;
  let head: Head;
  try {
    start = readStart(file);
    // Written as ASCII (see saveCache); a byte above 0x7f means the file is not one this code
    // wrote. Each row is checked when it is read.
    if (!start || !isAscii(start.head)) return undefined;
    head = JSON.parse(start.head.toString('latin1')) as Head;
  } catch {
    return undefined;
  }
  if (head === null || typeof head !== 'object' || head.version !== VERSION || head.root !== root) return undefined;
  const { paths: pathList, commons: commonList } = head;
  if (!Array.isArray(pathList) || !Array.isArray(commonList) || !Array.isArray(head.categories)) return undefined;
  if (!Array.isArray(head.includes) || !Array.isArray(head.problems) || head.includes.length % 2 !== 0 || head.problems.length % 2 !== 0) return undefined;
  if (!commonList.every((c) => Array.isArray(c) && typeof c[0] === 'string' && isStamp(c[1]))) return undefined;
  const checked: [string, FileStamp, CategoryHead, string[]][] = [];
  for (const c of head.categories) {
    if (!Array.isArray(c) || typeof c[0] !== 'string' || !isStamp(c[1]) || checked.some((x) => x[0] === c[0])) return undefined;
    const h = checkCategory(c[0], c[2], c[3]);
    if (h === undefined) return undefined;
    checked.push([c[0], c[1], h, c[3].map((d) => `${c[0]}/${d}`)]);
  }
  const paths = expandPaths(
    pathList,
    checked.map((c) => c[3]),
  );
  if (paths === undefined || start.stamps.length !== paths.length * 32) return undefined;
  // Package rows first, then one row of ranges per category.
  const rows = new RowFile(file, start.whole, start.rowsFrom, paths.length + checked.length);
  const categories = new Map<string, CachedCategory>();
  checked.forEach(([name, stamp, h, listed], k) =>
    categories.set(
      name,
      fileCategory(stamp, h, listed, () => rows.line(paths.length + k)),
    ),
  );
  const includes = new Map<number, string[]>();
  for (let k = 0; k < head.includes.length; k += 2) {
    const i = head.includes[k];
    const list = head.includes[k + 1];
    if (typeof i !== 'number' || !Array.isArray(list) || !list.every((n) => typeof n === 'number' && commonList[n] !== undefined)) return undefined;
    includes.set(
      i,
      list.map((n) => commonList[n]![0]),
    );
  }
  const problems = new Map<number, Problem[]>();
  for (let k = 0; k < head.problems.length; k += 2) {
    const i = head.problems[k];
    const list = head.problems[k + 1];
    if (typeof i !== 'number' || !Array.isArray(list) || !list.every(isProblem)) return undefined;
    problems.set(i, list);
  }
  // Copied into an array of its own: a Float64Array needs an aligned start.
  const stamps = new Float64Array(new Uint8Array(start.stamps).buffer);
  return { packages: new FilePackages(root, paths, stamps, includes, problems, rows), commons: new Map(commonList), categories };
}

/**
 * For each path, the problems of its entry when the entry is still valid (its Makefile and the
 * Makefile.common files it includes have the recorded identity: a stat each, nothing
 * unpacked); undefined for the others.
 */
export function problemsIfUnchanged(
  cache: LoadedCache,
  root: string,
  paths: readonly string[],
  commonOk: (file: string) => boolean,
): (readonly Problem[] | undefined)[] {
  const out: (readonly Problem[] | undefined)[] = new Array(paths.length);
  const { packages } = cache;
  if (packages instanceof FilePackages) {
    for (let i = 0; i < paths.length; i++) out[i] = packages.problemsIfUnchanged(paths[i]!, `${root}/${paths[i]}/Makefile`, commonOk);
    return out;
  }
  for (let i = 0; i < paths.length; i++) {
    const hit = packages.get(paths[i]!);
    if (hit && hit.stamp !== null && hasStamp(`${root}/${paths[i]}/Makefile`, hit.stamp) && hit.includes.every(commonOk)) out[i] = hit.problems;
  }
  return out;
}

/** The paths `paths` stands for (see Head), or undefined when it does not fit the categories. */
function expandPaths(list: readonly unknown[], listed: readonly (readonly string[])[]): string[] | undefined {
  const out: string[] = [];
  let c = 0;
  let k = 0;
  for (const x of list) {
    if (typeof x === 'string') {
      out.push(x);
      continue;
    }
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) return undefined;
    for (let n = x; n > 0; n--) {
      while (c < listed.length && k >= listed[c]!.length) {
        c++;
        k = 0;
      }
      if (c >= listed.length) return undefined;
      out.push(listed[c]![k++]!);
    }
  }
  return out;
}

/** Writes atomically (temporary file, then rename); failures are returned, never thrown. */
export function saveCache(file: string, root: string, cache: LoadedCache): Error | undefined {
  const commonList = [...cache.commons];
  const commonIndex = new Map(commonList.map(([f], k) => [f, k]));
  const categories: Head['categories'] = [];
  const rangeRows: Buffer[] = [];
  const listed: string[] = [];
  for (const [name, c] of cache.categories) {
    const w = c.written();
    if (w === undefined) continue;
    categories.push([name, c.stamp, w.head, w.dirs]);
    rangeRows.push(w.ranges);
    for (const p of c.summary().paths) listed.push(p);
  }
  const rows: Buffer[] = [];
  const entries: [string, CachedPackage][] = [];
  const includes: Head['includes'] = [];
  const problems: Head['problems'] = [];
  for (const [path, entry] of cache.packages) {
    const row = rowOf(entry);
    const incs = entry.includes.map((f) => commonIndex.get(f));
    if (row === undefined || incs.some((k) => k === undefined)) continue;
    if (incs.length > 0) includes.push(entries.length, incs as number[]);
    if (entry.problems.length > 0) problems.push(entries.length, [...entry.problems]);
    entries.push([path, entry]);
    rows.push(row);
  }
  // Paths in the categories' order are written as a count.
  const paths: Head['paths'] = [];
  let next = 0;
  for (const [path] of entries) {
    if (path === listed[next]) {
      next++;
      if (typeof paths[paths.length - 1] === 'number') (paths[paths.length - 1] as number)++;
      else paths.push(1);
    } else {
      paths.push(path);
    }
  }
  const stampArray = new Float64Array(entries.length * 4);
  entries.forEach(([, { stamp }], i) => {
    if (stamp === null) stampArray[4 * i] = -1;
    else stampArray.set(stamp, 4 * i);
  });
  const stamps = Buffer.from(stampArray.buffer);
  const head: Head = { version: VERSION, root, categories, commons: commonList, paths, includes, problems };
  const headBytes = Buffer.from(asciiJson(JSON.stringify(head)), 'latin1');
  const newline = Buffer.from('\n');
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      tmp,
      Buffer.concat([
        Buffer.from(`${MAGIC} ${VERSION} ${ORDER} ${headBytes.length} ${stamps.length}\n`),
        headBytes,
        newline,
        stamps,
        newline,
        ...rows,
        ...rangeRows,
      ]),
    );
    renameSync(tmp, file);
    return undefined;
  } catch (e) {
    return e as Error;
  }
}
