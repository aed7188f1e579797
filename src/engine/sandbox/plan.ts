// Where sandboxes go, how many, which backend, and what the default one holds. Takes plain
// values (the engine passes what it read from pbulk.conf, plus engine settings / CLI flags),
// so it knows nothing about how pbulk.conf is parsed.
import { posix } from 'node:path';
import type { BackendName, PrivateDir, SandboxSpec } from './types';
import { SandboxError } from './errors';
import { checkAbsolute } from './paths';

export interface PlanInput {
  /** pbulk.conf chroot_dir: sandboxes are `<chroot_dir>-scan-N` and `<chroot_dir>-build-N`. */
  chrootDir?: string;
  /** pbulk.conf build_chroots / scan_chroots, and scan_procs (used when scan_chroots is unset). */
  buildChroots?: number;
  scanChroots?: number;
  scanProcs?: number;
  /** pbulk.conf chroot_create / chroot_delete: their presence selects the command backend. */
  chrootCreate?: string;
  chrootDelete?: string;
  /** A setting or CLI flag naming the backend; wins over the default. */
  backend?: BackendName;
  /** Settings / CLI flags overriding the counts. */
  buildSlots?: number;
  scanSlots?: number;
  /** A setting naming the directory for the sandboxes instead of chroot_dir's parent. */
  base?: string;
  /** Defaults to the engine's own uid. */
  uid?: number;
}

export interface SandboxPlan {
  backend: BackendName;
  /** Directory holding the sandboxes and their state files (null for `none`). */
  base: string | null;
  scanRoots: string[];
  buildRoots: string[];
  /** Why this backend, for logs and the status view. */
  reason: string;
  warnings: string[];
}

/** More slots than this is a typo, not a machine. */
const MAX_SLOTS = 256;

function count(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_SLOTS) {
    throw new SandboxError('bad-spec', `${what} must be a whole number from 1 to ${MAX_SLOTS}, got ${value}`);
  }
  return value;
}

export function planSandboxes(input: PlanInput): SandboxPlan {
  const warnings: string[] = [];
  const uid = input.uid ?? process.getuid?.() ?? 0;
  let backend: BackendName;
  let reason: string;
  if (input.backend) {
    backend = input.backend;
    reason = 'chosen by setting';
  } else if (!input.chrootDir) {
    backend = 'none';
    reason = 'pbulk.conf sets no chroot_dir';
  } else if (input.chrootCreate || input.chrootDelete) {
    backend = 'command';
    reason = 'pbulk.conf sets chroot_create/chroot_delete';
  } else if (uid === 0) {
    backend = 'chroot';
    reason = 'chroot_dir is set and the engine runs as root';
  } else {
    backend = 'namespace';
    reason = 'chroot_dir is set and the engine runs as a normal user';
  }
  if (backend === 'command' && !input.chrootCreate) {
    throw new SandboxError('bad-spec', 'the command backend needs chroot_create (and usually chroot_delete) in pbulk.conf');
  }
  if (backend === 'command' && !input.chrootDelete) warnings.push('chroot_delete is not set: sandboxes are removed by pkgsrc-bulk alone');

  const build = count(input.buildSlots, 'build slots') ?? count(input.buildChroots, 'build_chroots') ?? 1;
  const scan = count(input.scanSlots, 'scan slots') ?? count(input.scanChroots, 'scan_chroots') ?? count(input.scanProcs, 'scan_procs') ?? 1;
  if (backend === 'none') {
    if (build > 1) warnings.push('without sandboxes packages are built one at a time on the host (scans still run in parallel)');
    return { backend, base: null, scanRoots: ['/'], buildRoots: ['/'], reason, warnings };
  }
  if (!input.chrootDir && !input.base) throw new SandboxError('bad-spec', `the ${backend} backend needs chroot_dir: the path prefix for the sandboxes`);
  const given = input.chrootDir ? checkAbsolute(input.chrootDir, 'chroot_dir') : undefined;
  const base = input.base ? checkAbsolute(input.base, 'sandbox base') : posix.dirname(given!);
  const dir = posix.join(base, given ? posix.basename(given) : 'pkgsrc-bulk');
  if (base === '/')
    throw new SandboxError('bad-spec', `chroot_dir=${dir} would put sandboxes directly in '/': use a directory of their own, e.g. /chroot${dir}`);
  const names = (kind: string, n: number) => Array.from({ length: n }, (_v, i) => `${dir}-${kind}-${i + 1}`);
  return { backend, base, scanRoots: names('scan', scan), buildRoots: names('build', build), reason, warnings };
}

/**
 * Where the builds of a configuration put their sandboxes: the sandboxBase setting, else the
 * directory chroot_dir names them in; null when they make none. Builds, `sandbox list|cleanup`
 * and the cleanup request all look here.
 */
export function sandboxBaseFor(sandboxBase: string | undefined, chrootDir: string | undefined): string | null {
  if (sandboxBase) return posix.normalize(sandboxBase);
  return chrootDir ? posix.dirname(posix.normalize(chrootDir)) : null;
}

/** What the default sandbox holds besides the system: pbulk.conf's directories. */
export interface DefaultSpecInput {
  /** Read-write at the same path inside: pkgsrc, bulklog, packages, DISTDIR, LOCALPATCHES. */
  pkgsrc?: string;
  bulklog?: string;
  packages?: string;
  distdir?: string;
  localPatches?: string;
  /** Created inside: LOCALBASE and PKG_DBDIR (pbulk.conf prefix and pkgdb), and varbase. */
  prefix?: string;
  pkgdb?: string;
  varbase?: string;
  bootstrapKit?: string;
  extraRo?: string[];
  extraRw?: string[];
  /** Leave out /usr/X11R7 (mksandbox --without-x). */
  withoutX?: boolean;
  base?: string;
  /** Each sandbox's own directories (the tree's WRKOBJDIR). */
  privateDirs?: PrivateDir[];
}

/**
 * mksandbox's read-only set on Linux (the 2016 revision: /lib64, /usr/lib64, /usr/kerberos
 * and /run added); missing ones are skipped at create, and on a merged-/usr system the links
 * /bin, /lib, /lib64, /sbin are recreated as links instead of mounted twice.
 */
export const MKSANDBOX_RO_DIRS = [
  '/bin',
  '/sbin',
  '/lib',
  '/libexec',
  '/usr/X11R7',
  '/usr/bin',
  '/usr/games',
  '/usr/include',
  '/usr/lib',
  '/usr/libdata',
  '/usr/libexec',
  '/usr/lkm',
  '/usr/share',
  '/usr/sbin',
  '/var/mail',
  '/lib64',
  '/usr/lib64',
  '/usr/kerberos',
  '/run',
];

export function defaultSpec(root: string, input: DefaultSpecInput = {}): SandboxSpec {
  const ro = MKSANDBOX_RO_DIRS.filter((d) => !(input.withoutX && d === '/usr/X11R7'));
  const rw = [input.pkgsrc, input.bulklog, input.packages, input.distdir, input.localPatches, ...(input.extraRw ?? [])].filter(
    (d): d is string => typeof d === 'string' && d !== '',
  );
  const varbase = input.varbase ?? '/var';
  const createDirs = [
    { path: '/tmp', mode: 0o1777 },
    { path: `${varbase}/tmp`, mode: 0o1777 },
    { path: `${varbase}/games`, mode: 0o2775 },
    { path: `${varbase}/run`, mode: 0o755 },
    { path: `${varbase}/log`, mode: 0o755 },
    { path: `${varbase}/spool/lock`, mode: 0o755 },
    { path: `${varbase}/spool/mqueue`, mode: 0o755 },
    ...(input.prefix ? [{ path: input.prefix, mode: 0o755 }] : []),
    ...(input.pkgdb ? [{ path: input.pkgdb, mode: 0o755 }] : []),
  ];
  return {
    root,
    ...(input.base ? { base: input.base } : {}),
    roDirs: [...ro, ...(input.extraRo ?? [])],
    rwDirs: [...new Set(rw)],
    copyDirs: ['/etc'],
    createDirs,
    dev: true,
    proc: true,
    ...(input.bootstrapKit ? { bootstrapKit: input.bootstrapKit } : {}),
    ...(input.privateDirs?.length ? { privateDirs: input.privateDirs } : {}),
  };
}
