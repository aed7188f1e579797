// `npm run bench -- resolve`: pbulk-resolve of the real full 2013Q1 pscan (12,111 records,
// 62 MB) with parseScan + resolveGlobal, each run in a fresh process so that peak memory is
// its own. The baseline, in the same run and the same way: read + gunzip + split the same file
// into lines.
// Then whole processes, as a shell runs them (presolve to /dev/null), in the same rounds: the
// CLI (`node dist/engine.js resolve pscan`) on the uncompressed pscan, as pbulk reads it, and on
// pscan.gz; real pbulk-resolve when --pbulk-resolve=PATH names one (built from pbulk's sources
// outside this repository: nothing of it is kept here); and floors any reader pays: `cat pscan`
// and `gzip -dc pscan.gz`. Without pbulk-resolve the CLI is set beside its anchor figure
// (../shared/docs/anchor-figures.md: 1.29 s idle, 1.79-2.19 s on a later machine), which is not
// a same-run ratio.
//   --runs=R (default 3)  --pbulk-resolve=PATH
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Benchmark } from './run';
import { fmtMs, median, table } from './util';
import { ratioRows, timeProcesses, type ProcessSpec } from './lib/whole-process';
import { fullPscanGzFile } from '../test/fixtures/reference-data';

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

async function child(mode: 'baseline' | 'resolve', PSCAN: string): Promise<Sample> {
  const { execa } = await import('execa');
  const r = await execa(process.execPath, ['--import', 'tsx', join(__dirname, 'lib/resolve-child.ts'), mode, PSCAN], { cwd: join(__dirname, '..') });
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

/** The CLI, pbulk-resolve and the floors as whole processes, interleaved. */
async function wholeProcesses(runs: number, pbulkResolve: string | undefined, PSCAN: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-bench-resolve-'));
  try {
    const plain = join(dir, 'pscan');
    writeFileSync(plain, gunzipSync(readFileSync(PSCAN)));
    const specs: ProcessSpec[] = [];
    if (pbulkResolve) specs.push({ label: `baseline: pbulk-resolve pscan (${pbulkResolve})`, file: pbulkResolve, args: [plain] });
    specs.push(
      { label: '`pkgsrc-bulk resolve pscan`', file: process.execPath, args: [ENGINE, 'resolve', plain] },
      { label: '`pkgsrc-bulk resolve -v pscan`', file: process.execPath, args: [ENGINE, 'resolve', '-v', plain] },
      { label: '`pkgsrc-bulk resolve pscan.gz`', file: process.execPath, args: [ENGINE, 'resolve', PSCAN] },
      { label: 'floor: `cat pscan`', file: 'cat', args: [plain] },
      { label: 'floor: `gzip -dc pscan.gz`', file: 'gzip', args: ['-dc', PSCAN] },
    );
    const t = await timeProcesses(specs, runs, 1);
    console.log(
      `\nWhole processes, presolve to /dev/null, median of ${runs} interleaved runs${pbulkResolve ? '' : ' (no --pbulk-resolve: ratios against the CLI itself)'}:\n`,
    );
    table(['what', 'wall', 'vs first row', 'CPU', 'vs first row'], ratioRows(t));
    const cli = t[pbulkResolve ? 1 : 0]!;
    if (pbulkResolve) {
      const p = t[0]!;
      console.log(
        `\ntarget: faster than pbulk-resolve as a whole process: ${cli.wall < p.wall && cli.cpu < p.cpu ? 'met' : 'NOT met'} (wall ${(cli.wall / p.wall).toFixed(2)}x, CPU ${(cli.cpu / p.cpu).toFixed(2)}x)`,
      );
    } else {
      console.log(
        `\nExternal anchor (not this run): pbulk-resolve took ${fmtMs(ANCHOR_MS)} on this pscan on an idle 2-core machine: ${(cli.wall / ANCHOR_MS).toFixed(2)}x.`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  async run(args) {
    const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
    const PSCAN = fullPscanGzFile();
    const base: Sample[] = [];
    const res: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      base.push(await child('baseline', PSCAN));
      res.push(await child('resolve', PSCAN));
    }
    const m = (xs: Sample[], k: keyof Sample): number => median(xs.map((x) => x[k]));
    const b = m(base, 'total');
    console.log(
      `${res[0]!.records} records resolved, ${(res[0]!.outBytes / 1e6).toFixed(1)} MB of presolve; median of ${runs} runs, each in a fresh process\n`,
    );
    const bc = m(base, 'cpu');
    table(
      ['what', 'time', 'vs baseline', 'CPU', 'CPU vs baseline', 'peak RSS', 'heap at end'],
      [
        [
          'baseline: read + gunzip + split lines',
          fmtMs(b),
          '1.00',
          fmtMs(bc),
          '1.00',
          `${m(base, 'maxRssMB').toFixed(0)} MB`,
          `${m(base, 'heapMB').toFixed(0)} MB`,
        ],
        ['read + gunzip (in the resolve run)', fmtMs(m(res, 'read')), (m(res, 'read') / b).toFixed(2), '', '', '', ''],
        ['parseScan', fmtMs(m(res, 'parse')), (m(res, 'parse') / b).toFixed(2), '', '', '', ''],
        ['resolveGlobal (-v), text included', fmtMs(m(res, 'resolve')), (m(res, 'resolve') / b).toFixed(2), '', '', '', ''],
        [
          'read + parse + resolve',
          fmtMs(m(res, 'total')),
          (m(res, 'total') / b).toFixed(2),
          fmtMs(m(res, 'cpu')),
          (m(res, 'cpu') / bc).toFixed(2),
          `${m(res, 'maxRssMB').toFixed(0)} MB`,
          `${m(res, 'heapMB').toFixed(0)} MB`,
        ],
      ],
    );
    const load = (await import('node:os')).loadavg()[0]!;
    console.log(`\nLoad average when done: ${load.toFixed(1)} (a busy machine inflates wall times more than CPU times).`);
    if (!existsSync(ENGINE)) {
      console.log('\ndist/engine.js is missing (run `node esbuild.mjs`): whole processes were not measured.');
      return;
    }
    await wholeProcesses(runs, args.find((a) => a.startsWith('--pbulk-resolve='))?.slice(16), PSCAN);
  },
};

export default bench;
