// Overhead part of bench/engine.ts: N small packages built by the engine (none backend, one
// slot) against the same commands run one after another by a plain loop (spawnSync, output to
// a log file): make's and the pkg_* tools' own time. The difference per package is what the
// engine adds (scheduling, up-to-date check, log handling, success/error appends, events).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine } from '../../src/engine/core/engine';
import { loadWorkspaceConfig, makeWorkspace } from '../../test/engine/harness';
import type { SmallPackage } from '../../test/engine/tree';
import { median } from '../util';

export interface OverheadFigures {
  packages: number;
  direct: number;
  engine: number;
  /** CPU time of the engine's own process (not its children) during the build stage, ms. */
  engineCpu: number;
}

/**
 * Alternates the plain loop and the engine `rounds` times (so that load from other work on the
 * machine hits both alike) and keeps the medians.
 */
export async function overheadBench(n: number, rounds = 3): Promise<OverheadFigures> {
  const direct: number[] = [];
  const engine: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const o = await overheadRound(n);
    direct.push(o.direct);
    engine.push(o.engine);
    cpu.push(o.engineCpu);
  }
  return { packages: n, direct: median(direct), engine: median(engine), engineCpu: median(cpu) };
}

async function overheadRound(n: number): Promise<OverheadFigures> {
  const pkgs: SmallPackage[] = Array.from({ length: n }, (_, i) => ({ path: `devel/p${i}`, distname: `p${i}-1.0` }));
  const a = makeWorkspace('bench-overhead-direct', pkgs);
  const b = makeWorkspace('bench-overhead-engine', pkgs);
  try {
    const cfg = await loadWorkspaceConfig(a);
    const env = { PATH: cfg.settings.path, HOME: process.env.HOME ?? '/' };
    const logs = join(a.dir, 'logs');
    mkdirSync(logs);
    const t0 = performance.now();
    for (const p of pkgs) {
      const name = p.distname;
      const cwd = join(cfg.pkgsrc, p.path);
      const log = openSync(join(logs, `${name}.log`), 'a');
      const make = (target: string, flags = true) => [
        ...cfg.make,
        target,
        ...(flags ? ['BATCH=1', 'DEPENDS_TARGET=/nonexistent', `WRKLOG=${join(logs, 'work.log')}`] : []),
      ];
      const steps: string[][] = [
        ['rm', '-rf', cfg.prefix, cfg.pkgdb],
        make('clean', false),
        make('checksum'),
        make('configure'),
        make('all'),
        make('stage-install'),
        make('package'),
        [...cfg.pkgAdd, '-K', cfg.pkgdb, name],
        make('clean', false),
        [...cfg.pkgDelete, '-K', cfg.pkgdb, name],
      ];
      for (const s of steps) {
        const r = spawnSync(s[0]!, s.slice(1), { cwd, env: { ...env, PKG_PATH: join(cfg.packages, 'All') }, stdio: ['ignore', log, log] });
        if (r.status !== 0) throw new Error(`${s.join(' ')} failed in ${cwd}`);
      }
      closeSync(log);
    }
    const direct = performance.now() - t0;

    const engine = new Engine(await loadWorkspaceConfig(b));
    let start = 0;
    let end = 0;
    let cpu0 = process.cpuUsage();
    let cpu = 0;
    engine.hub.on((name, p) => {
      if (name !== 'stage') return;
      const stage = (p as { stage: string }).stage;
      if (stage === 'building') {
        start = performance.now();
        cpu0 = process.cpuUsage();
      }
      if (stage === 'reporting') {
        end = performance.now();
        const c = process.cpuUsage(cpu0);
        cpu = (c.user + c.system) / 1000;
      }
    });
    const r = await (await engine.start()).done;
    if (r.counts.done !== n) throw new Error(`engine built ${r.counts.done} of ${n}`);
    return { packages: n, direct, engine: end - start, engineCpu: cpu };
  } finally {
    a.remove();
    b.remove();
    rmSync(join(a.dir, 'logs'), { recursive: true, force: true });
  }
}
