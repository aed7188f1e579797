// Whole processes timed from outside, as a user's shell would: wall time and CPU time (user +
// system of the process and all its threads and children), with the commands interleaved
// round by round so that a burst of load on a shared machine hits every row alike. CPU comes
// from /proc/self/stat in 10 ms ticks, so short commands run several times per sample.
import { performance } from 'node:perf_hooks';
import { childCpuMs } from './child-cpu';
import { fmtMs, median } from '../util';

export interface ProcessSpec {
  label: string;
  file: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Run before each run, untimed (e.g. to change a file the command must notice). */
  before?: () => void;
}

export interface ProcessTiming {
  label: string;
  /** Medians per run, ms. */
  wall: number;
  cpu: number;
}

/** Median wall and CPU time per run of each command; `batch` runs per sample, `rounds` samples. */
export async function timeProcesses(specs: ProcessSpec[], rounds: number, batch: number): Promise<ProcessTiming[]> {
  const { execa } = await import('execa');
  const once = async (s: ProcessSpec) => {
    s.before?.();
    const r = await execa(s.file, s.args, { cwd: s.cwd, env: s.env, stdout: 'ignore', stderr: 'ignore', reject: false });
    if (r.exitCode !== 0) throw new Error(`${s.label}: exit ${r.exitCode}`);
  };
  for (const s of specs) await once(s);
  const samples = specs.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, s] of specs.entries()) {
      let wall = 0;
      let cpu = 0;
      for (let b = 0; b < batch; b++) {
        s.before?.();
        const c0 = childCpuMs();
        const t0 = performance.now();
        await once({ ...s, before: undefined });
        wall += performance.now() - t0;
        cpu += childCpuMs() - c0;
      }
      samples[i]!.wall.push(wall / batch);
      samples[i]!.cpu.push(cpu / batch);
    }
  }
  return specs.map((s, i) => ({ label: s.label, wall: median(samples[i]!.wall), cpu: median(samples[i]!.cpu) }));
}

/** Table rows: each timing with its ratios to the first one's. */
export function ratioRows(t: ProcessTiming[]): string[][] {
  const base = t[0]!;
  return t.map((x) => [x.label, fmtMs(x.wall), `${(x.wall / base.wall).toFixed(2)}x`, fmtMs(x.cpu), `${(x.cpu / base.cpu).toFixed(2)}x`]);
}
