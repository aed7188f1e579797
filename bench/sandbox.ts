// `npm run bench -- sandbox` (as root: it mounts). Create + destroy of one sandbox with the
// default (mksandbox-like) content, per backend, against a plain sh script doing the same the
// way mksandbox and the usual rmsandbox wrapper do (bench/lib/sandbox-fixture.ts), in the same
// run. Also: 8 sandboxes made and removed at once (per sandbox), and the cost of one exec.
// The namespace backend is timed as an unprivileged user (`nobody`), where it is meant to run.
// Everything mounted read-write is a scratch dir under /var/tmp/pkgsrc-bulk-sbx-bench-*.
//   --runs=R (default 9)
import { chownSync, mkdtempSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Benchmark } from './run';
import { fmtMs, median, medianMs, table } from './util';
import { ChrootBackend } from '../src/engine/sandbox/backends/chroot';
import { CommandBackend } from '../src/engine/sandbox/backends/command';
import { NoneBackend } from '../src/engine/sandbox/backends/none';
import { removeTree } from '../src/engine/sandbox/remove';
import { mountsUnder, readMountinfoSync } from '../src/engine/sandbox/mountinfo';
import { loadExeca } from '../src/engine/execa';
import type { SandboxBackend } from '../src/engine/sandbox/types';
import { MKSANDBOX_RO_DIRS } from '../src/engine/sandbox/plan';
import { BASELINE_SCRIPT, baselineArgs, benchSpec, makeHostDirs } from './lib/sandbox-fixture';

function arg(args: string[], name: string, def: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : def;
}

/** chroot_create / chroot_delete scripts for the command backend: the baseline's two halves. */
function commandScripts(dir: string, rw: string[]): { create: string; del: string } {
  const createPart = BASELINE_SCRIPT.split('for m in $mounts; do umount')[0]!;
  const list = [...MKSANDBOX_RO_DIRS.map((d) => `ro:${d}`), ...rw.map((d) => `rw:${d}`)].map((x) => `'${x}'`).join(' ');
  const create = join(dir, 'mksandbox');
  writeFileSync(create, `#!/bin/sh\nset -- "$1" ${list}\n${createPart}echo "$mounts" > "$sb/.mounts"\n`);
  const del = join(dir, 'rmsandbox');
  writeFileSync(
    del,
    `#!/bin/sh\nsb=$1\n[ -d "$sb" ] || exit 0\nmounts=$(cat "$sb/.mounts")\nfor m in $mounts; do umount "$m" 2>/dev/null || true; done\nif grep -q " $sb/" /proc/self/mountinfo; then exit 1; fi\nrm -rf "$sb"\n`,
  );
  chmodSync(create, 0o755);
  chmodSync(del, 0o755);
  return { create, del };
}

const bench: Benchmark = {
  async run(args) {
    if (process.getuid?.() !== 0) {
      console.log('sandbox benchmark: needs root (it bind-mounts); skipped');
      return;
    }
    const runs = arg(args, 'runs', 9);
    const dir = mkdtempSync('/var/tmp/pkgsrc-bulk-sbx-bench-');
    chmodSync(dir, 0o755); // the unprivileged run must reach its own base and the rw dirs
    const rw = makeHostDirs(`${dir}/host`);
    const base = `${dir}/base`;
    const { execa } = await loadExeca();
    let n = 0;
    const cycle = (be: SandboxBackend) => async () => {
      const sb = await be.create(benchSpec(`${base}/s${n++}`, rw));
      await sb.destroy();
    };
    const rows: (string | number)[][] = [];
    const load0 = loadavg()[0]!;
    try {
      // The baseline and the chroot backend alternate run by run, so a burst of load on the
      // shared machine hits both alike.
      const chroot = new ChrootBackend({ warn: () => undefined });
      await cycle(chroot)(); // the first create makes the shared /etc snapshot, as a build's first slot does
      const tb: number[] = [];
      const tc: number[] = [];
      for (let i = 0; i < runs; i++) {
        let t0 = performance.now();
        await execa('/bin/sh', baselineArgs(`${base}/b${n++}`, rw), { stdin: 'ignore' });
        tb.push(performance.now() - t0);
        t0 = performance.now();
        await cycle(chroot)();
        tc.push(performance.now() - t0);
      }
      const baseline = median(tb);
      rows.push(['baseline: mksandbox-style sh script (mount one by one, copy /etc, umount, rm -rf)', fmtMs(baseline), '1.00']);
      const add = (what: string, ms: number) => rows.push([what, fmtMs(ms), (ms / baseline).toFixed(3)]);
      add('chroot: create + destroy', median(tc));
      const copying = new ChrootBackend({ warn: () => undefined, copyMode: 'copy' });
      add('chroot, /etc copied per sandbox instead of overlay: create + destroy', await medianMs(cycle(copying), runs));
      add(
        'chroot: 8 at once, per sandbox',
        (await medianMs(
          async () => {
            const boxes = await Promise.all(Array.from({ length: 8 }, () => chroot.create(benchSpec(`${base}/p${n++}`, rw))));
            await Promise.all(boxes.map((b) => b.destroy()));
          },
          Math.max(3, Math.floor(runs / 3)),
        )) / 8,
      );

      const scripts = commandScripts(dir, rw);
      add(
        "command (the baseline's halves as chroot_create/chroot_delete): create + destroy",
        await medianMs(cycle(new CommandBackend({ createScript: scripts.create, deleteScript: scripts.del, warn: () => undefined })), runs),
      );

      const userBase = `${dir}/user`;
      spawnSync('mkdir', ['-p', userBase]);
      for (const d of [userBase, ...rw]) chownSync(d, 65534, 65534);
      const child = spawnSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          '--',
          process.execPath,
          '--import',
          'tsx',
          join(__dirname, 'lib/sandbox-user.ts'),
          userBase,
          String(runs),
          ...rw,
        ],
        {
          cwd: join(__dirname, '..'),
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: userBase, TMPDIR: userBase },
        },
      );
      const ns = JSON.parse(child.stdout.trim().split('\n').pop() || '{}') as Record<string, number> & { error?: string };
      if (ns.error || child.status !== 0) console.log(`namespace (as nobody) failed: ${ns.error ?? child.stderr}`);
      else {
        add('namespace with bwrap, as nobody: create + destroy', ns['bwrap create+destroy']!);
        add('namespace with unshare, as nobody: create + destroy', ns['unshare create+destroy']!);
      }
      const none = new NoneBackend({ warn: () => undefined });
      add('none: create + destroy', await medianMs(cycle(none), runs));

      table(['create + destroy, per sandbox', 'median', 'vs baseline'], rows);
      console.log('');

      const spawnTrue = await medianMs(() => execa('/bin/true', { stdin: 'ignore' }), runs * 3);
      const sb = await chroot.create(benchSpec(`${base}/e`, rw));
      const inChroot = await medianMs(() => sb.exec(['true'], { env: { PATH: '/usr/bin:/bin' }, cwd: '/' }), runs * 3);
      await sb.destroy();
      const host = await none.create();
      const onHost = await medianMs(() => host.exec(['true'], { env: { PATH: '/usr/bin:/bin' }, cwd: '/' }), runs * 3);
      await host.destroy();
      const execRows: (string | number)[][] = [
        ['baseline: execa /bin/true', fmtMs(spawnTrue), '1.00'],
        ['none: exec true', fmtMs(onHost), (onHost / spawnTrue).toFixed(2)],
        ['chroot: exec true', fmtMs(inChroot), (inChroot / spawnTrue).toFixed(2)],
      ];
      if (!ns.error && child.status === 0) {
        execRows.push(['namespace bwrap, as nobody: exec true', fmtMs(ns['bwrap exec true']!), (ns['bwrap exec true']! / spawnTrue).toFixed(2)]);
        execRows.push(['namespace unshare, as nobody: exec true', fmtMs(ns['unshare exec true']!), (ns['unshare exec true']! / spawnTrue).toFixed(2)]);
      }
      table(['one command', 'median', 'vs baseline'], execRows);
      console.log(`\nload average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end; ${runs} runs each`);
    } finally {
      const left = mountsUnder(readMountinfoSync(), dir);
      if (left.length > 0) console.log(`mounts left below ${dir}; not deleting it:\n${left.map((m) => m.mountPoint).join('\n')}`);
      else {
        for (const d of readdirSync(dir)) await removeTree(join(dir, d), dir);
        await removeTree(dir, '/var/tmp');
      }
    }
  },
};

export default bench;
