// The on-disk index as the model uses it: which categories and packages can be taken from it
// (their Makefile and Makefile.common files have the identity recorded), the identities seen
// in this process, and writing it back merged with the entries this process did not touch.
import { cachedCategory, cachedPackage, hasStamp, loadCache, problemsIfUnchanged, sameStamp, saveCache, stampOf } from './cache';
import type { CachedPackage, FileStamp, LoadedCache } from './cache';
import type { Problem } from '../problem';
import { sliced } from './read';
import type { CategoryInfo, CategorySummary, PackageInfo } from './types';

export class DiskIndex {
  private disk?: LoadedCache;
  /** Makefile identity per package path, taken before the Makefile was read. */
  private readonly stamps = new Map<string, FileStamp>();
  private readonly commonStamps = new Map<string, FileStamp>();
  /** Makefile.common files found to have (or not) the identity the file records. */
  private readonly commonsOk = new Map<string, boolean>();
  /** Category Makefile identities taken before reading, and what was read in this process. */
  private readonly categoryStamps = new Map<string, FileStamp>();
  private readonly categories = new Map<string, CategoryInfo>();
  /** Entries handed out without a stat (checkAfter), to be checked by `check()`. */
  private readonly uncheckedCategories = new Set<string>();
  private readonly unchecked = new Set<string>();
  /** Something was read from the tree that the file does not hold yet. */
  dirty = false;

  /**
   * `checkAfter`: entries are handed out as they are in the file and their Makefiles are
   * stat'ed later, by `check()`; otherwise each is stat'ed before it is handed out.
   */
  constructor(
    readonly file: string,
    private readonly root: string,
    private readonly checkAfter = false,
  ) {}

  /** There are entries handed out unchecked. */
  get pending(): boolean {
    return this.unchecked.size > 0 || this.uncheckedCategories.size > 0;
  }

  private load(): LoadedCache {
    this.disk ??= loadCache(this.file, this.root) ?? { packages: new Map<string, CachedPackage>(), commons: new Map(), categories: new Map() };
    return this.disk;
  }

  /** Stats a category's Makefile; its entry when still valid, else undefined (read it). */
  category(name: string): CategoryInfo | undefined {
    if (this.checkAfter) {
      const hit = this.load().categories.get(name);
      const info = hit && hit.stamp !== null ? hit.info() : undefined;
      if (info) {
        this.uncheckedCategories.add(name);
        return info;
      }
    }
    const stamp = stampOf(`${this.root}/${name}/Makefile`);
    this.categoryStamps.set(name, stamp);
    const hit = this.load().categories.get(name);
    return hit && stamp !== null && sameStamp(hit.stamp, stamp) ? hit.info() : undefined;
  }

  /** Like category(), but the entry without its package entries: their paths instead. */
  categorySummary(name: string): { summary: CategorySummary; paths: string[] } | undefined {
    const stamp = stampOf(`${this.root}/${name}/Makefile`);
    this.categoryStamps.set(name, stamp);
    const hit = this.load().categories.get(name);
    return hit && stamp !== null && sameStamp(hit.stamp, stamp) ? hit.summary() : undefined;
  }

  /** A category read from its Makefile, to be written with the identity `category()` took. */
  noteCategory(info: CategoryInfo): void {
    if (this.categoryStamps.get(info.name) == null) return;
    this.categories.set(info.name, info);
    this.dirty = true;
  }

  /**
   * Stats each package's Makefile; hands the packages whose entry is still valid to `store`
   * and returns the indexes of the others, which must be read.
   */
  async take(paths: readonly string[], store: (i: number, info: PackageInfo) => void): Promise<number[]> {
    const disk = this.load();
    const commonOk = (file: string) => {
      let now = this.commonStamps.get(file);
      if (now === undefined && !this.commonStamps.has(file)) this.commonStamps.set(file, (now = stampOf(file)));
      return disk.commons.has(file) && sameStamp(disk.commons.get(file)!, now ?? null);
    };
    const read: number[] = [];
    await sliced(paths.length, (i) => {
      const path = paths[i]!;
      if (this.checkAfter) {
        const hit = disk.packages.get(path);
        const info = hit && hit.stamp !== null ? hit.info() : undefined;
        if (info) {
          this.unchecked.add(path);
          return store(i, info);
        }
      }
      const stamp = stampOf(`${this.root}/${path}/Makefile`);
      this.stamps.set(path, stamp);
      const hit = disk.packages.get(path);
      const info = hit && stamp !== null && sameStamp(hit.stamp, stamp) && hit.includes.every(commonOk) ? hit.info() : undefined;
      if (info) return store(i, info);
      read.push(i);
    });
    if (read.length > 0) this.dirty = true;
    return read;
  }

  /**
   * Stats what was handed out unchecked (in time slices); returns the categories and packages
   * whose Makefiles (or Makefile.common files) no longer have the recorded identity. Their
   * entries are dropped; the caller reads them again.
   */
  async check(): Promise<{ categories: string[]; packages: string[] }> {
    const disk = this.load();
    const stale = { categories: [] as string[], packages: [] as string[] };
    for (const name of [...this.uncheckedCategories]) {
      this.uncheckedCategories.delete(name);
      const stamp = stampOf(`${this.root}/${name}/Makefile`);
      const hit = disk.categories.get(name);
      if (hit && stamp !== null && sameStamp(hit.stamp, stamp)) {
        this.categoryStamps.set(name, stamp);
      } else {
        disk.categories.delete(name);
        stale.categories.push(name);
      }
    }
    const commonOk = (file: string) => {
      if (!this.commonStamps.has(file)) this.commonStamps.set(file, stampOf(file));
      return disk.commons.has(file) && sameStamp(disk.commons.get(file)!, this.commonStamps.get(file) ?? null);
    };
    const paths = [...this.unchecked];
    this.unchecked.clear();
    await sliced(paths.length, (i) => {
      const path = paths[i]!;
      const stamp = stampOf(`${this.root}/${path}/Makefile`);
      const hit = disk.packages.get(path);
      if (hit && stamp !== null && sameStamp(hit.stamp, stamp) && hit.includes.every(commonOk)) {
        this.stamps.set(path, stamp);
      } else {
        disk.packages.delete(path);
        stale.packages.push(path);
      }
    });
    return stale;
  }

  /**
   * The problems of each package whose entry is still valid (its Makefile and Makefile.common
   * files have the recorded identity: one stat each, nothing unpacked); undefined for the
   * others, which must be read.
   */
  problemsOf(paths: readonly string[]): (readonly Problem[] | undefined)[] {
    const disk = this.load();
    return problemsIfUnchanged(disk, this.root, paths, (file) => {
      let ok = this.commonsOk.get(file);
      if (ok === undefined) this.commonsOk.set(file, (ok = disk.commons.has(file) && hasStamp(file, disk.commons.get(file)!)));
      return ok;
    });
  }

  forgetPackage(path: string): void {
    this.unchecked.delete(path);
    this.stamps.delete(path);
    this.disk?.packages.delete(path);
  }

  forgetCommon(file: string): void {
    this.commonStamps.delete(file);
    this.commonsOk.delete(file);
  }

  forgetCategory(name: string): void {
    this.uncheckedCategories.delete(name);
    this.categoryStamps.delete(name);
    this.categories.delete(name);
    this.disk?.categories.delete(name);
  }

  forgetAll(): void {
    this.unchecked.clear();
    this.uncheckedCategories.clear();
    this.stamps.clear();
    this.commonStamps.clear();
    this.commonsOk.clear();
    this.categoryStamps.clear();
    this.categories.clear();
    this.disk?.categories.clear();
  }

  /** Writes the packages and categories loaded here plus the old entries still valid; never throws. */
  save(loaded: ReadonlyMap<string, PackageInfo>): Error | undefined {
    if (!this.dirty) return undefined;
    this.dirty = false;
    const packages = new Map<string, CachedPackage>();
    const commons = new Map<string, FileStamp>();
    const old = this.disk;
    for (const [path, info] of loaded) {
      if (!this.stamps.has(path)) {
        // Handed out unchecked: the entry stays as it is in the file.
        const entry = old?.packages.get(path);
        if (entry && entry.info() === info) {
          packages.set(path, entry);
          for (const inc of info.includes) if (!commons.has(inc)) commons.set(inc, old!.commons.get(inc) ?? null);
        }
        continue;
      }
      packages.set(path, cachedPackage(this.stamps.get(path)!, info));
      for (const inc of info.includes) if (!commons.has(inc)) commons.set(inc, this.commonStamps.get(inc) ?? stampOf(inc));
    }
    // Entries for packages not loaded here stay, unless a Makefile.common they were built
    // from now has another identity than the one recorded with them.
    for (const [path, entry] of old?.packages ?? []) {
      if (loaded.has(path)) continue;
      const incs = entry.includes;
      if (!incs.every((inc) => !commons.has(inc) || sameStamp(commons.get(inc)!, old!.commons.get(inc) ?? null))) continue;
      for (const inc of incs) if (!commons.has(inc)) commons.set(inc, old!.commons.get(inc) ?? null);
      packages.set(path, entry);
    }
    const categories = new Map(old?.categories ?? []);
    for (const [name, info] of this.categories) categories.set(name, cachedCategory(this.categoryStamps.get(name)!, info));
    // In the order the categories list them, which is the order the next process asks for them.
    const ordered = new Map<string, CachedPackage>();
    for (const c of categories.values()) {
      for (const path of c.summary()?.paths ?? []) {
        const entry = packages.get(path);
        if (entry) ordered.set(path, entry);
      }
    }
    for (const [path, entry] of packages) if (!ordered.has(path)) ordered.set(path, entry);
    this.disk = { packages: ordered, commons, categories };
    return saveCache(this.file, this.root, this.disk);
  }
}
