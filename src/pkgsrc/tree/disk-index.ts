// The on-disk index as the model uses it: which packages can be taken from it (their Makefile
// and Makefile.common files have the identity recorded), the identities seen in this process,
// and writing it back merged with the entries this process did not touch.
import { decodePackage, encodePackage, loadCache, sameStamp, saveCache, stampOf } from './cache';
import type { CompactPackage, FileStamp, LoadedCache } from './cache';
import { sliced } from './read';
import type { PackageInfo } from './types';

export class DiskIndex {
  private disk?: LoadedCache;
  /** Makefile identity per package path, taken before the Makefile was read. */
  private readonly stamps = new Map<string, FileStamp>();
  private readonly commonStamps = new Map<string, FileStamp>();
  /** Something was read from the tree that the file does not hold yet. */
  dirty = false;

  constructor(
    readonly file: string,
    private readonly root: string,
  ) {}

  /**
   * Stats each package's Makefile; hands the packages whose entry is still valid to `store`
   * and returns the indexes of the others, which must be read.
   */
  async take(paths: readonly string[], store: (i: number, info: PackageInfo) => void): Promise<number[]> {
    this.disk ??= loadCache(this.file, this.root) ?? { packages: new Map(), commons: new Map() };
    const disk = this.disk;
    const commonOk = (file: string) => {
      let now = this.commonStamps.get(file);
      if (now === undefined && !this.commonStamps.has(file)) this.commonStamps.set(file, (now = stampOf(file)));
      return disk.commons.has(file) && sameStamp(disk.commons.get(file)!, now ?? null);
    };
    const read: number[] = [];
    await sliced(paths.length, (i) => {
      const path = paths[i]!;
      const stamp = stampOf(`${this.root}/${path}/Makefile`);
      this.stamps.set(path, stamp);
      const hit = disk.packages.get(path);
      if (hit && stamp !== null && sameStamp(hit.stamp, stamp) && hit.row[4].every(commonOk)) {
        const info = decodePackage(this.root, hit.row);
        if (info) return store(i, info);
      }
      read.push(i);
    });
    if (read.length > 0) this.dirty = true;
    return read;
  }

  forgetPackage(path: string): void {
    this.stamps.delete(path);
    this.disk?.packages.delete(path);
  }

  forgetCommon(file: string): void {
    this.commonStamps.delete(file);
  }

  forgetAll(): void {
    this.stamps.clear();
    this.commonStamps.clear();
  }

  /** Writes the packages loaded here plus the old entries still valid; never throws. */
  save(loaded: ReadonlyMap<string, PackageInfo>): Error | undefined {
    if (!this.dirty) return undefined;
    this.dirty = false;
    const rows: CompactPackage[] = [];
    const commons = new Map<string, FileStamp>();
    for (const [path, info] of loaded) {
      if (!this.stamps.has(path)) continue;
      rows.push(encodePackage(info, this.stamps.get(path)!));
      for (const inc of info.includes) if (!commons.has(inc)) commons.set(inc, this.commonStamps.get(inc) ?? stampOf(inc));
    }
    // Entries for packages not loaded here stay, unless a Makefile.common they were built
    // from now has another identity than the one recorded with them.
    const old = this.disk;
    for (const [path, entry] of old?.packages ?? []) {
      if (loaded.has(path)) continue;
      const incs = entry.row[4];
      if (!incs.every((inc) => !commons.has(inc) || sameStamp(commons.get(inc)!, old!.commons.get(inc) ?? null))) continue;
      for (const inc of incs) if (!commons.has(inc)) commons.set(inc, old!.commons.get(inc) ?? null);
      rows.push(entry.row);
    }
    const err = saveCache(this.file, this.root, rows, commons);
    this.disk = { packages: new Map(rows.map((r) => [r[0], { stamp: r[2], row: r }])), commons };
    return err;
  }
}
