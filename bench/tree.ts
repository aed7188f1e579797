// `npm run bench -- tree`: a full index of a generated 11,000-package tree (every category and
// every package's metadata) against `grep -h '^COMMENT' */*/Makefile` over the same files, in
// the same run. The model is bundled with esbuild first, as the extension and the engine ship
// it. Cold runs are fresh Node processes indexing once, timed inside (Node's start-up is not
// counted), in two kinds: the first index ever (every Makefile read and parsed) and a fresh
// process that finds the on-disk index a previous one saved (every Makefile stat'ed). "Warm"
// is a new PkgsrcTree without on-disk index in a process that has indexed before (JIT warm).
// The page cache is warm for all and for grep: dropping it needs privileges a benchmark should
// not use. CPU times (user+system) are printed beside wall times, since they suffer less from
// other load on a shared machine.
//   --packages=N (default 11000)  --seed=S (default 1)  --runs=R (default 5)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import type { Benchmark } from './run';
import { fmtMs, table } from './util';
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

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The generated tree, kept between runs under /var/tmp, keyed by the generator's sources. */
function benchTree(n: number, seed: number): string {
  const h = createHash('sha256');
  for (const f of readdirSync(join(__dirname, '../test/fixtures')).filter((x) => x === 'generate.ts' || x.startsWith('tree-')).sort()) {
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

async function bundleModel(dir: string): Promise<string> {
  const out = join(dir, 'tree-model.js');
  await build({ entryPoints: [join(__dirname, '../src/pkgsrc/tree/index.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning' });
  writeFileSync(
    join(dir, 'cold.js'),
    `const { PkgsrcTree } = require(${JSON.stringify(out)});
const cacheFile = process.argv[3];
const t0 = performance.now();
const c0 = process.cpuUsage();
const tree = new PkgsrcTree(process.argv[2], cacheFile ? { cacheFile } : {});
tree.index().then((idx) => {
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ ms, cpu: (c.user + c.system) / 1000, packages: idx.totals.packages }));
});
`,
  );
  return out;
}

const bench: Benchmark = {
  async run(args) {
    const n = arg(args, 'packages', 11000);
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
        const f = readFileSync('/proc/self/stat', 'utf8').slice(readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2).split(' ');
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
      const coldOnce = async (withCache: boolean): Promise<Sample> => {
        if (!withCache) rmSync(cacheFile, { force: true });
        const r = await execa(process.execPath, [join(work, 'cold.js'), root, cacheFile]);
        const o = JSON.parse(r.stdout) as Sample & { packages: number };
        if (o.packages !== n) throw new Error(`cold index found ${o.packages} packages, expected ${n}`);
        if (!existsSync(cacheFile)) throw new Error('the cold run saved no on-disk index');
        return o;
      };
      const warmOnce = async (): Promise<Sample> => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const idx = await new model.PkgsrcTree(root).index();
        if (idx.totals.packages !== n) throw new Error(`index found ${idx.totals.packages} packages, expected ${n}`);
        const c = process.cpuUsage(c0);
        return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
      };

      // Interleaved, so a burst of load on a shared machine hits every column alike.
      await grepOnce();
      await warmOnce();
      const grep: Sample[] = [];
      const first: Sample[] = [];
      const cold: Sample[] = [];
      const warm: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        grep.push(await grepOnce());
        first.push(await coldOnce(false));
        cold.push(await coldOnce(true));
        warm.push(await warmOnce());
      }
      const tree = new model.PkgsrcTree(root);
      await tree.index();
      const cachedT0 = performance.now();
      await tree.index();
      const cached = performance.now() - cachedT0;
      const paintT0 = performance.now();
      const fresh = new model.PkgsrcTree(root);
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
      console.log(`${n} packages, ${files.length} Makefiles (${(size / 1e6).toFixed(1)} MB), median of ${runs} interleaved runs, load average ${loadavg()[0]!.toFixed(1)}\n`);
      table(
        ['what', 'wall', 'vs grep', 'CPU', 'vs grep'],
        [
          row("grep -h '^COMMENT' */*/Makefile (baseline)", grep),
          row('cold: fresh process, on-disk index present', cold),
          row('cold: first index (fresh process, no on-disk index)', first),
          row('warm: new model, warm JIT, no on-disk index', warm),
          ['index() again on a loaded model', fmtMs(cached), `${(cached / g).toFixed(3)}x`, '', ''],
          ['first paint: categories with COMMENT and counts', fmtMs(paint), `${(paint / g).toFixed(2)}x`, '', ''],
        ],
      );
      const ratio = median(cold.map((x) => x.ms)) / g;
      console.log(`\ntarget: cold (fresh process) <= 2x grep: ${ratio <= 2 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default bench;
