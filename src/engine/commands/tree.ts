// `pkgsrc-bulk tree`: the categories of a pkgsrc tree with their package counts, counted as
// pbulk counts them, and every problem found on the way; `--json` prints the whole model.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatProblem } from '../../pkgsrc/problem';
import { PkgsrcTree, checkPkgsrcRoot, findPkgsrcRoot } from '../../pkgsrc/tree';
import type { OptionalFile, PackageInfo, TreeIndex, TreeOverview } from '../../pkgsrc/tree';
import { optionLines, parseOptions, type OptionTable } from './options';
import { EXIT } from '../../protocol/exit';
import { UsageError, type Command } from './types';

const options = {
  pkgsrc: { type: 'string', arg: 'DIR', help: 'the tree (default: the current directory or the first parent that has a\ntop-level Makefile and mk/)' },
  json: {
    type: 'boolean',
    help: "print the whole model as JSON: categories, every package's metadata (values\nwith ${...} are marked unresolved) and optional files, problems, totals",
  },
  'no-cache': {
    type: 'boolean',
    help: 'neither use nor write the on-disk package index; by default it is kept in\n$XDG_CACHE_HOME/pkgsrc-bulk (~/.cache/pkgsrc-bulk), and a later run reads again\nonly the Makefiles whose size, time or inode changed',
  },
} as const satisfies OptionTable;

const usage = `usage: pkgsrc-bulk tree [--pkgsrc DIR] [--json] [--no-cache]

Lists the categories of a pkgsrc tree (the active SUBDIR+= entries of its top Makefile) with
their COMMENT and package count (the active SUBDIR+= entries of each category Makefile: the
locations pbulk scans), then the totals. Problems found in the Makefiles go to standard error
as file:line:col lines.

${optionLines(options)}

Exit status: 0 listed; 1 listed, but some Makefiles have errors; 2 bad usage or DIR is not a
pkgsrc tree.`;

export interface TreeJson extends Omit<TreeIndex, 'packages'> {
  packages: (PackageInfo & { files: OptionalFile[] })[];
}

function table(idx: TreeOverview): string {
  const width = Math.max(8, ...idx.categories.map((c) => c.name.length));
  const lines = [`${'CATEGORY'.padEnd(width)}  PACKAGES  COMMENT`];
  for (const c of idx.categories) lines.push(`${c.name.padEnd(width)}  ${String(c.packageCount).padStart(8)}  ${c.comment?.value ?? ''}`);
  const t = idx.totals;
  const off: string[] = [];
  if (t.disabledCategories > 0) off.push(`${t.disabledCategories} ${t.disabledCategories === 1 ? 'category' : 'categories'}`);
  if (t.disabledPackages > 0) off.push(`${t.disabledPackages} ${t.disabledPackages === 1 ? 'entry' : 'entries'} in categories`);
  lines.push('', `${t.categories} categories, ${t.packages} packages${off.length > 0 ? ` (commented out: ${off.join(', ')})` : ''}`);
  return lines.join('\n');
}

async function rootFrom(dir: string | undefined, cwd: string): Promise<string> {
  if (dir !== undefined) {
    const check = await checkPkgsrcRoot(resolve(cwd, dir));
    if (!check.ok) throw new UsageError(check.reason);
    return check.root;
  }
  const found = await findPkgsrcRoot([cwd]);
  if (found === undefined)
    throw new UsageError(`no pkgsrc tree (a directory with a top-level Makefile and mk/) at or above ${cwd}; name one with --pkgsrc DIR`);
  return found;
}

export interface TreeIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  /** Where caches go: $XDG_CACHE_HOME, else ~/.cache. */
  cacheHome: string;
}

/**
 * One index file per tree, named by a hash of its path (FNV-1a, 64 bits: loading node:crypto
 * would cost the command a sixth of its time).
 */
export function cacheFileFor(root: string, cacheHome: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(root)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return join(cacheHome, 'pkgsrc-bulk', `tree-${h.toString(16).padStart(16, '0')}.json`);
}

/** The command with its output streams and working directory passed in (for tests). */
export async function runTree(argv: string[], io: TreeIo): Promise<number> {
  const { values } = parseOptions(argv, options, usage);
  const root = await rootFrom(values.pkgsrc, io.cwd);
  const tree = new PkgsrcTree(root, values['no-cache'] ? {} : { cacheFile: cacheFileFor(root, io.cacheHome) });
  // The table needs no package's metadata: the overview takes unchanged packages' problems
  // from the on-disk index without unpacking them.
  let problems: TreeOverview['problems'];
  if (values.json) {
    const full = await tree.index();
    const files = await Promise.all(full.packages.map((p) => tree.packageFiles(p.path)));
    const out: TreeJson = { ...full, packages: full.packages.map((p, i) => ({ ...p, files: files[i]! })) };
    io.out(`${JSON.stringify(out, null, 1)}\n`);
    problems = full.problems;
  } else {
    const overview = await tree.overview();
    io.out(`${table(overview)}\n`);
    problems = overview.problems;
  }
  const cacheError = tree.saveCache();
  if (cacheError) io.err(`pkgsrc-bulk tree: warning: the package index could not be saved: ${cacheError.message}\n`);
  for (const p of problems) io.err(`${formatProblem(p)}\n`);
  return problems.some((p) => p.severity === 'error') ? EXIT.failed : EXIT.ok;
}

export const treeCommand: Command = {
  name: 'tree',
  summary: 'list the categories and packages of a pkgsrc tree (--json: the whole model)',
  usage,
  options,
  run: (argv) =>
    runTree(argv, {
      out: (t) => process.stdout.write(t),
      err: (t) => process.stderr.write(t),
      cwd: process.cwd(),
      cacheHome: process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
    }),
};
