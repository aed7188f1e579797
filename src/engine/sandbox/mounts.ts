// Making and removing the host-visible mounts of a chroot sandbox. All mounts of a sandbox are
// made by one `mount -a` over a generated fstab (one process instead of one or two per mount,
// as mksandbox does), each is then checked in /proc/self/mountinfo, read-only ones for the
// kernel's `ro` flag. Overlay paths an option list cannot carry fall back to one `mount` per
// entry, still with argument arrays.
import { writeFile } from 'node:fs/promises';
import { loadExeca } from '../execa';
import type { PlannedMount } from './layout';
import { SandboxError } from './errors';
import { hostPath } from './paths';
import { describeMount, escapeMountPath, isReadOnly, mountsUnder, readMountinfo, unmountOrder, type MountEntry } from './mountinfo';
import { requireTool } from './tools';

/** Characters an overlay option list carries unescaped (its paths are separated by ',' and ':'). */
const PLAIN = /^[A-Za-z0-9._/+@%=~-]+$/;

function fstabLine(root: string, m: PlannedMount, devRbind: boolean, recursive: boolean): string {
  const target = escapeMountPath(hostPath(root, m.target));
  switch (m.type) {
    case 'proc':
      return `proc ${target} proc nosuid,nodev,noexec 0 0`;
    case 'overlay': {
      const o = m.overlay!;
      return `overlay ${target} overlay lowerdir=${o.lower},upperdir=${o.upper},workdir=${o.work} 0 0`;
    }
    case 'bind': {
      const bind = recursive || (devRbind && m.source === '/dev') ? 'rbind' : 'bind';
      return `${escapeMountPath(m.source)} ${target} none ${m.ro ? `${bind},ro` : bind} 0 0`;
    }
    case 'tmpfs':
      return `tmpfs ${target} tmpfs ${tmpfsOptions(m)} 0 0`;
  }
}

/** A private work directory: its size, its top directory's mode and owner, nothing setuid or device-like. */
function tmpfsOptions(m: PlannedMount): string {
  const t = m.tmpfs!;
  return `size=${t.bytes},mode=${t.mode.toString(8).padStart(4, '0')},uid=${t.uid},gid=${t.gid},nosuid,nodev`;
}

/**
 * The mounts as an fstab for one `mount --all --fstab` run. Paths are escaped as fstab wants
 * (\040 for a space ...); null when an overlay's option list cannot carry its paths.
 * `devRbind`: /dev with its submounts (for a namespace, which cannot mount a devtmpfs of its own).
 * `recursive`: every bind with its submounts. A user namespace must: the kernel refuses a plain
 * bind of a directory with mounts under it that the namespace did not make (e.g. /run with
 * /run/netns once `ip netns add` has run), since that would uncover what they hide. Read-only
 * then applies to the bound directory itself; mounts below it keep their own flags, which an
 * unprivileged user can write no more than on the host.
 */
export function fstabText(root: string, mounts: PlannedMount[], devRbind = false, recursive = false): string | null {
  const overlayPaths = mounts.flatMap((m) => (m.overlay ? [m.overlay.lower, m.overlay.upper, m.overlay.work] : []));
  if (!overlayPaths.every((p) => PLAIN.test(p))) return null;
  return mounts.map((m) => fstabLine(root, m, devRbind, recursive)).join('\n') + '\n';
}

/** The argument arrays mounting m one at a time (used when fstab cannot carry the paths). */
function mountArgv(root: string, m: PlannedMount): string[][] {
  const target = hostPath(root, m.target);
  switch (m.type) {
    case 'proc':
      return [['-t', 'proc', '-o', 'nosuid,nodev,noexec', 'proc', target]];
    case 'overlay': {
      const o = m.overlay!;
      return [['-t', 'overlay', '-o', `lowerdir=${o.lower},upperdir=${o.upper},workdir=${o.work}`, 'overlay', target]];
    }
    case 'bind':
      return m.ro
        ? [
            ['--bind', m.source, target],
            ['-o', 'remount,bind,ro', target],
          ]
        : [['--bind', m.source, target]];
    case 'tmpfs':
      return [['-t', 'tmpfs', '-o', tmpfsOptions(m), 'tmpfs', target]];
  }
}

/**
 * Mounts the list in order. `fstabPath` is a private file for the batch. Throws
 * SandboxError('mount-failed') naming every mount that is missing or not read-only; whatever
 * did get mounted stays for the caller's teardown (which reads mountinfo, not this list).
 */
export async function mountAll(root: string, mounts: PlannedMount[], fstabPath: string): Promise<void> {
  if (mounts.length === 0) return;
  const mount = requireTool('mount', 'to mount the sandbox');
  let stderr = '';
  const fstab = fstabText(root, mounts);
  if (fstab !== null) {
    await writeFile(fstabPath, fstab);
    const r = await (
      await loadExeca()
    ).execa(mount, ['--all', '--fstab', fstabPath], {
      reject: false,
      stdin: 'ignore',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      extendEnv: false,
    });
    stderr = `${r.stderr}`;
  } else {
    for (const m of mounts) {
      for (const argv of mountArgv(root, m)) {
        const r = await (await loadExeca()).execa(mount, argv, { reject: false, stdin: 'ignore', env: { LC_ALL: 'C' }, extendEnv: false });
        if (r.exitCode !== 0) {
          stderr += `${r.stderr}\n`;
          break;
        }
      }
      if (stderr) break; // later mounts may sit on this one; stop like mksandbox does
    }
  }
  const bad = checkMounted(root, mounts, await readMountinfo());
  if (bad.length > 0) {
    throw new SandboxError('mount-failed', `could not mount sandbox ${root}:\n  ${bad.join('\n  ')}${stderr.trim() ? `\nmount said: ${stderr.trim()}` : ''}`);
  }
}

/** What is wrong with the mounts of root compared to the plan (empty when all is right). */
export function checkMounted(root: string, mounts: PlannedMount[], info: MountEntry[]): string[] {
  const under = mountsUnder(info, root);
  const bad: string[] = [];
  for (const m of mounts) {
    const target = hostPath(root, m.target);
    // The last entry for a mount point is the one on top, the one the sandbox sees.
    const e = [...under].reverse().find((x) => x.mountPoint === target);
    if (!e) bad.push(`${m.target}: not mounted (${m.type} of ${m.source})`);
    else if (m.ro && !isReadOnly(e)) bad.push(`${m.target}: asked read-only but the kernel shows it writable: ${describeMount(e)}`);
    else if (m.type === 'proc' && e.fsType !== 'proc') bad.push(`${m.target}: expected proc, found ${e.fsType}`);
    else if (m.type === 'overlay' && e.fsType !== 'overlay') bad.push(`${m.target}: expected overlay, found ${e.fsType}`);
    else if (m.type === 'tmpfs' && e.fsType !== 'tmpfs') bad.push(`${m.target}: expected tmpfs, found ${e.fsType}`);
  }
  return bad;
}

/**
 * Unmounts everything at or below root (deepest and topmost first) in one `umount` run.
 * Returns what is still mounted afterwards (read back from mountinfo), empty on success.
 */
export async function unmountAllUnder(root: string): Promise<{ left: MountEntry[]; stderr: string }> {
  const before = mountsUnder(await readMountinfo(), root);
  if (before.length === 0) return { left: [], stderr: '' };
  const umount = requireTool('umount', 'to unmount the sandbox');
  const targets = unmountOrder(before).map((e) => e.mountPoint);
  const r = await (
    await loadExeca()
  ).execa(umount, ['--no-canonicalize', ...targets], { reject: false, stdin: 'ignore', env: { LC_ALL: 'C' }, extendEnv: false });
  const left = mountsUnder(await readMountinfo(), root);
  return { left, stderr: `${r.stderr}`.trim() };
}
