// Shared by bench/sandbox.ts and its unprivileged child: the host trees a build mounts
// read-write (pkgsrc, packages, bulklog, distfiles, each with a canary), the default spec, and
// the mksandbox-style shell script that is the baseline.
import { mkdirSync, writeFileSync } from 'node:fs';
import { defaultSpec, MKSANDBOX_RO_DIRS } from '../../src/engine/sandbox/plan';
import type { SandboxSpec } from '../../src/engine/sandbox/types';

export const RW_NAMES = ['pkgsrc', 'packages', 'bulklog', 'distfiles'] as const;

export function makeHostDirs(dir: string): string[] {
  return RW_NAMES.map((n) => {
    const d = `${dir}/${n}`;
    mkdirSync(d, { recursive: true });
    writeFileSync(`${d}/CANARY`, 'must survive\n');
    return d;
  });
}

export function benchSpec(root: string, rw: string[]): SandboxSpec {
  return defaultSpec(root, { pkgsrc: rw[0], packages: rw[1], bulklog: rw[2], distdir: rw[3], prefix: '/usr/pkg', pkgdb: '/usr/pkg/pkgdb' });
}

/**
 * What mksandbox 1.0 does on Linux plus the usual delete wrapper, as one sh script taking the
 * sandbox dir: each existing read-only dir bound with its own `mount --bind -r` (symlinked ones
 * like /bin too, as mksandbox does), the rw dirs, /proc, /dev, /etc copied with tar as mksandbox
 * copies it, the tmp and var dirs; then `umount` one by one in reverse, a mountinfo check (what
 * the tutorial's rmsandbox does with `mount -v | grep`), and `rm -rf`.
 * Paths are passed as arguments, never pasted into the script.
 */
export const BASELINE_SCRIPT = `set -e
sb=$1; shift
mounts=""
for d in "$@"; do
  case $d in ro:*) src=\${d#ro:}; opt=-r ;; rw:*) src=\${d#rw:}; opt= ;; esac
  [ -d "$src" ] || continue
  mkdir -p "$sb$src"
  mount --bind $opt "$src" "$sb$src"
  mounts="$sb$src $mounts"
done
mkdir -p "$sb/proc" "$sb/dev" "$sb/etc"
mount -t proc proc "$sb/proc"; mounts="$sb/proc $mounts"
mount --bind /dev "$sb/dev"; mounts="$sb/dev $mounts"
(cd /etc && tar cf - .) | (cd "$sb/etc" && tar xpf -)
mkdir -p "$sb/tmp" "$sb/var/tmp" "$sb/var/run" "$sb/var/log" "$sb/var/spool/lock" "$sb/usr/pkg/pkgdb"
chmod 1777 "$sb/tmp" "$sb/var/tmp"
for m in $mounts; do umount "$m"; done
if grep -q " $sb/" /proc/self/mountinfo; then echo "still mounted below $sb" >&2; exit 1; fi
rm -rf "$sb"
`;

export function baselineArgs(sb: string, rw: string[]): string[] {
  return ['-c', BASELINE_SCRIPT, 'sh', sb, ...MKSANDBOX_RO_DIRS.map((d) => `ro:${d}`), ...rw.map((d) => `rw:${d}`)];
}
