// Package locations (category/dir) of a pkgsrc tree, for limited_list completion and checks.
// Listing a whole tree reads a few hundred Makefiles, so results are cached per tree for a while
// and concurrent requests share one read.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const ttlMs = 60_000;

export class PackagePaths {
  private readonly cache = new Map<string, { at: number; paths: Promise<string[]> }>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Sorted `category/dir` locations of the tree; empty when it cannot be read (reported once). */
  get(pkgsrc: string): Promise<string[]> {
    const key = path.resolve(pkgsrc);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.paths;
    const paths = listLocations(key).catch((e: unknown) => {
      this.warn(`cannot list packages of ${key}: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    });
    this.cache.set(key, { at: Date.now(), paths });
    return paths;
  }

  clear(): void {
    this.cache.clear();
  }
}

async function listLocations(pkgsrc: string): Promise<string[]> {
  const out: string[] = [];
  for (const cat of await readdir(pkgsrc, { withFileTypes: true })) {
    if (!cat.isDirectory()) continue;
    let entries;
    try {
      entries = await readdir(path.join(pkgsrc, cat.name), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) if (e.isDirectory()) out.push(`${cat.name}/${e.name}`);
  }
  return out.sort();
}
