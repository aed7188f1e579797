// Whether a directory chosen as a bulklog is one: "Open Bulklog from Disk..." says what is
// missing, and where, instead of showing an empty report. Only stats and a directory listing,
// so it stays quick on a bulklog of tens of megabytes.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Bulklog } from './read';

/** The files of meta/ that name packages: pbulk writes at least one of them in every run. */
const PACKAGE_LISTS = ['presolve', 'report', 'pscan', 'pbuild', 'success', 'error'] as const;

async function entries(dir: string): Promise<string[] | string> {
  try {
    if (!(await stat(dir)).isDirectory()) return `${dir}: not a directory`;
    return await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${dir}: no such directory` : `${dir}: cannot read it: ${(e as Error).message}`;
  }
}

/** Why `dir` is not a bulklog pkgsrc-bulk can show (one sentence naming the path), or undefined when it is one. */
export async function bulklogDirProblem(dir: string): Promise<string | undefined> {
  const top = await entries(dir);
  if (typeof top === 'string') return top;
  const lists = (names: string[]) => PACKAGE_LISTS.filter((n) => names.includes(n));
  if (!top.includes('meta')) {
    // The meta/ directory itself chosen instead of the bulklog holding it.
    if (lists(top).length > 0)
      return `${dir} looks like the meta/ directory of a bulklog (it holds ${lists(top).join(', ')}): open ${dirname(dir)}, the directory that holds it.`;
    if (top.length === 0) return `${dir} is empty: a bulklog holds meta/ with pbulk's package lists (${PACKAGE_LISTS.join(', ')}).`;
    return `${dir} has no meta/ directory: use the directory pbulk.conf's bulklog names, the one holding meta/.`;
  }
  const metaDir = join(dir, 'meta');
  const meta = await entries(metaDir);
  if (typeof meta === 'string') return meta;
  if (lists(meta).length === 0) {
    return `${metaDir} holds none of pbulk's package lists (${PACKAGE_LISTS.join(', ')})${meta.length === 0 ? ': it is empty' : `, only ${meta.slice(0, 5).join(', ')}${meta.length > 5 ? ', ...' : ''}`}.`;
  }
  return undefined;
}

/** What to say when a bulklog read from `dir` has no package: its lists are there but empty (a run that just began). */
export function noPackagesMessage(b: Bulklog | undefined, dir: string): string | undefined {
  if (b && b.packages.length > 0) return undefined;
  if (!b) return `${dir} could not be read as a bulklog (the pkgsrc bulk output says why).`;
  return `${join(dir, 'meta')} lists no packages yet (its ${PACKAGE_LISTS.join(', ')} name none): the views fill in as a build writes them.`;
}
