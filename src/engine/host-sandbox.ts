// Temporary stand-in for the `none` sandbox backend (commands run on the host, one slot) until
// src/engine/sandbox provides the real one; same interface, so the builder and the scanner do
// not change when it is swapped.
import type { ExecOptions, ExecResult, Sandbox, SandboxBackend, SandboxSpec } from './sandbox/types';
import { loadExeca } from './execa';

class HostSandbox implements Sandbox {
  readonly backend = 'none' as const;
  constructor(readonly root: string) {}

  async exec(argv: string[], o: ExecOptions): Promise<ExecResult> {
    const { execa } = await loadExeca();
    let cmd = argv;
    const lim = o.limits ?? {};
    const pl: string[] = [];
    if (lim.cpuSeconds !== undefined) pl.push(`--cpu=${lim.cpuSeconds}`);
    if (lim.virtualMemoryKiB !== undefined) pl.push(`--as=${lim.virtualMemoryKiB * 1024}`);
    if (pl.length > 0) cmd = ['prlimit', ...pl, '--', ...cmd];
    if (o.user !== undefined && process.getuid?.() === 0) cmd = ['runuser', '-u', o.user, '--', ...cmd];
    const p = execa(cmd[0]!, cmd.slice(1), {
      cwd: o.cwd,
      env: o.env,
      extendEnv: false,
      input: o.input,
      stdin: o.input === undefined ? 'ignore' : 'pipe',
      all: !o.capture,
      buffer: o.capture === true,
      reject: false,
      stripFinalNewline: false,
      encoding: 'buffer',
      detached: true,
      maxBuffer: 256 * 1024 * 1024,
    });
    // Kill the whole process group: make's children hold the output pipe open.
    const killGroup = () => {
      try {
        if (p.pid !== undefined) process.kill(-p.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    let timedOut = false;
    const timer = lim.timeoutMs ? setTimeout(() => ((timedOut = true), killGroup()), lim.timeoutMs) : undefined;
    o.signal?.addEventListener('abort', killGroup, { once: true });
    if (!o.capture && o.output) p.all?.pipe(o.output, { end: false });
    else if (!o.capture) p.all?.resume();
    const r = await p;
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener('abort', killGroup);
    const text = (b: unknown) => (b instanceof Uint8Array ? Buffer.from(b).toString('latin1') : undefined);
    return {
      exitCode: r.exitCode ?? null,
      signal: r.signal ?? null,
      timedOut,
      stdout: o.capture ? text(r.stdout) : undefined,
      stderr: o.capture ? text(r.stderr) : undefined,
    };
  }

  async destroy(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy();
  }
}

export const hostBackend: SandboxBackend = {
  name: 'none',
  maxSlots: 1,
  async create(spec: SandboxSpec): Promise<Sandbox> {
    return new HostSandbox(spec.root);
  },
};
