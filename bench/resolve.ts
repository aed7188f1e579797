// `npm run bench -- resolve`: pbulk-resolve of the real full 2013Q1 pscan (12,111 records,
// 62 MB) with parseScan + resolveGlobal, each run in a fresh process so that peak memory is
// its own. The baseline, in the same run and the same way: read + gunzip + split the same file
// into lines. Also timed: the whole CLI (`node dist/engine.js resolve -v pscan.gz`, output to
// /dev/null), to set beside real pbulk-resolve's 1.29 s on a 2-core machine (an external
// figure from the project's anchor figures, not a same-run ratio; pbulk read the file
// uncompressed).
//   --runs=R (default 3)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Benchmark } from './run';
import { fmtMs, table } from './util';
import { fullPscanGzFile } from '../test/fixtures/reference-data';

const PSCAN = fullPscanGzFile();
const ENGINE = join(__dirname, '../dist/engine.js');
const ANCHOR_MS = 1290;

interface Sample {
  read: number;
  parse: number;
  resolve: number;
  total: number;
  /** CPU time of the whole measured run (user + system), ms. */
  cpu: number;
  records: number;
  outBytes: number;
  maxRssMB: number;
  heapMB: number;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function child(mode: 'baseline' | 'resolve'): Promise<Sample> {
  const { execa } = await import('execa');
  const r = await execa(process.execPath, ['--import', 'tsx', join(__dirname, 'lib/resolve-child.ts'), mode, PSCAN], { cwd: join(__dirname, '..') });
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

async function cliMs(): Promise<number> {
  const { execa } = await import('execa');
  const t0 = performance.now();
  await execa(process.execPath, [ENGINE, 'resolve', '-v', PSCAN], { stdout: { file: '/dev/null' }, stderr: 'ignore' });
  return performance.now() - t0;
}

const bench: Benchmark = {
  async run(args) {
    const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
    const base: Sample[] = [];
    const res: Sample[] = [];
    const cli: number[] = [];
    for (let i = 0; i < runs; i++) {
      base.push(await child('baseline'));
      res.push(await child('resolve'));
      if (existsSync(ENGINE)) cli.push(await cliMs());
    }
    const m = (xs: Sample[], k: keyof Sample): number => median(xs.map((x) => x[k]));
    const b = m(base, 'total');
    console.log(`${res[0]!.records} records resolved, ${(res[0]!.outBytes / 1e6).toFixed(1)} MB of presolve; median of ${runs} runs, each in a fresh process\n`);
    const bc = m(base, 'cpu');
    table(
      ['what', 'time', 'vs baseline', 'CPU', 'CPU vs baseline', 'peak RSS', 'heap at end'],
      [
        ['baseline: read + gunzip + split lines', fmtMs(b), '1.00', fmtMs(bc), '1.00', `${m(base, 'maxRssMB').toFixed(0)} MB`, `${m(base, 'heapMB').toFixed(0)} MB`],
        ['read + gunzip (in the resolve run)', fmtMs(m(res, 'read')), (m(res, 'read') / b).toFixed(2), '', '', '', ''],
        ['parseScan', fmtMs(m(res, 'parse')), (m(res, 'parse') / b).toFixed(2), '', '', '', ''],
        ['resolveGlobal (-v), text included', fmtMs(m(res, 'resolve')), (m(res, 'resolve') / b).toFixed(2), '', '', '', ''],
        ['read + parse + resolve', fmtMs(m(res, 'total')), (m(res, 'total') / b).toFixed(2), fmtMs(m(res, 'cpu')), (m(res, 'cpu') / bc).toFixed(2), `${m(res, 'maxRssMB').toFixed(0)} MB`, `${m(res, 'heapMB').toFixed(0)} MB`],
      ],
    );
    const load = (await import('node:os')).loadavg()[0]!;
    console.log(`\nLoad average when done: ${load.toFixed(1)} (a busy machine inflates wall times more than CPU times).`);
    if (cli.length > 0) {
      const c = median(cli);
      console.log(`\nWhole CLI, process start to exit, presolve to /dev/null: ${fmtMs(c)}.`);
      console.log(`External anchor (not this run): pbulk-resolve 0.51 took ${fmtMs(ANCHOR_MS)} on this pscan (uncompressed) on a 2-core machine: ${(c / ANCHOR_MS).toFixed(2)} x.`);
    } else {
      console.log('\ndist/engine.js is missing (run `node esbuild.mjs`): the whole-CLI time was not measured.');
    }
  },
};

export default bench;
