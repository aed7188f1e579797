// `none` backend: commands run on the host itself, as pbulk does without chroot_dir. One slot
// only, since every build wipes and refills the one real prefix; creating it says so once.
import type { ExecOptions, ExecResult, Sandbox, SandboxBackend, SandboxSpec } from '../types';
import { SandboxError } from '../errors';
import { ProcessGroups, runCommand } from '../exec';
import { defaultWarn, type Warn } from '../lifecycle';
import { checkAbsolute } from '../paths';
import { statSync } from 'node:fs';
import { findTool } from '../tools';
import { lookupUser, setprivArgs } from '../users';

/** A directory, possibly reached through a symlink. */
function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

class HostSandbox implements Sandbox {
  readonly backend = 'none' as const;
  readonly root = '/';
  readonly groups = new ProcessGroups();
  private released = false;

  constructor(private readonly onRelease: () => void) {}

  hostPath(inside: string): string {
    return checkAbsolute(inside, 'path');
  }

  async exec(argv: string[], options: ExecOptions): Promise<ExecResult> {
    if (this.released) throw new SandboxError('bad-spec', 'host sandbox was released');
    const cwd = checkAbsolute(options.cwd, 'working directory');
    if (!isDirectory(cwd)) throw new SandboxError('bad-spec', `working directory ${cwd} does not exist`);
    let full = argv;
    if (options.user !== undefined) {
      const setpriv = findTool('setpriv');
      if (!setpriv) throw new SandboxError('missing-tool', `setpriv(1) is needed to run as ${options.user}`);
      full = [...setprivArgs(setpriv, lookupUser('/etc', options.user)), ...argv];
    }
    return runCommand(full, options, { hostCwd: cwd, groups: this.groups });
  }

  /** Nothing to delete: stops what still runs and frees the slot. */
  async destroy(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.groups.killAll('SIGKILL');
    this.onRelease();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.destroy();
  }
}

export class NoneBackend implements SandboxBackend {
  readonly name = 'none' as const;
  readonly maxSlots = 1;
  private inUse = false;
  private warned = false;

  constructor(private readonly options: { warn?: Warn } = {}) {}

  /** The spec is ignored: there is nothing to mount or create. */
  async create(_spec?: SandboxSpec): Promise<HostSandbox> {
    if (this.inUse) throw new SandboxError('owned', 'the none backend has a single slot (the host itself), and it is in use');
    if (!this.warned) {
      this.warned = true;
      (this.options.warn ?? defaultWarn)('sandbox backend "none": builds run directly on this host, one at a time, and change its prefix and package database');
    }
    this.inUse = true;
    return new HostSandbox(() => {
      this.inUse = false;
    });
  }
}
