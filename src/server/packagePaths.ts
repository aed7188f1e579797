// Package locations (category/dir) of a pkgsrc tree for limited_list completion, hover and
// links, read through the tree library (top Makefile and category Makefiles' SUBDIR+= lines,
// as pbulk lists them). The server does not watch the tree, so a tree model is kept for a
// minute and then read again; concurrent requests share one read.
import path from 'node:path';
import { PkgsrcTree } from '../pkgsrc/tree';
import type { PackageInfo } from '../pkgsrc/tree';

const ttlMs = 60_000;

export interface TreeListing {
  categories: string[];
  /** Sorted `category/dir` locations pbulk would scan. */
  locations: string[];
  /** Problems reading the tree, e.g. a missing top Makefile. */
  problems: string[];
}

export class PackagePaths {
  private readonly trees = new Map<string, { at: number; tree: PkgsrcTree; listing?: Promise<TreeListing> }>();

  constructor(private readonly warn: (message: string) => void) {}

  private tree(pkgsrc: string): { tree: PkgsrcTree; listing?: Promise<TreeListing> } {
    const key = path.resolve(pkgsrc);
    let hit = this.trees.get(key);
    if (!hit || Date.now() - hit.at >= ttlMs) {
      hit = { at: Date.now(), tree: new PkgsrcTree(key) };
      this.trees.set(key, hit);
    }
    return hit;
  }

  /** The tree's categories and locations; empty lists (and a problem) when it cannot be read. */
  listing(pkgsrc: string): Promise<TreeListing> {
    const entry = this.tree(pkgsrc);
    entry.listing ??= read(entry.tree).catch((e: unknown) => {
      const message = `cannot list the packages of ${pkgsrc}: ${e instanceof Error ? e.message : String(e)}`;
      this.warn(message);
      return { categories: [], locations: [], problems: [message] };
    });
    return entry.listing;
  }

  /** One package's Makefile metadata (COMMENT ...), undefined when it cannot be read. */
  async package(pkgsrc: string, location: string): Promise<PackageInfo | undefined> {
    try {
      return await this.tree(pkgsrc).tree.package(location);
    } catch {
      return undefined;
    }
  }

  clear(): void {
    this.trees.clear();
  }
}

async function read(tree: PkgsrcTree): Promise<TreeListing> {
  const top = await tree.topLevel();
  const cats = await Promise.all(top.categories.map((c) => tree.category(c.name)));
  const locations = cats.flatMap((c) => c.packages.map((p) => p.path)).sort();
  const problems = [...top.problems, ...cats.flatMap((c) => c.problems)].filter((p) => p.severity === 'error').map((p) => p.message);
  return { categories: top.categories.map((c) => c.name), locations, problems };
}
