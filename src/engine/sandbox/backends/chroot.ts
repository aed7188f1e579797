// `chroot` backend (root only): host bind mounts like mksandbox on Linux, entered with
// `unshare --root --wd` (chroot(2) + chdir inside, no namespace), the user switch by setpriv.
// Differences from mksandbox, each for speed without losing what it guarantees: all mounts in
// one `mount -a` run and checked in mountinfo afterwards; /etc is a private copy-on-write
// overlay of one shared snapshot instead of a fresh copy per sandbox (plain copy where overlayfs
// is unavailable).
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import { posix } from 'node:path';
import { loadExeca } from '../../execa';
import type { ExecOptions, ExecResult, SandboxBackend, SandboxSpec } from '../types';
import { SandboxError } from '../errors';
import { hostPath, isInside, mkdirInside } from '../paths';
import { planLayout, type Layout, type PlannedMount } from '../layout';
import { buildSkeleton } from '../skeleton';
import { claimName, defaultWarn, makeRoot, prepareRootAndBase, rollBack, type Warn } from '../lifecycle';
import { mountAll } from '../mounts';
import { OwnedSandbox } from '../owned';
import { privateDirFor, type StateFile } from '../state';
import { OVERLAY_MARKER, SnapshotStore } from '../snapshot';
import { runCommand } from '../exec';
import { findInside, requireTool } from '../tools';
import { lookupUser, setprivArgs } from '../users';

export interface HostBackendOptions {
  /** Directory that holds the sandboxes; defaults to the parent of each spec's root. */
  base?: string;
  warn?: Warn;
  /** Made to be kept (CLI `sandbox create`): owned by no process, removed only by an explicit destroy. */
  persistent?: boolean;
  /** Copied dirs as overlay on a shared snapshot (default) or a full copy per sandbox. */
  copyMode?: 'overlay' | 'copy';
}

/** A sandbox entered by chroot: the chroot backend's, and the command backend's. */
export class ChrootSandbox extends OwnedSandbox {
  async exec(argv: string[], options: ExecOptions): Promise<ExecResult> {
    const cwd = this.checkUsable(options);
    const unshare = requireTool('unshare', 'to run commands inside a chroot sandbox');
    let inner = argv;
    if (options.user !== undefined) {
      const ids = lookupUser(hostPath(this.root, '/etc'), options.user);
      const setpriv = findInside(this.root, ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv']);
      if (!setpriv) throw new SandboxError('missing-tool', `setpriv(1) is not available inside sandbox ${this.root}; it is needed to run as ${options.user}`);
      inner = [...setprivArgs(setpriv, ids), ...argv];
    }
    return runCommand([unshare, `--root=${this.root}`, `--wd=${cwd}`, '--', ...inner], options, { hostCwd: '/', groups: this.groups });
  }
}

export class ChrootBackend implements SandboxBackend {
  readonly name = 'chroot' as const;
  readonly maxSlots = Number.POSITIVE_INFINITY;
  private readonly warn: Warn;
  private readonly snapshots = new Map<string, SnapshotStore>();
  private overlayWorks: Promise<boolean> | undefined;

  constructor(private readonly options: HostBackendOptions = {}) {
    this.warn = options.warn ?? defaultWarn;
  }

  private snapshotStore(base: string): SnapshotStore {
    let s = this.snapshots.get(base);
    if (!s) this.snapshots.set(base, (s = new SnapshotStore(base)));
    return s;
  }

  async create(spec: SandboxSpec): Promise<ChrootSandbox> {
    if (process.getuid?.() !== 0) {
      throw new SandboxError('not-supported', 'the chroot backend needs root (it bind-mounts host directories); as a normal user use the namespace backend');
    }
    const { root, base } = await prepareRootAndBase(spec.root, spec.base ?? this.options.base);
    const layout = planLayout(spec, root, { createMissingRw: true, tmpfs: true });
    for (const n of layout.notes) if (!n.includes('does not exist here')) this.warn(n);
    const state = await claimName({ root, base, backend: 'chroot', persistent: this.options.persistent ?? false, warn: this.warn });
    const sandbox = new ChrootSandbox('chroot', root, state, this.warn);
    try {
      await this.fill(sandbox, state, spec, layout, root, base);
      return sandbox;
    } catch (e) {
      await rollBack(state, root, e, this.warn);
      throw e;
    }
  }

  private async fill(sandbox: ChrootSandbox, state: StateFile, spec: SandboxSpec, layout: Layout, root: string, base: string): Promise<void> {
    await makeRoot(state, root);
    const priv = privateDirFor(root);
    await mkdir(priv, { mode: 0o700 });
    await state.append([{ kind: 'private' }]);

    const mounts: PlannedMount[] = [...layout.mounts];
    const copies: { source: string; snapshot: string }[] = [];
    const store = this.snapshotStore(base);
    for (const c of layout.copies) {
      const snap = await store.get(c);
      await state.append([{ kind: 'snapshot', path: snap }]);
      copies.push({ source: c, snapshot: snap });
    }
    for (const w of store.warnings.splice(0)) this.warn(w);
    const useOverlay = copies.length > 0 && this.options.copyMode !== 'copy' && (await this.overlaySupported(state, priv, copies[0]!.snapshot));
    copies.forEach((c, i) => {
      if (!useOverlay) return;
      const upper = `${priv}/copy-${i}/upper`;
      const work = `${priv}/copy-${i}/work`;
      mounts.push({ type: 'overlay', source: 'overlay', target: c.source, ro: false, overlay: { lower: c.snapshot, upper, work } });
    });
    const ordered = sortMounts(mounts);
    await buildSkeleton(root, layout, ordered);
    for (let i = 0; i < copies.length; i++) {
      const c = copies[i]!;
      await mkdirInside(root, c.source, (await stat(c.snapshot)).mode & 0o7777);
      if (useOverlay) {
        await mkdir(`${priv}/copy-${i}/upper`, { recursive: true, mode: 0o755 });
        await mkdir(`${priv}/copy-${i}/work`, { recursive: true, mode: 0o700 });
      } else {
        await copyTree(c.snapshot, hostPath(root, c.source));
      }
    }
    // Every mount is in the state file before it is made, so a kill at any point leaves a record.
    await state.append(ordered.map((m) => ({ kind: 'mount' as const, target: hostPath(root, m.target), source: m.source, type: m.type, ro: m.ro })));
    await mountAll(root, ordered, `${priv}/fstab`);
    await state.append([{ kind: 'mounted' }]);
    if (spec.bootstrapKit) await unpackBootstrap(sandbox, spec.bootstrapKit, await sameInside(root, spec.bootstrapKit));
  }

  /** One real overlay mount + unmount per backend instance decides between overlay and copy. */
  private overlaySupported(state: StateFile, priv: string, lower: string): Promise<boolean> {
    // Sandboxes created at once wait for the first one's answer.
    return (this.overlayWorks ??= this.probeOverlay(state, priv, lower));
  }

  private async probeOverlay(state: StateFile, priv: string, lower: string): Promise<boolean> {
    // A probe that worked once for this base and kernel is remembered beside the snapshots.
    const marker = posix.join(posix.dirname(lower), OVERLAY_MARKER);
    try {
      if ((await readFile(marker, 'utf8')) === release()) return true;
    } catch {
      // not probed yet
    }
    const probe = `${priv}/probe`;
    await state.append([{ kind: 'mount', target: `${probe}/mnt`, source: 'overlay', type: 'overlay', ro: false }]);
    await mkdir(`${probe}/upper`, { recursive: true });
    await mkdir(`${probe}/work`, { recursive: true });
    await mkdir(`${probe}/mnt`, { recursive: true });
    const mount = requireTool('mount', 'to mount the sandbox');
    const umount = requireTool('umount', 'to unmount the sandbox');
    const r = await (
      await loadExeca()
    ).execa(mount, ['-t', 'overlay', '-o', `lowerdir=${lower},upperdir=${probe}/upper,workdir=${probe}/work`, 'overlay', `${probe}/mnt`], {
      reject: false,
      stdin: 'ignore',
    });
    if (r.exitCode === 0) await (await loadExeca()).execa(umount, [`${probe}/mnt`], { reject: false, stdin: 'ignore' });
    if (r.exitCode === 0) {
      await writeFile(marker, release()).catch(() => undefined);
      return true;
    }
    this.warn(`overlayfs is not usable here (${String(r.stderr).trim()}); /etc is copied into each sandbox instead`);
    return false;
  }
}

function sortMounts(mounts: PlannedMount[]): PlannedMount[] {
  return [...mounts].sort((a, b) => {
    if (isInside(a.target, b.target) && a.target !== b.target) return -1;
    if (isInside(b.target, a.target) && a.target !== b.target) return 1;
    return a.target < b.target ? -1 : a.target > b.target ? 1 : 0;
  });
}

async function copyTree(from: string, to: string): Promise<void> {
  const cp = requireTool('cp', 'to copy into the sandbox');
  const r = await (await loadExeca()).execa(cp, ['-a', '--', `${from}/.`, to], { reject: false, stdin: 'ignore', env: { LC_ALL: 'C' }, extendEnv: false });
  if (r.exitCode !== 0) throw new SandboxError('bad-spec', `copying ${from} into ${to} failed: ${String(r.stderr).trim()}`);
}

/** Whether host path p is the same file at the same path inside (through the mounts made on the host). */
export async function sameInside(root: string, p: string): Promise<boolean> {
  try {
    const [a, b] = await Promise.all([stat(p), stat(hostPath(root, p))]);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/**
 * Unpacks the bootstrap kit inside the sandbox with its own tar, so absolute symlinks in the
 * kit resolve inside the sandbox, not on the host. A kit not visible inside is copied to /tmp first.
 */
export async function unpackBootstrap(sandbox: { root: string; exec: ChrootSandbox['exec'] }, kit: string, visible: boolean): Promise<void> {
  let st;
  try {
    st = await stat(kit);
  } catch {
    throw new SandboxError('bad-spec', `bootstrap kit ${kit} does not exist`);
  }
  let inside = kit;
  if (!visible) {
    if (st.isDirectory())
      throw new SandboxError('bad-spec', `bootstrap kit directory ${kit} is not visible inside the sandbox (put it in a mounted directory)`);
    inside = `/tmp/.pkgsrc-bulk-bootstrap${posix.extname(kit) || '.tar'}`;
    await mkdirInside(sandbox.root, '/tmp', 0o1777);
    const cp = requireTool('cp', 'to copy the bootstrap kit');
    await (await loadExeca()).execa(cp, ['--', kit, hostPath(sandbox.root, inside)], { stdin: 'ignore' });
  }
  const argv = st.isDirectory() ? ['cp', '-a', `${inside}/.`, '/'] : ['tar', '-xpf', inside, '-C', '/'];
  const r = await sandbox.exec(argv, { env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LC_ALL: 'C' }, cwd: '/', capture: true });
  if (!visible) await unlink(hostPath(sandbox.root, inside)).catch(() => undefined);
  if (r.exitCode !== 0)
    throw new SandboxError(
      'bad-spec',
      `unpacking bootstrap kit ${kit} in ${sandbox.root} failed (exit ${r.exitCode ?? r.signal}): ${(r.stderr ?? '').trim().slice(0, 2000)}`,
    );
}
