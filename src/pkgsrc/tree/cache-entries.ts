// The entries of the on-disk index (cache.ts) as the model uses them: those read from a file
// are checked from its head and unpacked from their row only when wanted; those made in this
// process hold what was read.
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import type { Problem } from '../problem';
import type { FileStamp } from './cache';
import { hasIdentity } from './identity';
import { packCategory, packPackage, unpackCategory, unpackPackage } from './pack';
import type { CategoryHead } from './pack';
import type { CategoryInfo, CategorySummary, PackageInfo } from './types';

const none: readonly never[] = Object.freeze([]);

/** A package of the index. */
export interface CachedPackage {
  stamp: FileStamp;
  includes: readonly string[];
  problems: readonly Problem[];
  /** The whole entry; undefined when its row is damaged. Unpacked once. */
  info(): PackageInfo | undefined;
  /** The row's bytes as the file holds them, newline included (for an entry read from a file). */
  readonly row?: Buffer;
}

/** A category of the index. */
export interface CachedCategory {
  stamp: FileStamp;
  /** The whole entry; undefined when its ranges are damaged. Unpacked once. */
  info(): CategoryInfo | undefined;
  /** The category without its entries, and their paths: what checking and listing the tree need. */
  summary(): { summary: CategorySummary; paths: string[] };
  /** What a file holds for it (the ranges row with its newline), or undefined when that cannot be had (a damaged file). */
  written(): { head: CategoryHead; dirs: string[]; ranges: Buffer } | undefined;
}

/** The packages of the index: a Map, or the entries of a file, made into objects only when asked for. */
export interface PackageEntries extends Iterable<[string, CachedPackage]> {
  get(path: string): CachedPackage | undefined;
  delete(path: string): boolean;
}

export function cachedPackage(stamp: FileStamp, info: PackageInfo): CachedPackage {
  return { stamp, includes: info.includes, problems: info.problems, info: () => info };
}

export function cachedCategory(stamp: FileStamp, info: CategoryInfo): CachedCategory {
  let packed: ReturnType<typeof packCategory> | undefined;
  return {
    stamp,
    info: () => info,
    summary: () => {
      const { packages, ...rest } = info;
      return { summary: { ...rest, packageCount: packages.length }, paths: packages.map((p) => p.path) };
    },
    written: () => {
      packed ??= packCategory(info);
      return { head: packed.head, dirs: packed.dirs, ranges: Buffer.from(`${JSON.stringify(packed.ranges)}\n`, 'latin1') };
    },
  };
}

/** A category of a file: its head checked when the file was loaded, its ranges read on demand. */
export function fileCategory(stamp: FileStamp, head: CategoryHead, paths: string[], ranges: () => Buffer | undefined): CachedCategory {
  let info: CategoryInfo | undefined | null = null;
  return {
    stamp,
    info() {
      if (info === null) {
        info = undefined;
        const row = ranges();
        try {
          if (row !== undefined) info = unpackCategory(head, paths, JSON.parse(row.toString('latin1')));
        } catch {
          // damaged: the category is read again
        }
      }
      return info;
    },
    summary: () => ({ summary: { ...head, packageCount: paths.length }, paths }),
    written() {
      const row = ranges();
      return row === undefined ? undefined : { head, dirs: paths.map((p) => p.slice(head.name.length + 1)), ranges: row };
    },
  };
}

/** The lines after the head of an index file, read when the first one is wanted. */
export class RowFile {
  private bytes?: Buffer;
  private starts?: number[];

  /** `start`: what was read before the rows (head and stamps); `from`: where the rows start; `count`: how many there must be. */
  constructor(
    private readonly file: string,
    private readonly start: Buffer,
    private readonly from: number,
    private readonly count: number,
  ) {}

  /**
   * Row i's bytes with its newline, or undefined when the file is no longer the one whose head
   * was read, or is damaged there.
   */
  line(i: number): Buffer | undefined {
    if (!this.starts) {
      this.starts = [];
      try {
        const bytes = readFileSync(this.file);
        // Replaced since its start was read: its rows belong to another head.
        const at = bytes.indexOf(10) + 1;
        if (bytes.length >= this.from && bytes.subarray(at, at + this.start.length).equals(this.start)) {
          const starts: number[] = [];
          for (let at = this.from; at < bytes.length && starts.length <= this.count;) {
            starts.push(at);
            const nl = bytes.indexOf(10, at);
            at = nl < 0 ? bytes.length + 1 : nl + 1;
          }
          if (starts.length === this.count) {
            this.bytes = bytes;
            this.starts = starts;
          }
        }
      } catch {
        // unreadable now: no rows
      }
    }
    const from = this.starts[i];
    if (from === undefined || !this.bytes) return undefined;
    const end = this.bytes.indexOf(10, from);
    if (end < 0) return undefined;
    const row = this.bytes.subarray(from, end + 1);
    return isAscii(row) ? row : undefined;
  }
}

/** A package entry of a file: its row read and unpacked when first wanted. */
class FileEntry implements CachedPackage {
  private unpacked: PackageInfo | undefined | null = null;
  private bytes: Buffer | undefined | null = null;

  constructor(
    private readonly root: string,
    private readonly path: string,
    readonly stamp: FileStamp,
    readonly includes: readonly string[],
    readonly problems: readonly Problem[],
    private readonly read: () => Buffer | undefined,
  ) {}

  get row(): Buffer | undefined {
    if (this.bytes === null) this.bytes = this.read();
    return this.bytes;
  }

  info(): PackageInfo | undefined {
    if (this.unpacked === null) {
      this.unpacked = undefined;
      try {
        const b = this.row;
        const info = b === undefined ? undefined : unpackPackage(this.root, JSON.parse(b.toString('latin1')));
        if (info && info.path === this.path) this.unpacked = info;
      } catch {
        // a damaged row: the package is read again
      }
    }
    return this.unpacked;
  }
}

/** The package entries of a file: found by path, unpacked from their row when first used. */
export class FilePackages implements PackageEntries {
  private byPath?: Map<string, number>;
  /** Where the next lookup probably is: paths are mostly asked for in the order they are written. */
  private next = 0;
  private readonly made = new Map<number, CachedPackage>();
  private readonly dropped = new Set<number>();

  constructor(
    private readonly root: string,
    private readonly paths: readonly string[],
    /** Four numbers per package: inode (-1: no file), size, mtimeMs, ctimeMs. */
    private readonly stamps: Float64Array,
    private readonly includes: ReadonlyMap<number, readonly string[]>,
    private readonly problems: ReadonlyMap<number, readonly Problem[]>,
    private readonly rows: RowFile,
  ) {}

  private indexOf(path: string): number {
    let i = this.paths[this.next] === path ? this.next : -1;
    if (i < 0) {
      this.byPath ??= new Map(this.paths.map((p, k) => [p, k]));
      i = this.byPath.get(path) ?? -1;
    }
    if (i >= 0) this.next = i + 1;
    return i >= 0 && (this.dropped.size === 0 || !this.dropped.has(i)) ? i : -1;
  }

  /**
   * The problems of `path` when its Makefile (`makefile`) still has the recorded identity and
   * `commonOk` accepts each Makefile.common it includes, else undefined: one stat, no object
   * made for the entry.
   */
  problemsIfUnchanged(path: string, makefile: string, commonOk: (file: string) => boolean): readonly Problem[] | undefined {
    const i = this.indexOf(path);
    if (i < 0) return undefined;
    const at = 4 * i;
    const st = this.stamps;
    if (st[at]! < 0 || !hasIdentity(makefile, st[at]!, st[at + 1]!, st[at + 2]!, st[at + 3]!)) return undefined;
    const incs = this.includes.get(i);
    if (incs && !incs.every(commonOk)) return undefined;
    return this.problems.get(i) ?? none;
  }

  private entry(i: number): CachedPackage {
    let e = this.made.get(i);
    if (!e) {
      const at = 4 * i;
      const st = this.stamps;
      const stamp: FileStamp = st[at]! < 0 ? null : [st[at]!, st[at + 1]!, st[at + 2]!, st[at + 3]!];
      e = new FileEntry(this.root, this.paths[i]!, stamp, this.includes.get(i) ?? none, this.problems.get(i) ?? none, () => this.rows.line(i));
      this.made.set(i, e);
    }
    return e;
  }

  get(path: string): CachedPackage | undefined {
    const i = this.indexOf(path);
    return i < 0 ? undefined : this.entry(i);
  }

  delete(path: string): boolean {
    const i = this.indexOf(path);
    if (i >= 0) this.dropped.add(i);
    return i >= 0;
  }

  *[Symbol.iterator](): Iterator<[string, CachedPackage]> {
    for (let i = 0; i < this.paths.length; i++) if (!this.dropped.has(i)) yield [this.paths[i]!, this.entry(i)];
  }
}

/** An entry's row for the file, newline included: the one it came with, or its metadata packed (ASCII, as JSON escapes). */
export function rowOf(entry: CachedPackage): Buffer | undefined {
  if (entry.row !== undefined) return entry.row;
  const info = entry.info();
  return info ? Buffer.from(`${asciiJson(JSON.stringify(packPackage(info)))}\n`, 'latin1') : undefined;
}

/** JSON with every character above 0x7f escaped, so that the file is ASCII. */
export function asciiJson(json: string): string {
  return json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
