// Running one command for a sandbox: the backend hands over the final argument vector (its own
// wrappers, e.g. `unshare --root` or `bwrap`, already in front); this adds the resource limits,
// starts it in a process group of its own, streams or captures its output, and on timeout,
// abort or sandbox teardown kills the whole group, not just the first process.
import { loadExeca } from '../execa';
import type { Writable } from 'node:stream';
import type { ExecLimits, ExecOptions, ExecResult } from './types';
import { SandboxError } from './errors';
import { findTool } from './tools';

/** Grace between SIGTERM and SIGKILL when a timeout or abort stops a command. */
const KILL_GRACE_MS = 2000;
/** How long to wait for output pipes after the command exited (a stray daemon may hold them). */
const PIPE_GRACE_MS = 1000;

/** ulimit -t / -v as a prlimit(1) prefix, or a small sh wrapper when prlimit is missing. */
export function limitArgv(limits: ExecLimits | undefined, argv: string[]): string[] {
  const cpu = limits?.cpuSeconds;
  const vm = limits?.virtualMemoryKiB;
  if (cpu === undefined && vm === undefined) return argv;
  for (const [n, v] of [
    ['cpuSeconds', cpu],
    ['virtualMemoryKiB', vm],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v <= 0)) throw new SandboxError('bad-spec', `limit ${n} must be a positive integer, got ${v}`);
  }
  const prlimit = findTool('prlimit');
  if (prlimit) {
    const args = [prlimit];
    if (cpu !== undefined) args.push(`--cpu=${cpu}:${cpu}`);
    if (vm !== undefined) args.push(`--as=${vm * 1024}:${vm * 1024}`);
    return [...args, '--', ...argv];
  }
  // The values are integers checked above; the command itself only ever travels as "$@".
  const sets = [cpu !== undefined ? `ulimit -t ${cpu}` : '', vm !== undefined ? `ulimit -v ${vm}` : ''].filter(Boolean).join(' && ');
  return ['/bin/sh', '-c', `${sets} && exec "$@"`, 'sh', ...argv];
}

/** Live process groups of one sandbox, so teardown can kill what is still running. */
export class ProcessGroups {
  private readonly pids = new Set<number>();
  add(pid: number): void {
    this.pids.add(pid);
  }
  delete(pid: number): void {
    this.pids.delete(pid);
  }
  killAll(signal: NodeJS.Signals = 'SIGKILL'): number[] {
    const out = [...this.pids];
    for (const pid of out) killGroup(pid, signal);
    return out;
  }
  get size(): number {
    return this.pids.size;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

export interface RunOptions {
  /** Host working directory of the first process (the sandbox cwd is the wrapper's business). */
  hostCwd: string;
  groups: ProcessGroups;
}

/** Runs argv (already wrapped by the backend) with limits, output handling and group kill. */
export async function runCommand(argv: string[], options: ExecOptions, run: RunOptions): Promise<ExecResult> {
  const full = limitArgv(options.limits, argv);
  const [file, ...args] = full;
  if (!file) throw new SandboxError('bad-spec', 'empty command');
  const capture = options.capture === true;
  const output: Writable | undefined = capture ? undefined : options.output;
  const { execa } = await loadExeca();
  const child = execa(file, args, {
    env: options.env,
    extendEnv: false,
    cwd: run.hostCwd,
    detached: true, // its own process group, so the whole group can be killed
    cleanup: true,
    reject: false,
    stripFinalNewline: false,
    buffer: capture,
    encoding: options.captureEncoding ?? 'utf8',
    all: !capture && output !== undefined,
    stdin: options.input !== undefined ? 'pipe' : 'ignore',
    stdout: capture || output ? 'pipe' : 'ignore',
    stderr: capture || output ? 'pipe' : 'ignore',
    maxBuffer: 256 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  const pid = child.pid;
  if (pid !== undefined) run.groups.add(pid);
  if (output && child.all) child.all.pipe(output, { end: false });

  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (why: 'timeout' | 'abort') => {
    if (pid === undefined || killTimer) return;
    if (why === 'timeout') timedOut = true;
    killGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
  };
  const timeout = options.limits?.timeoutMs;
  const timer = timeout !== undefined && timeout > 0 ? setTimeout(() => stop('timeout'), timeout) : undefined;
  const onAbort = () => stop('abort');
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  // When the first process exits, whatever it left in its group goes too, and pipes a stray
  // daemon still holds are cut after a grace period, so a build step always ends.
  let pipeTimer: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    if (pid !== undefined) killGroup(pid, 'SIGKILL');
    pipeTimer = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.all?.destroy();
    }, PIPE_GRACE_MS);
  });

  try {
    const r = await child;
    if (r.failed && r.exitCode === undefined && r.signal === undefined && !r.isTerminated) {
      // Could not even start it: answer as a shell would (127 not found, 126 not executable).
      const code = (r as { code?: string }).code;
      const text = `pkgsrc-bulk: cannot run ${file}: ${code ?? r.shortMessage}\n`;
      output?.write(text);
      return { exitCode: code === 'EACCES' ? 126 : 127, signal: null, timedOut, ...(capture ? { stdout: '', stderr: text } : {}) };
    }
    return {
      exitCode: r.exitCode ?? null,
      signal: r.signal ?? null,
      timedOut,
      ...(capture ? { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') } : {}),
    };
  } finally {
    if (timer) clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    if (pipeTimer) clearTimeout(pipeTimer);
    options.signal?.removeEventListener('abort', onAbort);
    if (output && child.all) child.all.unpipe(output);
    if (pid !== undefined) run.groups.delete(pid);
  }
}
