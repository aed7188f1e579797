// Deleting a sandbox tree without ever reaching a host file. `rm -rf` walks by path, so a bind
// mount that is still there (or appears meanwhile) leads it straight into the host's pkgsrc or
// packages, and a bind mount from the same disk even has the same st_dev. Here every directory
// is opened without following symlinks and checked by its mount id (/proc/self/fdinfo), then
// listed and emptied through that very descriptor (/proc/self/fd/N/...), so the walk stays on
// the one mount it started on no matter what gets mounted or swapped while it runs.
import { chmodSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, readFileSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { SandboxError, errnoCode } from './errors';
import { checkAbsolute, checkNoSymlinks, isStrictlyInside } from './paths';
import { describeMount, mountsUnder, readMountinfo } from './mountinfo';

const O_DIR = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const isRoot = process.getuid?.() === 0;
/** Entries removed between two yields to the event loop (the calls are synchronous: no thread-pool hop per file). */
const BATCH = 256;

export interface RemoveResult {
  /** Entries deleted (files, links and directories, the top one included). */
  removed: number;
}

function mountIdOf(fd: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  } catch (e) {
    throw new SandboxError('not-supported', `cannot read /proc/self/fdinfo/${fd} (${errnoCode(e)}): /proc is needed to delete sandboxes safely`);
  }
  const m = /^mnt_id:\s*(\d+)/m.exec(text);
  if (!m) throw new SandboxError('not-supported', `/proc/self/fdinfo/${fd} has no mnt_id (kernel older than 3.15?): refusing to delete without it`);
  return Number(m[1]);
}

/** Opens a directory entry through its parent descriptor, never following a symlink. */
function openDirAt(parentFd: number, name: string, label: string, canChmod: boolean): number {
  const p = `/proc/self/fd/${parentFd}/${name}`;
  try {
    return openSync(p, O_DIR);
  } catch (e) {
    // A directory the build made unreadable (mode 0 or 0300): only the owner case can fix that.
    if (canChmod && errnoCode(e) === 'EACCES') {
      // Only for a tree owned by this (unprivileged) user: the worst a race could do is chmod
      // another file of the same user.
      chmodSync(p, 0o700);
      return openSync(p, O_DIR);
    }
    if (errnoCode(e) === 'ELOOP' || errnoCode(e) === 'ENOTDIR') {
      throw new SandboxError('unsafe-path', `${label} changed into a symlink or file while it was being deleted; stopped`);
    }
    throw e;
  }
}

/**
 * Deletes dir and everything below it. Refuses (SandboxError 'busy' / 'unsafe-path', nothing
 * deleted past that point) when: dir is not strictly inside `within`, a component of its parent
 * path is a symlink, /proc/self/mountinfo shows anything mounted at or below it, or the walk
 * meets a directory on another mount or device.
 */
export async function removeTree(dir: string, within: string): Promise<RemoveResult> {
  const d = checkAbsolute(dir, 'directory to delete');
  const w = checkAbsolute(within, 'sandbox base');
  if (!isStrictlyInside(w, d)) throw new SandboxError('unsafe-path', `refusing to delete ${d}: it is not inside the sandbox base ${w}`);
  let top;
  try {
    top = lstatSync(d);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return { removed: 0 };
    throw e;
  }
  const parent = posix.dirname(d);
  await checkNoSymlinks(parent, 'parent of the directory to delete');
  if (!top.isDirectory()) {
    unlinkSync(d); // a file or a symlink in our own slot; unlink never follows it
    return { removed: 1 };
  }
  const left = mountsUnder(await readMountinfo(), d);
  if (left.length > 0) {
    throw new SandboxError('busy', `refusing to delete ${d}: still mounted below it:\n  ${left.map(describeMount).join('\n  ')}`);
  }
  const parentFd = openSync(parent, O_DIR);
  try {
    const parentMnt = mountIdOf(parentFd);
    const fd = openDirAt(parentFd, posix.basename(d), d, !isRoot);
    let removed = 0;
    try {
      const st = fstatSync(fd);
      const mnt = mountIdOf(fd);
      if (mnt !== parentMnt) throw new SandboxError('busy', `refusing to delete ${d}: it is itself a mount point (mount id ${mnt})`);
      const walker = new Walker(st.dev, mnt, !isRoot && st.uid === process.getuid?.());
      await walker.clear(fd, d);
      removed = walker.removed;
    } finally {
      closeSync(fd);
    }
    rmdirSync(`/proc/self/fd/${parentFd}/${posix.basename(d)}`);
    return { removed: removed + 1 };
  } finally {
    closeSync(parentFd);
  }
}

/**
 * The walk stays where it started: the same device (st_dev; a btrfs subvolume or another file
 * system mounted below) and the same mount (a bind mount of the same disk has the same st_dev).
 */
export function checkSameFileSystem(entry: string, start: { dev: number; mnt: number }, here: { dev: number; mnt: number }): void {
  if (here.dev !== start.dev) {
    throw new SandboxError('busy', `refusing to delete ${entry}: it is on another file system (device ${here.dev}, expected ${start.dev})`);
  }
  if (here.mnt !== start.mnt) {
    throw new SandboxError('busy', `refusing to delete ${entry}: it is a mount point (mount id ${here.mnt}, expected ${start.mnt})`);
  }
}

class Walker {
  removed = 0;
  constructor(
    private readonly dev: number,
    private readonly mnt: number,
    private readonly canChmod: boolean,
  ) {}

  async clear(fd: number, label: string): Promise<void> {
    const here = `/proc/self/fd/${fd}`;
    let names: string[];
    try {
      names = readdirSync(here);
    } catch (e) {
      if (!this.canChmod || errnoCode(e) !== 'EACCES') throw e;
      fchmodSync(fd, 0o700);
      names = readdirSync(here);
    }
    for (const name of names) {
      const p = `${here}/${name}`;
      const entry = `${label}/${name}`;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        // Opening is harmless (read-only, no symlink followed); the open descriptor is what gets
        // checked and then emptied, so nothing mounted or swapped in after the check is reached.
        const child = openDirAt(fd, name, entry, this.canChmod);
        try {
          checkSameFileSystem(entry, { dev: this.dev, mnt: this.mnt }, { dev: fstatSync(child).dev, mnt: mountIdOf(child) });
          await this.clear(child, entry);
        } finally {
          closeSync(child);
        }
        try {
          this.retryWritable(fd, () => rmdirSync(p));
        } catch (e) {
          // Something got mounted on it while we emptied the directory below.
          if (errnoCode(e) === 'EBUSY') throw new SandboxError('busy', `refusing to go on deleting ${label}: ${entry} became a mount point`);
          throw e;
        }
      } else {
        this.retryWritable(fd, () => unlinkSync(p));
      }
      if (++this.removed % BATCH === 0) await new Promise((r) => setImmediate(r));
    }
  }

  /** A directory the build made read-only (0555) blocks deleting its entries unless we are root. */
  private retryWritable(dirFd: number, op: () => void): void {
    try {
      op();
    } catch (e) {
      if (!this.canChmod || (errnoCode(e) !== 'EACCES' && errnoCode(e) !== 'EPERM')) throw e;
      fchmodSync(dirFd, 0o700);
      op();
    }
  }
}
