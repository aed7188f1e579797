// `npm run bench -- history`: the run history on two full-tree runs (the real 2013Q1 presolve,
// 12,111 packages, built in simulated time by the engine's Scheduler, a few hundred failures
// each; bench/lib/history-fixture.ts):
//  - the diff of the two runs as `pkgsrc-bulk diff` computes it (target: under a second), in
//    process and as a whole process (dist/engine.js);
//  - filing a run away: the part a fresh build waits for (moving the bulklog into the store)
//    and the part done in the background while it scans (compressing);
//  - a bulklog without the engine's summary (real pbulk's): the summary read from the bulklog.
// Baseline, same run: reading the presolve and splitting it into lines.
//   --runs=R (default 3)
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseRecords, recordForStates } from '../src/pkgsrc/bulklog/records';
import { CURRENT_SUMMARY, summarizeBulklog } from '../src/pkgsrc/history/current';
import { diffRuns } from '../src/pkgsrc/history/diff';
import { listRuns, readRunSummary } from '../src/pkgsrc/history/store';
import { splitLines } from '../src/pkgsrc/text';
import { RunFiler } from '../src/engine/history/filer';
import { knownRuns } from '../src/pkgsrc/history/runs';
import { workspaceConfig, workspaceIn, writePbulkConf, type Workspace } from '../test/engine/harness';
import { plans, writeRun } from './lib/history-fixture';
import type { Benchmark } from './run';
import { childCpuMs } from './lib/child-cpu';
import { fmtMs, table } from './util';
import { fullPresolveText } from './lib/full-presolve';
import { fullPscan } from '../test/fixtures/reference-data';

/** The engine's view of a bench directory: bulklog, tree and the rest under `dir`, as the engine tests lay them out. */
function workspace(dir: string): Workspace {
  return { ...workspaceIn(dir), remove: () => undefined };
}

interface Cost {
  wall: number;
  /** CPU of this process (all its threads, zlib's included) and of its finished children. */
  cpu: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000 + childCpuMs();
};

async function timed(fn: () => Promise<unknown>): Promise<Cost> {
  const c0 = cpuNow();
  const t0 = performance.now();
  await fn();
  return { wall: performance.now() - t0, cpu: cpuNow() - c0 };
}

/** Median wall and CPU time of `runs` calls after a warm-up call. */
async function measure(fn: () => Promise<unknown>, runs: number, warm = true): Promise<Cost> {
  if (warm) await fn();
  const all: Cost[] = [];
  for (let i = 0; i < runs; i++) all.push(await timed(fn));
  return median(all);
}

function median(all: Cost[]): Cost {
  const m = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
  return { wall: m(all.map((c) => c.wall)), cpu: m(all.map((c) => c.cpu)) };
}

const bench: Benchmark = {
  async run(args) {
    const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
    const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-bench-history-'));
    try {
      const presolve = Buffer.from(fullPresolveText(), 'latin1');
      const pscan = fullPscan();
      const records = parseRecords(presolve.toString('latin1'), 'presolve').records.map(recordForStates);
      const [planA, planB] = plans(records.length);
      const ws = workspace(dir);
      const cfg = workspaceConfig(ws);
      const tplA = join(dir, 'run-a');
      const tplB = join(dir, 'run-b');
      const a = await writeRun(tplA, pscan, presolve, records, planA);
      const b = await writeRun(tplB, pscan, presolve, records, planB);
      console.log(`two runs of ${records.length} packages: ${a.failed} and ${b.failed} failed, ${a.done} and ${b.done} built; median of ${runs} runs\n`);

      const base = await measure(async () => splitLines(await readFile(join(tplA, 'meta/presolve'), 'utf8')).length, runs);

      // Filing: run A is in the bulklog, a fresh run starts. Each round on a new copy.
      const filer = new RunFiler(cfg);
      const stage: Cost[] = [];
      const complete: Cost[] = [];
      for (let k = 0; k <= runs; k++) {
        await rm(cfg.bulklog, { recursive: true, force: true });
        await rm(filer.store, { recursive: true, force: true });
        await cp(tplA, cfg.bulklog, { recursive: true });
        const ts = await timed(() => filer.stage());
        const tc = await timed(() => filer.complete());
        if (k > 0) {
          stage.push(ts);
          complete.push(tc);
        }
      }
      const entryBytes = (await listRuns(filer.store)).runs[0]?.bytes ?? 0;

      // Run B is now the bulklog's: the diff of the stored run A with it.
      await rm(cfg.bulklog, { recursive: true, force: true });
      await cp(tplB, cfg.bulklog, { recursive: true });
      const diffOnce = async () => {
        const known = await knownRuns(filer.store, cfg.bulklog);
        const [x, y] = await Promise.all(known.runs.map((r) => r.summary()));
        return diffRuns(x!, y!);
      };
      const d = await diffOnce();
      const diffMs = await measure(diffOnce, runs);
      const stored = (await listRuns(filer.store)).runs[0]!;
      const readMs = await measure(() => readRunSummary(stored), runs);
      const [sa, sb] = await Promise.all([readRunSummary(stored), summarizeBulklog(cfg.bulklog)]);
      const diffOnly = await measure(async () => diffRuns(sa, sb!), runs);

      // A bulklog without the engine's summary (real pbulk's, or a stopped run).
      await rm(join(cfg.bulklog, 'meta', CURRENT_SUMMARY));
      const fromBulklog = await measure(() => summarizeBulklog(cfg.bulklog), runs, false);
      await cp(join(tplB, 'meta', CURRENT_SUMMARY), join(cfg.bulklog, 'meta', CURRENT_SUMMARY));

      // The whole `pkgsrc-bulk diff` process, from dist/engine.js (npm run bench builds it).
      let processMs: Cost | undefined;
      let startMs: Cost | undefined;
      const engine = join(__dirname, '../dist/engine.js');
      if (existsSync(engine)) {
        await mkdir(ws.pkgsrc, { recursive: true });
        writePbulkConf(ws);
        const { execa } = await import('execa');
        startMs = await measure(() => execa(process.execPath, [engine, '--help']), runs);
        processMs = await measure(async () => {
          const r = await execa(process.execPath, [engine, 'diff', '-c', ws.conf, '--json'], { reject: false });
          if (r.exitCode !== 1) throw new Error(`pkgsrc-bulk diff: exit ${r.exitCode}: ${r.stderr}`);
        }, runs);
      }

      console.log(
        `diff: ${d.newFailures.length} new failures, ${d.fixed.length} fixed, ${d.stillFailing.length} still failing, ${d.newlyBroken.length} breaking more, ${d.times.length} build-time changes\n`,
      );
      const row = (what: string, c: Cost) => [what, fmtMs(c.wall), `${(c.wall / base.wall).toFixed(2)}x`, fmtMs(c.cpu), `${(c.cpu / base.cpu).toFixed(2)}x`];
      table(
        ['step', 'time', 'vs baseline', 'CPU', 'CPU vs baseline'],
        [
          row('baseline: read presolve + split lines', base),
          row('diff of the two runs (read both summaries + diff)', diffMs),
          ...(processMs !== undefined && startMs !== undefined
            ? [row('`pkgsrc-bulk diff --json`, whole process', processMs), row('  of which process start and exit (`pkgsrc-bulk --help`)', startMs)]
            : []),
          row('  read a stored summary (gunzip + parse)', readMs),
          row('  diffRuns alone', diffOnly),
          row('filing, before the next build starts (moves)', median(stage)),
          row('filing, in the background (gzip, summary, entry)', median(complete)),
          row("summary of a bulklog without the engine's (readBulklog)", fromBulklog),
        ],
      );
      console.log(`\nOne stored full-tree run: ${(entryBytes / 1e6).toFixed(1)} MB compressed.`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
