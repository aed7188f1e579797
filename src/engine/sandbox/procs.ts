// Processes seen through /proc: who still runs inside a sandbox (its root or working directory
// lies below the sandbox root), and whether the owner recorded in a state file is still the
// same live process (pid plus start time, within the same boot).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { isInside } from './paths';

export interface ProcessUse {
  pid: number;
  /** What ties the process to the sandbox: its root directory (chrooted inside) or its cwd. */
  via: 'root' | 'cwd';
  /** The path /proc reports for it. */
  path: string;
  command: string;
}

let cachedBootId: string | undefined;

export function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = 'unknown';
    }
  }
  return cachedBootId;
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot), or null if the process is gone. */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest[19] ?? null;
}

export type Liveness = 'alive' | 'dead' | 'unknown';

/** Is the process recorded as (pid, start time, boot id) still running? */
export function liveness(pid: number | null, pidStart: string | null, boot: string): Liveness {
  if (pid === null) return 'unknown';
  if (boot !== bootId()) return bootId() === 'unknown' ? 'unknown' : 'dead';
  const start = processStartTime(pid);
  if (start === null) return 'dead';
  return pidStart === null || start === pidStart ? 'alive' : 'dead';
}

function commandOf(pid: number): string {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const s = raw.split('\0').filter(Boolean).join(' ');
    return s.length > 0 ? s.slice(0, 200) : `[${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return '?';
  }
}

/**
 * Every process (but this one) whose root or cwd lies at or below root. Synchronous reads:
 * a few hundred tiny /proc lookups are far cheaper than as many thread-pool round trips.
 */
export async function processesUsing(root: string): Promise<ProcessUse[]> {
  const out: ProcessUse[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const n of names) {
    if (!/^[0-9]+$/.test(n)) continue;
    const pid = Number(n);
    if (pid === process.pid) continue;
    for (const via of ['root', 'cwd'] as const) {
      let p: string;
      try {
        p = readlinkSync(`/proc/${pid}/${via}`);
      } catch {
        continue; // gone, or not ours to look at
      }
      // A deleted directory shows as "/path (deleted)"; it still pins what it was.
      const clean = p.endsWith(' (deleted)') ? p.slice(0, -10) : p;
      if (isInside(root, clean)) {
        out.push({ pid, via, path: clean, command: commandOf(pid) });
        break;
      }
    }
  }
  return out;
}

/** Sends SIGKILL to each pid, ignoring ones that are already gone. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone or not permitted; the caller re-checks
    }
  }
}

/** Waits until none of the pids is alive (or the time is up). Event-free by nature: /proc has no notifications. */
export async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (pids.every((p) => processStartTime(p) === null || isZombie(p))) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Still running (not gone, not a zombie waiting for its parent to reap it). */
export function isRunning(pid: number): boolean {
  return processStartTime(pid) !== null && !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export function describeUse(u: ProcessUse): string {
  return `pid ${u.pid} (${u.command}) has its ${u.via === 'root' ? 'root' : 'working directory'} at ${u.path}`;
}
