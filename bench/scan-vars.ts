// `npm run bench -- scan-vars`: the scan with the per-tree values passed in (what the engine
// does: the tree is asked once per run, then every `make pbulk-index` gets OPSYS, OS_VERSION,
// LOWER_ARCH, _PKGSRCDIR, PKGTOOLS_VERSION ... in its environment) against the same scan
// computing them in every make process (the baseline), on a generated tree whose mk/ computes
// them with commands as pkgsrc's bsd.prefs.mk does. One worker, alternating rounds, median;
// the records must be byte for byte the same.
//   --packages=N (default 500)  --seed=S (default 1)  --rounds=R (default 3)
import { mkdirSync, mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { generateTree } from '../test/fixtures/generate';
import { writeMkConf } from '../test/fixtures/mk';
import { hostSandbox, workspaceConfig, workspaceIn } from '../test/engine/harness';
import { ScanRunner } from '../src/engine/scan/runner';
import { listLocations } from '../src/engine/scan/subdirs';
import { askTree } from '../src/engine/core/tree-probe';
import { cacheEnv } from '../src/pkgsrc/mkconf/vars';
import { childCpuMs } from './lib/child-cpu';
import type { Benchmark } from './run';
import { fmtMs, median, table } from './util';

function arg(args: string[], name: string, def: string): string {
  return args.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
}

const bench: Benchmark = {
  async run(args) {
    const packages = Number(arg(args, 'packages', '500'));
    const seed = Number(arg(args, 'seed', '1'));
    const rounds = Number(arg(args, 'rounds', '3'));
    const dir = mkdtempSync('/var/tmp/pkgsrc-bulk-bench-scanvars-');
    const ws = workspaceIn(dir, '');
    try {
      generateTree(ws.pkgsrc, { packages, seed });
      writeMkConf(ws.pkgsrc, { localbase: ws.prefix, pkgDbDir: ws.pkgdb, packages: ws.packages });
      mkdirSync(ws.bulklog);
      const cfg = workspaceConfig(ws);
      const box = await hostSandbox();
      const env = { PATH: cfg.settings.path };
      try {
        const { locations } = await listLocations(cfg, box, env, 2);
        const t0 = performance.now();
        const asked = await askTree(cfg, box, env, locations.slice(0, 3));
        const askMs = performance.now() - t0;
        if (!asked.ok) throw new Error(asked.message);
        const withVars = { ...env, ...cacheEnv(asked.vars.values) };
        const scan = async (e: Record<string, string>) => {
          const c0 = childCpuMs();
          const s0 = performance.now();
          const r = await new ScanRunner(cfg, box, { concurrency: 1, env: e }).scan(locations);
          const out = r.jobs.map((j) => ('output' in j ? j.output : `FAILED ${j.location}`)).join('');
          return { ms: performance.now() - s0, cpu: childCpuMs() - c0, out };
        };
        const base: { ms: number; cpu: number }[] = [];
        const cached: { ms: number; cpu: number }[] = [];
        let same = true;
        for (let i = 0; i < rounds; i++) {
          const a = await scan(env);
          const b = await scan(withVars);
          if (a.out !== b.out) same = false;
          base.push(a);
          cached.push(b);
        }
        const b = { ms: median(base.map((x) => x.ms)), cpu: median(base.map((x) => x.cpu)) };
        const c = { ms: median(cached.map((x) => x.ms)), cpu: median(cached.map((x) => x.cpu)) };
        console.log(`### scan of ${locations.length} locations, 1 worker, median of ${rounds} alternating rounds (load average ${loadavg()[0]!.toFixed(1)})\n`);
        console.log(
          `Passed to every scan: ${Object.entries(cacheEnv(asked.vars.values))
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')} (asked once in ${fmtMs(askMs)})\n`,
        );
        table(
          ['run', 'time', 'per location', 'CPU of make', 'vs baseline'],
          [
            ['each make computes the per-tree values (baseline)', fmtMs(b.ms), fmtMs(b.ms / locations.length), fmtMs(b.cpu), '1.00'],
            ['per-tree values passed in', fmtMs(c.ms), fmtMs(c.ms / locations.length), fmtMs(c.cpu), (c.ms / b.ms).toFixed(2)],
          ],
        );
        console.log(`\nrecords ${same ? 'byte for byte the same' : 'DIFFER'} with and without the values passed in\n`);
        if (!same) process.exitCode = 1;
      } finally {
        await box.destroy();
      }
    } finally {
      ws.remove();
    }
  },
};

export default bench;
