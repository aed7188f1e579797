// `npm run bench -- cli`: whole `pkgsrc-bulk` processes (dist/engine.js, as built by
// esbuild.mjs), timed from outside as a shell would: wall time and CPU time (user + system,
// all threads), against baselines run in the same rounds:
//   - start: `--version` and `--help` against `node -e 0`;
//   - tree: `pkgsrc-bulk tree` on a generated tree of the real 2013 size (11,009 packages:
//     test/fixtures/generate.ts; its figures are printed) against `grep -h '^COMMENT'
//     */*/Makefile` run by sh in the tree, as one types it: with the on-disk index of the
//     previous run (the default), with one package Makefile changed before each run, and
//     without the index (--no-cache).
//   --runs=R (default 7)  --batch=B runs per sample (default 3)  --packages=N (default 11009)
//   --tree=DIR  measure a pkgsrc tree of your own (e.g. a real checkout) instead
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './run';
import { benchTree } from './tree';
import { table } from './util';
import { ratioRows, timeProcesses } from './lib/whole-process';

const ENGINE = join(__dirname, '../dist/engine.js');

function opt(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** `*\/*\/Makefile` of a tree, and its size in files, bytes, lines and .include lines. */
function figures(root: string): { makefiles: string[]; bytes: number; lines: number; includes: number } {
  const makefiles: string[] = [];
  for (const a of readdirSync(root)) {
    if (a.startsWith('.')) continue;
    let subs: string[];
    try {
      subs = readdirSync(join(root, a));
    } catch {
      continue;
    }
    for (const b of subs) {
      const f = join(root, a, b, 'Makefile');
      try {
        if (statSync(f).isFile()) makefiles.push(f);
      } catch {
        // no Makefile here
      }
    }
  }
  let bytes = 0;
  let lines = 0;
  let includes = 0;
  for (const f of makefiles) {
    const t = readFileSync(f, 'latin1');
    bytes += t.length;
    for (const l of t.split('\n')) if (l.startsWith('.include')) includes++;
    lines += t.split('\n').length - 1;
  }
  return { makefiles, bytes, lines, includes };
}

const bench: Benchmark = {
  async run(args) {
    const runs = Number(opt(args, 'runs') ?? 7);
    const batch = Number(opt(args, 'batch') ?? 3);
    const node = process.execPath;
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-bench-cli-')) };
    try {
      console.log('### start\n');
      table(
        ['what', 'wall', 'vs node -e 0', 'CPU', 'vs node -e 0'],
        ratioRows(
          await timeProcesses(
            [
              { label: 'baseline: `node -e 0`', file: node, args: ['-e', '0'] },
              { label: '`pkgsrc-bulk --version`', file: node, args: [ENGINE, '--version'] },
              { label: '`pkgsrc-bulk --help`', file: node, args: [ENGINE, '--help'] },
              { label: '`pkgsrc-bulk tree --help` (loads the tree command)', file: node, args: [ENGINE, 'tree', '--help'] },
            ],
            runs,
            batch * 2,
          ),
        ),
      );

      const root = opt(args, 'tree') ?? benchTree(Number(opt(args, 'packages') ?? 11009), 1);
      const f = figures(root);
      // One package Makefile changed before each run: the index must notice and read it again.
      const edited = f.makefiles[Math.floor(f.makefiles.length / 2)]!;
      const original = readFileSync(edited);
      let edits = 0;
      const edit = () => appendFileSync(edited, `# edit ${++edits}\n`);
      console.log(
        `\n### tree\n\n${root}: ${f.makefiles.length} */*/Makefile, ${(f.bytes / 1e6).toFixed(1)} MB, ${f.lines} lines, ${f.includes} .include lines\n`,
      );
      try {
        const t = await timeProcesses(
          [
            { label: "baseline: `grep -h '^COMMENT' */*/Makefile`", file: '/bin/sh', args: ['-c', "exec grep -h '^COMMENT' */*/Makefile"], cwd: root },
            { label: '`pkgsrc-bulk tree`, on-disk index of the previous run (default)', file: node, args: [ENGINE, 'tree', '--pkgsrc', root], env },
            { label: '`pkgsrc-bulk tree`, one package Makefile changed', file: node, args: [ENGINE, 'tree', '--pkgsrc', root], env, before: edit },
            { label: '`pkgsrc-bulk tree --no-cache` (every Makefile read)', file: node, args: [ENGINE, 'tree', '--pkgsrc', root, '--no-cache'], env },
          ],
          runs,
          batch,
        );
        table(['what', 'wall', 'vs grep', 'CPU', 'vs grep'], ratioRows(t));
        const r = t[1]!.cpu / t[0]!.cpu;
        console.log(
          `\ntarget: the whole \`tree\` process within 2x grep's CPU: ${r <= 2 ? 'met' : 'NOT met'} (${r.toFixed(2)}x), load average ${loadavg()[0]!.toFixed(1)}`,
        );
      } finally {
        // Put the tree back as it was (the generated one is kept for later runs).
        writeFileSync(edited, original);
      }
    } finally {
      rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
    }
  },
};

export default bench;
