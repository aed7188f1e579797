// One engine per bulklog. The lock is `<bulklog>/.pkgsrc-bulk.lock`, created atomically
// (written under a temporary name and link(2)ed into place, which fails if it exists) with
// the owner's pid, the pid's start time and the boot id. A lock whose owner is gone (process
// exited, pid reused by another program, machine rebooted) is stale and taken over; a live
// one stops the second engine with a message saying who holds it (CLI exit 3).
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export const LOCK_NAME = '.pkgsrc-bulk.lock';

const lockSchema = z.object({
  pid: z.number().int(),
  pidStart: z.string().nullable(),
  bootId: z.string(),
  host: z.string(),
  started: z.string(),
  command: z.string(),
});
export type LockOwner = z.infer<typeof lockSchema>;

export class LockedError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {
    super(
      `${path}: the bulklog is in use by another pkgsrc-bulk engine (pid ${owner.pid} on ${owner.host}, ` +
        `running '${owner.command}' since ${owner.started}); attach to it (pkgsrc-bulk status) or stop it first`,
    );
  }
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Start time of a live process in clock ticks since boot (field 22 of /proc/PID/stat), or
 * null when it is gone or a zombie (killed, not yet reaped: it holds nothing any more).
 */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Is the recorded owner still the same running process? */
function ownerAlive(o: LockOwner): boolean {
  if (o.host !== hostname()) return true; // cannot tell: treat as held
  if (o.bootId !== bootId()) return false;
  const now = startTime(o.pid);
  if (now === null) return false;
  return o.pidStart === null || o.pidStart === now;
}

export class BulklogLock {
  private constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {}

  static async acquire(bulklog: string, command: string): Promise<BulklogLock> {
    const path = join(bulklog, LOCK_NAME);
    const owner: LockOwner = {
      pid: process.pid,
      pidStart: startTime(process.pid),
      bootId: bootId(),
      host: hostname(),
      started: new Date().toISOString(),
      command,
    };
    const text = JSON.stringify(owner) + '\n';
    for (let attempt = 0; attempt < 5; attempt++) {
      const tmp = `${path}.${process.pid}.${attempt}.tmp`;
      await writeFile(tmp, text, { mode: 0o644 });
      try {
        await link(tmp, path);
        return new BulklogLock(path, owner);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
      const held = await readOwner(path);
      if (held.owner && ownerAlive(held.owner)) throw new LockedError(path, held.owner);
      // Stale (or unreadable): remove it only if it is still the same file we judged.
      const again = await readFile(path, 'utf8').catch(() => undefined);
      if (again === held.text) await unlink(path).catch(() => undefined);
    }
    throw new Error(`${path}: could not take the lock (it keeps changing)`);
  }

  /** Who holds the lock of a bulklog now, if anyone alive. */
  static async holder(bulklog: string): Promise<LockOwner | undefined> {
    const r = await readOwner(join(bulklog, LOCK_NAME));
    return r.owner && ownerAlive(r.owner) ? r.owner : undefined;
  }

  async release(): Promise<void> {
    const r = await readOwner(this.path);
    if (r.owner && r.owner.pid === this.owner.pid && r.owner.started === this.owner.started) await unlink(this.path).catch(() => undefined);
  }
}

async function readOwner(path: string): Promise<{ owner?: LockOwner; text?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const r = lockSchema.safeParse(JSON.parse(text));
    return r.success ? { owner: r.data, text } : { text };
  } catch {
    return { text };
  }
}
