// `npm run bench -- tree`: a full index of a generated 11,009-package tree (every category and
// every package's metadata) against `grep -h '^COMMENT' */*/Makefile` over the same files, in
// the same run. The model and its index worker are bundled with esbuild first, as the extension
// and the engine ship them. Cold runs are fresh Node processes indexing once, timed inside
// (Node's start-up is not counted):
//   - the Node floor: a bare loop that lists the categories and reads every */*/Makefile
//     whole with readFileSync and tests one regular expression, i.e. what any Node code pays
//     for the same files before it builds anything;
//   - first index with the default options (on 2 cores: the main thread alone), and with one
//     worker thread forced: every Makefile read and parsed;
//   - on-disk index present, checked before answering (the default): every Makefile stat'ed;
//   - on-disk index present, checked afterwards (checkDiskIndex: 'after'): answered from the
//     file, the stats done after the answer; both times are printed, answer and checked.
// "Warm" is a new PkgsrcTree without on-disk index and without workers in a process that has
// indexed before (JIT warm). The page cache is warm for all and for grep: dropping it needs
// privileges a benchmark should not use. CPU times (user+system, all threads) are printed
// beside wall times, since they suffer less from other load on a shared machine.
//   --packages=N (default 11009, the 2013 tree's)  --seed=S (default 1)  --runs=R (default 5)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import type { Benchmark } from './run';
import { fmtMs, median, table } from './util';
import { generateTree } from '../test/fixtures/generate';
import type * as TreeModule from '../src/pkgsrc/tree';

function arg(args: string[], name: string, def: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : def;
}

interface Sample {
  ms: number;
  /** user + system CPU ms */
  cpu: number;
}

/** The generated tree, kept between runs under /var/tmp, keyed by the generator's sources. */
export function benchTree(n: number, seed: number): string {
  const h = createHash('sha256');
  for (const f of readdirSync(join(__dirname, '../test/fixtures'))
    .filter((x) => x === 'generate.ts' || x.startsWith('tree-'))
    .sort()) {
    h.update(readFileSync(join(__dirname, '../test/fixtures', f)));
  }
  const dir = `/var/tmp/pkgsrc-bulk-bench-tree-${n}-${seed}-${h.digest('hex').slice(0, 12)}`;
  if (!existsSync(join(dir, 'Makefile'))) {
    const t0 = performance.now();
    const tmp = `${dir}.partial-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    generateTree(tmp, { packages: n, seed });
    renameSync(tmp, dir);
    console.log(`generated ${n} packages in ${dir} (${fmtMs(performance.now() - t0)})`);
  }
  return dir;
}

/** What the shell makes of `*\/*\/Makefile` in the tree root, relative and sorted. */
function globMakefiles(root: string): string[] {
  const out: string[] = [];
  for (const a of readdirSync(root).sort()) {
    if (a.startsWith('.')) continue;
    let subs: string[];
    try {
      subs = readdirSync(join(root, a)).sort();
    } catch {
      continue;
    }
    for (const b of subs) if (!b.startsWith('.') && existsSync(join(root, a, b, 'Makefile'))) out.push(`${a}/${b}/Makefile`);
  }
  return out;
}

const bundle = (entry: string, outfile: string) =>
  build({
    entryPoints: [join(__dirname, '../src/pkgsrc/tree', entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });

/** The model and its worker side by side, as in dist/, and the script of one cold run. */
async function bundleModel(dir: string): Promise<string> {
  const out = join(dir, 'tree-model.js');
  await Promise.all([bundle('index.ts', out), bundle('worker.ts', join(dir, 'tree-worker.js'))]);
  writeFileSync(join(dir, 'floor.js'), FLOOR);
  writeFileSync(
    join(dir, 'cold.js'),
    `const { PkgsrcTree } = require(${JSON.stringify(out)});
const [root, cacheFile, mode] = process.argv.slice(2);
const t0 = performance.now();
const c0 = process.cpuUsage();
const cpu = () => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
const tree = new PkgsrcTree(root, {
  ...(cacheFile ? { cacheFile } : {}),
  ...(mode === 'worker' ? { workers: { count: 1 } } : {}),
  ...(mode === 'after' ? { checkDiskIndex: 'after' } : {}),
});
tree.index().then(async (idx) => {
  const answer = { ms: performance.now() - t0, cpu: cpu() };
  await tree.checked();
  const checked = { ms: performance.now() - t0, cpu: cpu() };
  process.stdout.write(JSON.stringify({ ...answer, checked, packages: idx.totals.packages, parallel: tree.lastParallel }));
});
`,
  );
  return out;
}

/**
 * The least a Node process can do for the same answer: list the categories, read each
 * `*\/*\/Makefile` whole as Latin-1 and test one regular expression on it, synchronously.
 * Timed inside a fresh process like the cold runs, so the gap between grep and this row is
 * the runtime's and the gap between this row and the model's rows is the model's.
 */
const FLOOR = `const { readdirSync, readFileSync } = require('node:fs');
const root = process.argv[2];
const t0 = performance.now();
const c0 = process.cpuUsage();
const re = /^COMMENT/m;
let files = 0;
let hits = 0;
for (const a of readdirSync(root)) {
  if (a.startsWith('.')) continue;
  let subs;
  try { subs = readdirSync(root + '/' + a); } catch { continue; }
  for (const b of subs) {
    if (b.startsWith('.')) continue;
    let text;
    try { text = readFileSync(root + '/' + a + '/' + b + '/Makefile', 'latin1'); } catch { continue; }
    files++;
    if (re.test(text)) hits++;
  }
}
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, files, hits }));
`;

const bench: Benchmark = {
  async run(args) {
    const n = arg(args, 'packages', 11009);
    const seed = arg(args, 'seed', 1);
    const runs = arg(args, 'runs', 5);
    const { execa } = await import('execa');
    const root = benchTree(n, seed);
    const work = join(tmpdir(), `pkgsrc-bulk-bench-tree-${process.pid}`);
    mkdirSync(work, { recursive: true });
    try {
      const modelFile = await bundleModel(work);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const model = require(modelFile) as typeof TreeModule;
      const files = globMakefiles(root);
      const size = files.reduce((a, f) => a + statSync(join(root, f)).size, 0);

      const ticks = Number((await execa('getconf', ['CLK_TCK'])).stdout) || 100;
      /** CPU ms of waited-for children so far (cutime + cstime of /proc/self/stat). */
      const childCpu = () => {
        const f = readFileSync('/proc/self/stat', 'utf8')
          .slice(readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2)
          .split(' ');
        return ((Number(f[13]) + Number(f[14])) * 1000) / ticks;
      };
      const grepOnce = async (): Promise<Sample> => {
        const c0 = childCpu();
        const t0 = performance.now();
        const r = await execa('grep', ['-h', '^COMMENT', ...files], { cwd: root, reject: false, encoding: 'buffer' });
        if (r.exitCode !== 0) throw new Error(`grep failed: ${String(r.stderr)}`);
        return { ms: performance.now() - t0, cpu: childCpu() - c0 };
      };
      const cacheFile = join(work, 'index.json');
      interface Cold extends Sample {
        checked: Sample;
        packages: number;
        parallel?: { workers: number; chunks: number; byWorkers: number };
      }
      const coldOnce = async (mode: 'default' | 'worker' | 'before' | 'after'): Promise<Cold> => {
        const withCache = mode === 'before' || mode === 'after';
        if (!withCache) rmSync(cacheFile, { force: true });
        const r = await execa(process.execPath, [join(work, 'cold.js'), root, cacheFile, mode]);
        const o = JSON.parse(r.stdout) as Cold;
        if (o.packages !== n) throw new Error(`cold index found ${o.packages} packages, expected ${n}`);
        if (!existsSync(cacheFile)) throw new Error('the cold run saved no on-disk index');
        return o;
      };
      const floorOnce = async (): Promise<Sample> => {
        const r = await execa(process.execPath, [join(work, 'floor.js'), root]);
        const o = JSON.parse(r.stdout) as Sample & { files: number };
        if (o.files !== files.length) throw new Error(`the Node floor read ${o.files} Makefiles, expected ${files.length}`);
        return o;
      };
      const warmOnce = async (): Promise<Sample> => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const idx = await new model.PkgsrcTree(root, { workers: false }).index();
        if (idx.totals.packages !== n) throw new Error(`index found ${idx.totals.packages} packages, expected ${n}`);
        const c = process.cpuUsage(c0);
        return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
      };

      // Interleaved, so a burst of load on a shared machine hits every column alike.
      await grepOnce();
      await warmOnce();
      const grep: Sample[] = [];
      const floor: Sample[] = [];
      const first: Cold[] = [];
      const worker: Cold[] = [];
      const before: Cold[] = [];
      const after: Cold[] = [];
      const warm: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        grep.push(await grepOnce());
        floor.push(await floorOnce());
        first.push(await coldOnce('default'));
        before.push(await coldOnce('before'));
        after.push(await coldOnce('after'));
        worker.push(await coldOnce('worker'));
        warm.push(await warmOnce());
      }
      const tree = new model.PkgsrcTree(root, { workers: false });
      await tree.index();
      const cachedT0 = performance.now();
      await tree.index();
      const cached = performance.now() - cachedT0;
      const paintT0 = performance.now();
      const fresh = new model.PkgsrcTree(root, { workers: false });
      const cats = await fresh.categories();
      await Promise.all(cats.map((c) => fresh.category(c.name)));
      const paint = performance.now() - paintT0;

      const g = median(grep.map((x) => x.ms));
      const gc = median(grep.map((x) => x.cpu));
      const row = (what: string, xs: Sample[]) => {
        const ms = median(xs.map((x) => x.ms));
        const cpu = median(xs.map((x) => x.cpu));
        return [what, fmtMs(ms), `${(ms / g).toFixed(2)}x`, fmtMs(cpu), `${(cpu / gc).toFixed(2)}x`];
      };
      const load = loadavg()[0]!.toFixed(1);
      console.log(`${n} packages, ${files.length} Makefiles (${(size / 1e6).toFixed(1)} MB), median of ${runs} interleaved runs, load average ${load}\n`);
      table(
        ['what', 'wall', 'vs grep', 'CPU', 'vs grep'],
        [
          row("grep -h '^COMMENT' */*/Makefile (baseline)", grep),
          row('cold: Node floor (readdirSync, readFileSync latin1 of each Makefile, one regex)', floor),
          row(`cold: first index (default: ${first[0]?.parallel ? `main thread + ${first[0].parallel.workers} worker(s)` : 'main thread alone'})`, first),
          row('cold: first index, main thread + 1 worker thread', worker),
          row('cold: on-disk index, checked before answering (default)', before),
          row("cold: on-disk index, answer before the check ('after')", after),
          row(
            "cold: on-disk index, 'after', until checked",
            after.map((x) => x.checked),
          ),
          row('warm: new model, warm JIT, no on-disk index, no worker', warm),
          ['index() again on a loaded model', fmtMs(cached), `${(cached / g).toFixed(3)}x`, '', ''],
          ['first paint: categories with COMMENT and counts', fmtMs(paint), `${(paint / g).toFixed(2)}x`, '', ''],
        ],
      );
      const shares = worker.map((x) => (x.parallel ? `${x.parallel.byWorkers}/${x.parallel.chunks}` : 'none'));
      console.log(`\nchunks read by the worker in the first index with one, run by run: ${shares.join(', ')}`);
      const f = median(floor.map((x) => x.ms));
      console.log(`the Node floor is ${(f / g).toFixed(2)}x grep: the part of any gap that is the runtime's`);
      for (const [what, xs] of [
        ['first index (default)', first],
        ['on-disk index, checked before answering', before],
      ] as const) {
        const ms = median(xs.map((x) => x.ms));
        console.log(
          `target: cold ${what} <= 2x grep: ${ms / g <= 2 ? 'met' : 'NOT met'} (${(ms / g).toFixed(2)}x grep, ${(ms / f).toFixed(2)}x the Node floor)`,
        );
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default bench;
