// Finding the pkgsrc tree: a directory with a top-level Makefile and mk/ (pbulk-reference §7.1).
// An explicit setting wins; otherwise the workspace folders, their parents, and a `pkgsrc`
// directory inside them are tried in that order.
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export type RootCheck = { ok: true; root: string } | { ok: false; root: string; reason: string };

async function kind(p: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(p);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** Says why `dir` is not a pkgsrc tree, in words a user can act on. */
export async function checkPkgsrcRoot(dir: string): Promise<RootCheck> {
  const root = resolve(dir);
  const self = await kind(root);
  if (self === undefined) return { ok: false, root, reason: `${root} does not exist` };
  if (self !== 'dir') return { ok: false, root, reason: `${root} is not a directory` };
  if ((await kind(join(root, 'Makefile'))) !== 'file') return { ok: false, root, reason: `${root} has no top-level Makefile, so it is not a pkgsrc tree` };
  if ((await kind(join(root, 'mk'))) !== 'dir') return { ok: false, root, reason: `${root} has no mk/ directory, so it is not a pkgsrc tree` };
  return { ok: true, root };
}

export async function isPkgsrcRoot(dir: string): Promise<boolean> {
  return (await checkPkgsrcRoot(dir)).ok;
}

/** The first pkgsrc tree at, above, or in `<start>/pkgsrc` for each start directory in turn. */
export async function findPkgsrcRoot(starts: readonly string[]): Promise<string | undefined> {
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      if (await isPkgsrcRoot(dir)) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    if (await isPkgsrcRoot(join(start, 'pkgsrc'))) return resolve(start, 'pkgsrc');
  }
  return undefined;
}
