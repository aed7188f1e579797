// `npm run bench -- diagnostics`: what the editor does with a full-tree bulklog when it shows
// it: the diagnostics of every unsuccessful package (failed ones with their log documents and
// first errors, the indirect failures with the failure behind them), the report view's data,
// and the build model with the Packages view's states. The bulklog is the real full 2013Q1
// presolve (12,111 records) with a simulated build in which 5% of the buildable packages fail
// (bench/lib/bulklog-fixture.ts). Baseline: readBulklog of the same bulklog, which the editor
// does anyway before any of this.
//   --runs=R (default 3)
import { rm } from 'node:fs/promises';
import { readBulklog } from '../src/pkgsrc/bulklog';
import { diagnoseBulklog, fileContext } from '../src/extension/diagnostics/map';
import { BuildModel } from '../src/extension/builds/model';
import { reportData } from '../src/extension/report/data';
import { locationState, type VariantState } from '../src/extension/tree/stateMap';
import { makeFullBulklog } from './lib/bulklog-fixture';
import type { Benchmark } from './run';
import { fmtMs, medianMs, table } from './util';

const bench: Benchmark = {
  async run(args) {
    const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
    const fx = await makeFullBulklog();
    try {
      const b = await readBulklog(fx.dir);
      const broken = b.packages.filter((p) => p.state !== 'done' && p.state !== 'open').length;
      let count = 0;
      console.log(`bulklog of ${fx.packages} packages: ${fx.done} done, ${fx.failed} failed, ${broken} unsuccessful in all; median of ${runs} runs\n`);
      const base = await medianMs(() => readBulklog(fx.dir), runs);
      // A fresh context each run: nothing cached from the run before.
      const diagnose = await medianMs(async () => (count = (await diagnoseBulklog(fileContext(b, undefined))).length), runs);
      const report = await medianMs(() => reportData(b), runs);
      const model = await medianMs(() => {
        const m = new BuildModel();
        m.seed(b);
        const byLocation = new Map<string, VariantState[]>();
        for (const p of m.packages.values()) {
          if (!p.location) continue;
          const list = byLocation.get(p.location) ?? [];
          list.push({ pkgname: p.pkgname, state: p.state });
          byLocation.set(p.location, list);
        }
        return new Map([...byLocation].map(([l, v]) => [l, locationState(v)])).size;
      }, runs);
      const row = (what: string, ms: number) => [what, fmtMs(ms), `${(ms / base).toFixed(2)}x`];
      table(
        ['step', 'time', 'vs baseline'],
        [
          row('baseline: readBulklog (records, states, log dirs)', base),
          row(`diagnostics of every unsuccessful package (${count} diagnostics)`, diagnose),
          row('report view data (summary, first errors, graph)', report),
          row('build model + Packages view states', model),
        ],
      );
    } finally {
      await rm(fx.dir, { recursive: true, force: true });
    }
  },
};

export default bench;
