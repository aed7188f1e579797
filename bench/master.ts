// `npm run bench -- master` (root: network namespaces): a full build of a generated tree with
// the engine as pbulk's master and 1, 2 and 4 client hosts (network namespaces, the clients
// `pkgsrc-bulk client`), against the baseline measured in the same run: the same build on one
// local slot, scanning one location at a time. Stage times come from the engine's events; the
// protocol's cost per job is the difference between one client and the local slot, divided by
// the packages (scan: by the locations).
//   --packages=N (default 40)  --seconds=S build time of each package (default 1)  --seed=S
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './run';
import { fmtMs, table } from './util';
import { generateTree } from '../test/fixtures/generate';
import { engineBundle } from '../test/engine/cli-harness';
import { masterSetup, runMaster, type MasterSetup } from '../test/engine/master-harness';
import { netnsAvailable } from '../test/engine/netns';

function arg(args: string[], name: string, def: string): string {
  return args.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
}

interface Times {
  scan: number;
  build: number;
  /** From the first client's connection (the clients' start-up left out); local: as build. */
  scanServed: number;
  buildServed: number;
  total: number;
  packages: number;
  locations: number;
}

function stageTimes(events: Record<string, unknown>[]): Times {
  const at = (stage: string) => events.find((e) => e.event === 'stage' && e.stage === stage)?.time as number;
  const first = events.find((e) => typeof e.time === 'number')?.time as number;
  const scanned = events.find((e) => e.event === 'scanFinished') as { records: number; locations: number } | undefined;
  const connected = (role: string) => events.find((e) => e.event === 'client' && e.role === role && e.change === 'connected')?.time as number | undefined;
  const scanStart = connected('scan') ?? at('scanning');
  const buildStart = connected('build') ?? at('building');
  return {
    scan: at('resolving') - at('scanning'),
    build: at('reporting') - at('building'),
    scanServed: at('resolving') - scanStart,
    buildServed: at('reporting') - buildStart,
    total: at('finished') - first,
    packages: scanned?.records ?? 0,
    locations: scanned?.locations ?? 0,
  };
}

/** The same build on one local slot (master_mode=no), as the CLI runs it. */
async function local(setup: MasterSetup): Promise<Times> {
  const conf = join(setup.ws.dir, 'local.conf');
  copyFileSync(setup.ws.conf, conf);
  writeFileSync(conf, `${readFileSync(conf, 'utf8')}master_mode=no\n`);
  const child = spawn(process.execPath, [
    engineBundle(),
    'build',
    '--full',
    '--json',
    '-c',
    conf,
    '--settings',
    setup.settings,
    '--jobs',
    '1',
    '--scan-jobs',
    '1',
  ]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.on('close', r));
  return stageTimes(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
}

const bench: Benchmark = {
  async run(args) {
    if (!netnsAvailable()) {
      console.log('master: needs root and ip(8) for network namespaces; skipped\n');
      return;
    }
    const packages = Number(arg(args, 'packages', '40'));
    const seconds = Number(arg(args, 'seconds', '1'));
    const seed = Number(arg(args, 'seed', '1'));
    const tree = (pkgsrc: string) =>
      void generateTree(pkgsrc, {
        packages,
        seed,
        customize: (pkgs) => {
          for (const p of pkgs) p.buildSeconds = seconds;
        },
      });
    const settings = { incrementalScan: false, clientWaitMs: 600_000 };
    const rows: { label: string; t: Times }[] = [];
    {
      const s = masterSetup('bench-local', tree, { clients: 1, masterSettings: settings });
      try {
        rows.push({ label: 'one local slot (baseline)', t: await local(s) });
      } finally {
        s.remove();
      }
    }
    for (const n of [1, 2, 4]) {
      const s = masterSetup(`bench-m${n}`, tree, { clients: n, masterSettings: settings });
      try {
        const run = runMaster(s, ['build', '--full']);
        await run.done;
        rows.push({ label: `master, ${n} client host${n > 1 ? 's' : ''}`, t: stageTimes(run.events) });
      } finally {
        s.remove();
      }
    }
    const base = rows[0]!.t;
    const one = rows[1]!.t;
    console.log(
      `### master: generated tree, ${base.locations} locations, ${base.packages} packages, each build ${seconds} s (load average ${loadavg()[0]!.toFixed(1)})\n`,
    );
    table(
      ['run', 'scan', 'scan vs baseline', 'build', 'build vs baseline', 'build after the clients connected', 'whole run'],
      rows.map(({ label, t }) => [
        label,
        fmtMs(t.scan),
        (t.scan / base.scan).toFixed(2),
        fmtMs(t.build),
        (t.build / base.build).toFixed(2),
        `${fmtMs(t.buildServed)} (${(t.buildServed / base.build).toFixed(2)})`,
        fmtMs(t.total),
      ]),
    );
    console.log();
    const per = (a: number, b: number, n: number) => fmtMs((a - b) / Math.max(1, n));
    console.log(
      `Protocol cost per job, one client host against one local slot, once the client is connected: scan ${per(one.scanServed, base.scan, base.locations)} per location, build ${per(one.buildServed, base.build, base.packages)} per package (a package's own build here: ${fmtMs(base.build / Math.max(1, base.packages))}). The clients' start (node, pbulk.conf, sandboxes) adds ${fmtMs(one.build - one.buildServed)} once per stage and scan round.\n`,
    );
  },
};

export default bench;
