// Shared read-only snapshots of copied host dirs (/etc). mksandbox copies /etc into every
// sandbox (most of its ~430 ms); here one copy per distinct content is kept in the base and
// each sandbox gets a private writable view of it (overlayfs: writes such as a build's useradd
// land in the sandbox's own upper layer) or, where that is impossible, a real copy.
// Snapshots are never modified after they are complete, which overlayfs requires of a lower layer.
import { lstat, mkdir, readdir, rename, rmdir, stat, symlink, unlink } from 'node:fs/promises';
import { lstatSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { loadExeca } from '../execa';
import { SandboxError, errnoCode } from './errors';
import { processStartTime } from './procs';
import { removeTree } from './remove';
import { requireTool } from './tools';

const SNAPSHOT_DIR = '.pkgsrc-bulk-snapshots';
/** In SNAPSHOT_DIR: the kernel release for which overlayfs over these snapshots was seen to work. */
export const OVERLAY_MARKER = '.overlay-works';

/**
 * Cheap content key: every entry's path, type, mode, owner, size, inode and times. Synchronous
 * lstat calls: for /etc's ~1,000 entries that is a few ms, against far more through the thread pool.
 */
function fingerprint(source: string): string {
  const h = createHash('sha256');
  const walk = (dir: string, rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      h.update(`!${rel}:${errnoCode(e)}\n`);
      return;
    }
    for (const n of names) {
      const p = `${dir}/${n}`;
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      h.update(`${rel}/${n}\0${st.mode}\0${st.uid}\0${st.gid}\0${st.size}\0${st.ino}\0${st.mtimeMs}\0${st.ctimeMs}\n`);
      if (st.isDirectory()) walk(p, `${rel}/${n}`);
    }
  };
  walk(source, '');
  return h.digest('hex').slice(0, 16);
}

export class SnapshotStore {
  private readonly memo = new Map<string, Promise<string>>();
  /** Set when copying skipped unreadable entries (non-root copying /etc/shadow, ...). */
  readonly warnings: string[] = [];

  constructor(readonly base: string) {}

  get dir(): string {
    return posix.join(this.base, SNAPSHOT_DIR);
  }

  /** A complete snapshot of source (made now, or an identical one reused). Memoised per store. */
  get(source: string): Promise<string> {
    let p = this.memo.get(source);
    if (!p) {
      p = this.make(source);
      p.catch(() => this.memo.delete(source));
      this.memo.set(source, p);
    }
    return p;
  }

  private async make(source: string, attempt = 1): Promise<string> {
    const key = `${source.replace(/^\//, '').replace(/[^A-Za-z0-9._-]/g, '_') || 'root'}-${fingerprint(source)}`;
    const final = posix.join(this.dir, key);
    try {
      if ((await stat(final)).isDirectory()) return final;
    } catch {
      // not made yet
    }
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    const tmp = `${final}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await mkdir(tmp, { mode: 0o755 });
    const cp = requireTool('cp', 'to copy /etc into the sandbox');
    const r = await (await loadExeca()).execa(cp, ['-a', '--', `${source}/.`, tmp], { reject: false, stdin: 'ignore', env: { LC_ALL: 'C' }, extendEnv: false });
    if (r.exitCode !== 0) {
      const lines = String(r.stderr).trim().split('\n');
      // Files that vanished during the copy (useradd swapping /etc/passwd+ in): /etc was
      // changing under us; take a fresh snapshot of the new state.
      if (attempt < 3 && lines.every((l) => /No such file or directory/.test(l))) {
        await removeTree(tmp, this.base);
        return this.make(source, attempt + 1);
      }
      if (process.getuid?.() === 0) {
        await removeTree(tmp, this.base).catch(() => undefined);
        throw new SandboxError('bad-spec', `copying ${source} failed: ${String(r.stderr).trim()}`);
      }
      this.warnings.push(
        `copy of ${source}: ${lines.length} entr${lines.length === 1 ? 'y' : 'ies'} unreadable to this user were left out (first: ${lines[0]})`,
      );
    }
    if (source === '/etc') await setUtc(tmp);
    try {
      await rename(tmp, final);
    } catch (e) {
      // Someone made the same snapshot meanwhile: use theirs.
      if (errnoCode(e) !== 'ENOTEMPTY' && errnoCode(e) !== 'EEXIST') throw e;
      await removeTree(tmp, this.base);
    }
    return final;
  }
}

/** mksandbox sets the sandbox's clock to GMT; builds then log times independent of the host zone. */
async function setUtc(etc: string): Promise<void> {
  for (const zone of ['/usr/share/zoneinfo/UTC', '/usr/share/zoneinfo/GMT']) {
    try {
      await stat(zone);
    } catch {
      continue;
    }
    await unlink(`${etc}/localtime`).catch(() => undefined);
    await symlink(zone, `${etc}/localtime`);
    return;
  }
}

/** Snapshot dirs of the base and temporary ones left by dead processes. */
export async function listSnapshots(base: string): Promise<{ path: string; temp: boolean; deadTemp: boolean; mtimeMs: number }[]> {
  const dir = posix.join(base, SNAPSHOT_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out = [];
  for (const n of names) {
    if (n.startsWith('.')) continue; // the overlay marker, not a snapshot
    const p = posix.join(dir, n);
    const m = /\.tmp-(\d+)-[0-9a-f]+$/.exec(n);
    let mtimeMs = 0;
    try {
      mtimeMs = (await lstat(p)).mtimeMs;
    } catch {
      continue;
    }
    out.push({ path: p, temp: m !== null, deadTemp: m !== null && processStartTime(Number(m[1])) === null, mtimeMs });
  }
  return out;
}

/** Removes the snapshot dir itself once it is empty (after the last snapshot went). */
export async function removeSnapshotDirIfEmpty(base: string): Promise<void> {
  await rmdir(posix.join(base, SNAPSHOT_DIR)).catch(() => undefined);
}
