// Run by bench/sandbox.ts as an unprivileged user: times the namespace backend where it is
// meant to run (rootless), with either tool, and prints the medians as one JSON line.
import { medianMs } from '../util';
import { NamespaceBackend } from '../../src/engine/sandbox/backends/namespace';
import { benchSpec } from './sandbox-fixture';

async function main(): Promise<void> {
  const [base, runsArg, ...rw] = process.argv.slice(2);
  const runs = Number(runsArg);
  const out: Record<string, number> = {};
  for (const tool of ['bwrap', 'unshare'] as const) {
    const be = new NamespaceBackend({ tool, warn: () => undefined });
    let n = 0;
    out[`${tool} create+destroy`] = await medianMs(async () => {
      const sb = await be.create(benchSpec(`${base}/ns-${tool}-${n++}`, rw));
      await sb.destroy();
    }, runs);
    const sb = await be.create(benchSpec(`${base}/ns-${tool}-exec`, rw));
    out[`${tool} exec true`] = await medianMs(() => sb.exec(['true'], { env: { PATH: '/usr/bin:/bin' }, cwd: '/' }), runs);
    await sb.destroy();
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }) + '\n');
  process.exitCode = 1;
});
