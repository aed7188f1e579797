// `command` backend: the user's own scripts, as pbulk.conf's chroot_create / chroot_delete (or
// the mksandbox / rmsandbox wrappers of the well-known multi-chroot tutorial), each called with
// the sandbox directory; commands then run in it by chroot. The scripts decide what is mounted;
// we still own the name and the teardown: before chroot_delete runs, everything below the root
// is unmounted by us and checked gone, so even an `rm -rf` in that script cannot reach a host
// directory, and whatever it leaves is removed by our own checked code.
import { access, constants, lstat } from 'node:fs/promises';
import type { SandboxBackend, SandboxSpec } from '../types';
import { SandboxError, errnoCode } from '../errors';
import { checkAbsolute, hostPath } from '../paths';
import { claimName, defaultWarn, prepareRootAndBase, rollBack, runUserScript, type Warn } from '../lifecycle';
import { ChrootSandbox, sameInside, unpackBootstrap } from './chroot';
import { mountsUnder, readMountinfo } from '../mountinfo';

export interface CommandBackendOptions {
  /** pbulk.conf chroot_create: called as `script <sandbox dir>`. */
  createScript: string;
  /** pbulk.conf chroot_delete: called as `script <sandbox dir>`. */
  deleteScript?: string;
  base?: string;
  warn?: Warn;
  persistent?: boolean;
}

export class CommandBackend implements SandboxBackend {
  readonly name = 'command' as const;
  readonly maxSlots = Number.POSITIVE_INFINITY;
  private readonly warn: Warn;

  constructor(private readonly options: CommandBackendOptions) {
    this.warn = options.warn ?? defaultWarn;
  }

  private async checkScript(path: string, what: string): Promise<string> {
    const p = checkAbsolute(path, what);
    try {
      await access(p, constants.X_OK);
    } catch {
      throw new SandboxError('bad-spec', `${what} ${p} is not an executable file`);
    }
    return p;
  }

  async create(spec: SandboxSpec): Promise<ChrootSandbox> {
    if (process.getuid?.() !== 0) throw new SandboxError('not-supported', 'the command backend enters the sandbox by chroot, which needs root');
    const createScript = await this.checkScript(this.options.createScript, 'chroot_create');
    const deleteScript = this.options.deleteScript ? await this.checkScript(this.options.deleteScript, 'chroot_delete') : undefined;
    const { root, base } = await prepareRootAndBase(spec.root, spec.base ?? this.options.base);
    const state = await claimName({
      root,
      base,
      backend: 'command',
      persistent: this.options.persistent ?? false,
      warn: this.warn,
      createScript,
      ...(deleteScript ? { deleteScript } : {}),
    });
    try {
      try {
        await lstat(root);
        // Claimed the name, yet the directory is there: not ours, not to be touched.
        await state.release();
        throw new SandboxError(
          'foreign',
          `${root} already exists and was not made by pkgsrc-bulk (no state file); remove it yourself or choose another chroot_dir`,
        );
      } catch (e) {
        if (e instanceof SandboxError) throw e;
        if (errnoCode(e) !== 'ENOENT') throw e;
      }
      await state.append([{ kind: 'script', phase: 'create', argv: [createScript, root] }]);
      await runUserScript(createScript, root, 'chroot_create', this.warn, true);
      let st;
      try {
        st = await lstat(root);
      } catch {
        throw new SandboxError('script-failed', `chroot_create script ${createScript} exited 0 but did not create ${root}`);
      }
      if (!st.isDirectory()) throw new SandboxError('script-failed', `chroot_create script ${createScript} made ${root}, but it is not a directory`);
      // Record what the script mounted, for the record; teardown goes by mountinfo anyway.
      const made = mountsUnder(await readMountinfo(), root);
      await state.append(made.map((m) => ({ kind: 'mount' as const, target: m.mountPoint, source: m.fsRoot, type: m.fsType, ro: m.options.includes('ro') })));
      await state.append([{ kind: 'mounted' }]);
      for (const d of spec.rwDirs) {
        try {
          await access(hostPath(root, checkAbsolute(d, 'read-write dir')));
        } catch {
          this.warn(`${d} is not visible inside ${root} as made by ${createScript}; builds that need it will fail`);
        }
      }
      const sandbox = new ChrootSandbox('command', root, state, this.warn);
      if (spec.bootstrapKit) await unpackBootstrap(sandbox, spec.bootstrapKit, await sameInside(root, spec.bootstrapKit));
      return sandbox;
    } catch (e) {
      await rollBack(state, root, e, this.warn);
      throw e;
    }
  }
}
