// `namespace` backend: rootless. The root is a plain directory owned by the user holding what
// must persist between commands (tmp, prefix, pkgdb, /etc); every exec builds the mount set
// afresh in a new user + mount + pid namespace, so the mounts exist only inside and vanish
// with the command, and nothing can ever be left mounted on the host. bubblewrap does it in one
// process; unshare(1) is the fallback (one `mount --all` from the sandbox's fstab inside the new
// namespaces, then chroot), with the user mapped to root inside, since unshare alone cannot map
// anything else.
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { ExecOptions, ExecResult, SandboxBackend, SandboxSpec } from '../types';
import { SandboxError } from '../errors';
import { hostPath, isInside, mkdirInside } from '../paths';
import { coveringMount, planLayout, sourceOf, type PlannedMount } from '../layout';
import { buildSkeleton } from '../skeleton';
import { claimName, defaultWarn, makeRoot, prepareRootAndBase, rollBack, type Warn } from '../lifecycle';
import { OwnedSandbox } from '../owned';
import { privateDirFor, type StateFile } from '../state';
import { fstabText } from '../mounts';
import { SnapshotStore } from '../snapshot';
import { runCommand } from '../exec';
import { findInside, findTool } from '../tools';
import { lookupUser, setprivArgs } from '../users';
import { loadExeca } from '../../execa';
import { unpackBootstrap } from './chroot';

export type NamespaceTool = 'bwrap' | 'unshare';

export interface NamespaceBackendOptions {
  base?: string;
  warn?: Warn;
  persistent?: boolean;
  /** Force one tool; default: bwrap if installed, else unshare. */
  tool?: NamespaceTool;
  /** How tools are found (tests stand in for a host that has neither). */
  lookup?: (name: string) => string | null;
}

/**
 * The unshare fallback, run inside the new namespaces: mount everything from the sandbox's
 * fstab in one `mount --all`, then enter the root. Arguments: mount, fstab, then the command
 * (the inner unshare that chroots, and what it runs).
 */
const ENTER_SCRIPT = 'set -e; "$1" --all --fstab "$2"; shift 2; exec "$@"';

class NamespaceSandbox extends OwnedSandbox {
  constructor(
    root: string,
    state: StateFile,
    warn: Warn,
    private readonly tool: NamespaceTool,
    private readonly toolPath: string,
    private readonly mounts: PlannedMount[],
    /** unshare fallback: the fstab its namespaces mount from. */
    private readonly fstab: string,
  ) {
    super('namespace', root, state, warn);
  }

  private get privileged(): boolean {
    return process.getuid?.() === 0;
  }

  async exec(argv: string[], options: ExecOptions): Promise<ExecResult> {
    const cwd = this.checkUsable(options);
    let inner = argv;
    if (options.user !== undefined && options.user !== userInfo().username && options.user !== String(process.getuid?.())) {
      if (!this.privileged) {
        throw new SandboxError(
          'not-supported',
          `the namespace backend runs as ${userInfo().username} and cannot switch to user '${options.user}' (only root can); leave unprivileged_user unset for rootless builds`,
        );
      }
      const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => this.executableInside(p)) ?? null;
      if (!setpriv) throw new SandboxError('missing-tool', `setpriv(1) is not available inside sandbox ${this.root}; it is needed to run as ${options.user}`);
      inner = [...setprivArgs(setpriv, lookupUser(hostPath(this.root, '/etc'), options.user)), ...argv];
    }
    const net = options.network !== false;
    const full = this.tool === 'bwrap' ? this.bwrapArgv(cwd, inner, net) : this.unshareArgv(cwd, inner, net);
    return runCommand(full, options, { hostCwd: '/', groups: this.groups });
  }

  /**
   * Whether a path is executable once the command's mounts are made. The root is a plain
   * directory until then (/usr/bin is a bind made inside each command's namespaces), so the
   * path is looked up through the planned mount that covers it.
   */
  private executableInside(path: string): boolean {
    const m = coveringMount(this.mounts, path);
    if (!m) return findInside(this.root, [path]) !== null;
    return m.type === 'bind' && findInside('', [sourceOf(m, path)]) !== null;
  }

  private bwrapArgv(cwd: string, argv: string[], network: boolean): string[] {
    const a = [this.toolPath];
    if (!this.privileged) a.push('--unshare-user');
    a.push('--unshare-pid', ...(network ? [] : ['--unshare-net']), '--die-with-parent', '--bind', this.root, '/');
    for (const m of this.mounts) {
      if (m.type === 'proc') a.push('--proc', m.target);
      else if (m.source === '/dev' && m.target === '/dev') a.push(...(this.privileged ? ['--dev-bind', '/dev', '/dev'] : ['--dev', '/dev']));
      else a.push(m.ro ? '--ro-bind' : '--bind', m.source, m.target);
    }
    a.push('--chdir', cwd, '--', ...argv);
    return a;
  }

  private unshareArgv(cwd: string, argv: string[], network: boolean): string[] {
    const setpriv = findTool('setpriv');
    // If the engine dies, unshare (and with --kill-child everything inside) dies with it.
    const a: string[] = setpriv ? [setpriv, '--pdeathsig=KILL', '--'] : [];
    a.push(this.toolPath);
    if (!this.privileged) a.push('--user', '--map-root-user');
    const mount = findTool('mount');
    if (!mount) throw new SandboxError('missing-tool', "'mount' is not installed; the unshare fallback of the namespace backend needs it");
    a.push(
      '--mount',
      ...(network ? [] : ['--net']),
      '--propagation=private',
      '--pid',
      '--fork',
      '--kill-child=SIGKILL',
      '--',
      '/bin/sh',
      '-c',
      ENTER_SCRIPT,
      'sh',
      mount,
      this.fstab,
    );
    a.push(this.toolPath, `--root=${this.root}`, `--wd=${cwd}`, '--', ...argv);
    return a;
  }
}

export class NamespaceBackend implements SandboxBackend {
  readonly name = 'namespace' as const;
  readonly maxSlots = Number.POSITIVE_INFINITY;
  private readonly warn: Warn;
  private readonly snapshots = new Map<string, SnapshotStore>();
  private probed: Promise<void> | undefined;

  constructor(private readonly options: NamespaceBackendOptions = {}) {
    this.warn = options.warn ?? defaultWarn;
  }

  /** Which tool runs the namespaces, by absolute path; the error names both when neither is there. */
  tool(): { tool: NamespaceTool; path: string } {
    const want = this.options.tool;
    const lookup = this.options.lookup ?? findTool;
    for (const t of want ? [want] : (['bwrap', 'unshare'] as const)) {
      const p = lookup(t);
      if (p) return { tool: t, path: p };
    }
    throw new SandboxError(
      'missing-tool',
      want
        ? `the namespace backend was asked to use ${want}, which is not installed`
        : 'the namespace backend needs bubblewrap (bwrap) or unshare(1) from util-linux; neither is installed',
    );
  }

  async create(spec: SandboxSpec): Promise<NamespaceSandbox> {
    const { tool, path: toolPath } = this.tool();
    const { root, base } = await prepareRootAndBase(spec.root, spec.base ?? this.options.base);
    await (this.probed ??= this.probe(tool, toolPath));
    const layout = planLayout(spec, root, { createMissingRw: true });
    for (const n of layout.notes) if (!n.includes('does not exist here')) this.warn(n);
    const state = await claimName({ root, base, backend: 'namespace', persistent: this.options.persistent ?? false, warn: this.warn });
    try {
      await makeRoot(state, root);
      const priv = privateDirFor(root);
      await mkdir(priv, { mode: 0o700 });
      await state.append([{ kind: 'private' }]);
      const mounts: PlannedMount[] = [...layout.mounts];
      let store = this.snapshots.get(base);
      if (!store) this.snapshots.set(base, (store = new SnapshotStore(base)));
      const privileged = process.getuid?.() === 0;
      const copies: { target: string; snapshot: string }[] = [];
      for (const c of layout.copies) {
        const snap = await store.get(c);
        await state.append([{ kind: 'snapshot', path: snap }]);
        copies.push({ target: c, snapshot: snap });
        // Without root nothing in the sandbox may write /etc anyway: the shared snapshot is shown read-only.
        if (!privileged) mounts.push({ type: 'bind', source: snap, target: c, ro: true });
      }
      for (const w of store.warnings.splice(0)) this.warn(w);
      await buildSkeleton(root, layout, mounts);
      if (privileged) {
        for (const c of copies) {
          await mkdirInside(root, c.target);
          const { execa } = await loadExeca();
          const r = await execa('cp', ['-a', '--', `${c.snapshot}/.`, hostPath(root, c.target)], { reject: false, stdin: 'ignore' });
          if (r.exitCode !== 0) throw new SandboxError('bad-spec', `copying ${c.target} into ${root} failed: ${String(r.stderr).trim()}`);
        }
      }
      const fstab = `${priv}/fstab`;
      await writeFile(fstab, fstabText(root, mounts, true, !privileged)!);
      const sandbox = new NamespaceSandbox(root, state, this.warn, tool, toolPath, mounts, fstab);
      if (spec.bootstrapKit) {
        const kit = spec.bootstrapKit;
        await unpackBootstrap(
          sandbox,
          kit,
          mounts.some((m) => m.type === 'bind' && isInside(m.source, kit) && m.source === m.target),
        );
      }
      return sandbox;
    } catch (e) {
      await rollBack(state, root, e, this.warn);
      throw e;
    }
  }

  /** One trivial command in fresh namespaces, so a kernel without user namespaces fails at create, clearly. */
  private async probe(tool: NamespaceTool, toolPath: string): Promise<void> {
    const { execa } = await loadExeca();
    const privileged = process.getuid?.() === 0;
    const argv =
      tool === 'bwrap'
        ? [...(privileged ? [] : ['--unshare-user']), '--unshare-pid', '--ro-bind', '/', '/', '--', '/bin/true']
        : [...(privileged ? [] : ['--user', '--map-root-user']), '--mount', '--pid', '--fork', '--', '/bin/true'];
    const r = await execa(toolPath, argv, { reject: false, stdin: 'ignore' });
    if (r.exitCode !== 0) {
      throw new SandboxError(
        'not-supported',
        `${tool} cannot create namespaces here (${String(r.stderr).trim() || `exit ${r.exitCode}`}); user namespaces may be disabled ` +
          '(sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, or an AppArmor policy); as root use the chroot backend',
      );
    }
  }
}
