// Scan part of bench/engine.ts: `make pbulk-index` over every location of a generated tree
// through the engine's ScanRunner, cold with 1 and 2 workers, then incremental through the
// scan cache (nothing changed, and 1% of the Makefiles edited). The tree's files are dated two
// minutes back so the cache's same-second rule does not count them as fresh edits.
import { mkdtempSync, utimesSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateTree } from '../../test/fixtures/generate';
import { writeMkConf } from '../../test/fixtures/mk';
import { backdate, hostSandbox, workspaceConfig, workspaceIn } from '../../test/engine/harness';
import { ScanCache } from '../../src/pkgsrc/scan/cache';
import { ScanRunner } from '../../src/engine/scan/runner';
import { listLocations } from '../../src/engine/scan/subdirs';
import { childCpuMs } from './child-cpu';

export interface Timed {
  ms: number;
  /** CPU of the make processes (children of this process), ms. */
  cpu: number;
}

export interface ScanFigures {
  locations: number;
  records: number;
  failed: number;
  cold1: Timed;
  cold2: Timed;
  warm2: Timed;
  edited2: Timed;
  edited: number;
}

export async function scanBench(packages: number, seed: number): Promise<ScanFigures> {
  const dir = mkdtempSync(`/var/tmp/pkgsrc-bulk-bench-engine-`);
  const ws = workspaceIn(dir, '');
  try {
    generateTree(ws.pkgsrc, { packages, seed });
    writeMkConf(ws.pkgsrc, { localbase: ws.prefix, pkgDbDir: ws.pkgdb, packages: ws.packages });
    mkdirSync(ws.bulklog);
    backdate(ws.pkgsrc);
    const cfg = workspaceConfig(ws);
    const box = await hostSandbox();
    const env = { PATH: cfg.settings.path };
    try {
      const { locations } = await listLocations(cfg, box, env, 2);
      const time = async (concurrency: number, cache?: ScanCache) => {
        const c0 = childCpuMs();
        const t0 = performance.now();
        const r = await new ScanRunner(cfg, box, { concurrency, env, cache }).scan(locations);
        return { t: { ms: performance.now() - t0, cpu: childCpuMs() - c0 }, r };
      };
      const c1 = await time(1);
      const cache = new ScanCache(cfg.pkgsrc);
      const c2 = await time(2, cache);
      const w = await time(2, cache);
      // Edit 1% of the Makefiles (a revision bump), dated now: those are scanned again.
      const step = Math.max(1, Math.floor(locations.length / Math.max(1, Math.round(locations.length / 100))));
      let edited = 0;
      for (let i = 0; i < locations.length; i += step) {
        const mk = join(cfg.pkgsrc, locations[i]!, 'Makefile');
        try {
          writeFileSync(mk, readFileSync(mk, 'latin1') + '# edited\n', 'latin1');
          const t = new Date(Date.now() + 2000);
          utimesSync(mk, t, t);
          edited++;
        } catch {
          // A location without a Makefile (the generator makes a few): nothing to edit.
        }
      }
      const e = await time(2, cache);
      const records = c1.r.jobs.reduce((n, j) => n + ('output' in j ? j.output.split('\n').filter((l) => l.startsWith('PKGNAME=')).length : 0), 0);
      return { locations: locations.length, records, failed: c1.r.failures.length, cold1: c1.t, cold2: c2.t, warm2: w.t, edited2: e.t, edited };
    } finally {
      await box.destroy();
    }
  } finally {
    ws.remove();
  }
}
