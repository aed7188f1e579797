// `npm run bench -- engine`: the build engine's figures, each against a baseline measured in
// the same run (see docs/benchmarks.md):
//  - scan: `make pbulk-index` over a generated tree with 1 and 2 workers (baseline: 1 worker),
//    and incremental rescans through the scan cache (baseline: the cold scan, target <= 1/50);
//  - resolve: the largest real pscan, with the resolve library (bench/lib/resolve-child.ts,
//    shared with bench/resolve.ts), time and peak memory (baseline: read + split the file);
//  - schedule: simulated makespan on the real full presolve with N slots and synthetic
//    durations (baseline: max(critical path, total work / N), target <= 1.05);
//  - overhead: what the engine adds per package beyond make's and pkg_*'s own time (baseline:
//    the same commands in a plain loop).
//   --packages=N (default 2000)  --seed=S (default 1)  --overhead=N (default 20)  --rounds=R (default 3)
//   --only=scan,resolve,schedule,overhead
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './run';
import { fmtMs, table } from './util';
import { scanBench } from './lib/engine-scan';
import { loadPresolve, scheduleBench, VARIANTS } from './lib/engine-schedule';
import { overheadBench } from './lib/engine-overhead';
import { fullPresolveText } from './lib/full-presolve';
import { fullPscanGzFile } from '../test/fixtures/reference-data';

function arg(args: string[], name: string, def: string): string {
  return args.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
}

async function resolveChild(mode: 'baseline' | 'resolve'): Promise<{ total: number; cpu: number; maxRssMB: number; records: number }> {
  const { execa } = await import('execa');
  const r = await execa(process.execPath, ['--import', 'tsx', join(__dirname, 'lib/resolve-child.ts'), mode, fullPscanGzFile()], {
    cwd: join(__dirname, '..'),
  });
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { total: number; cpu: number; maxRssMB: number; records: number };
}

const bench: Benchmark = {
  async run(args) {
    const packages = Number(arg(args, 'packages', '2000'));
    const seed = Number(arg(args, 'seed', '1'));
    const only = arg(args, 'only', 'scan,resolve,schedule,overhead').split(',');

    if (only.includes('scan')) {
      const s = await scanBench(packages, seed);
      console.log(
        `### scan: ${s.locations} locations -> ${s.records} records${s.failed ? `, ${s.failed} failed` : ''} (load average ${loadavg()[0]!.toFixed(1)})\n`,
      );
      const row = (label: string, t: { ms: number; cpu: number }, vs: string) => [label, fmtMs(t.ms), fmtMs(t.ms / s.locations), fmtMs(t.cpu), vs];
      table(
        ['run', 'time', 'per location', 'CPU of make', 'vs baseline'],
        [
          row('cold, 1 worker (baseline)', s.cold1, '1.00'),
          row('cold, 2 workers', s.cold2, (s.cold2.ms / s.cold1.ms).toFixed(2)),
          row('incremental, nothing changed', s.warm2, `1/${Math.round(s.cold2.ms / s.warm2.ms)} of cold (2 workers)`),
          row(`incremental, ${s.edited} Makefiles edited`, s.edited2, `1/${Math.round(s.cold2.ms / s.edited2.ms)} of cold (2 workers)`),
        ],
      );
      console.log();
    }

    if (only.includes('resolve')) {
      {
        const b = await resolveChild('baseline');
        const r = await resolveChild('resolve');
        console.log(`### resolve: real full pscan, ${r.records} records\n`);
        table(
          ['run', 'time', 'CPU', 'peak RSS', 'vs baseline'],
          [
            ['baseline: read + gunzip + split lines', fmtMs(b.total), fmtMs(b.cpu), `${Math.round(b.maxRssMB)} MB`, '1.00'],
            ['read + parse + resolveGlobal', fmtMs(r.total), fmtMs(r.cpu), `${Math.round(r.maxRssMB)} MB`, (r.total / b.total).toFixed(2)],
          ],
        );
        console.log();
      }
    }

    if (only.includes('schedule')) {
      {
        const records = loadPresolve(fullPresolveText());
        const rows = scheduleBench(records, [2, 4, 8, 16, 64], VARIANTS, seed);
        console.log(`### schedule: real presolve, ${records.length} packages, synthetic log-normal durations (seed ${seed})\n`);
        table(
          ['slots', 'priority', 'makespan', 'lower bound', 'ratio (target <= 1.05)'],
          rows.map((r) => [r.slots, r.variant, Math.round(r.makespan), Math.round(r.bound), r.ratio.toFixed(3)]),
        );
        console.log();
      }
    }

    if (only.includes('overhead')) {
      const n = Number(arg(args, 'overhead', '20'));
      const rounds = Number(arg(args, 'rounds', '3'));
      const o = await overheadBench(n, rounds);
      console.log(
        `### overhead: ${o.packages} packages built one at a time (median of ${rounds} alternating rounds, load average ${loadavg()[0]!.toFixed(1)})\n`,
      );
      table(
        ['run', 'time', 'per package', 'vs baseline'],
        [
          ['baseline: the same commands in a plain loop', fmtMs(o.direct), fmtMs(o.direct / o.packages), '1.00'],
          ['engine (build stage)', fmtMs(o.engine), fmtMs(o.engine / o.packages), (o.engine / o.direct).toFixed(2)],
        ],
      );
      console.log(
        `\nWall-clock difference per package: ${fmtMs((o.engine - o.direct) / o.packages)} (within the noise of a shared machine when small); ` +
          `CPU of the engine process itself (not make and the tools): ${fmtMs(o.engineCpu / o.packages)} per package.\n`,
      );
    }
  },
};

export default bench;
