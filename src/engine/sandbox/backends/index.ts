// Backend by name: the one switch from a plan's (or a flag's) backend name to its implementation.
import type { BackendName, SandboxBackend } from '../types';
import { SandboxError } from '../errors';
import { ChrootBackend } from './chroot';
import { NamespaceBackend, type NamespaceTool } from './namespace';
import { CommandBackend } from './command';
import { NoneBackend } from './none';
import type { Warn } from '../lifecycle';

export const BACKEND_NAMES: readonly BackendName[] = ['chroot', 'namespace', 'command', 'none'];

export interface BackendOptions {
  /** pbulk.conf chroot_create / chroot_delete, for the command backend. */
  chrootCreate?: string;
  chrootDelete?: string;
  /** Directory holding the sandboxes (default: the parent of each root). */
  base?: string;
  /** Where warnings go (default: stderr; the engine's JSON-RPC channel must not be stdout). */
  warn?: Warn;
  /** Sandboxes kept after this process exits, removed only by an explicit destroy. */
  persistent?: boolean;
  /** namespace backend: force bwrap or unshare. */
  namespaceTool?: NamespaceTool;
}

export function createBackend(name: BackendName, o: BackendOptions = {}): SandboxBackend {
  const common = {
    ...(o.base ? { base: o.base } : {}),
    ...(o.warn ? { warn: o.warn } : {}),
    ...(o.persistent ? { persistent: true } : {}),
  };
  switch (name) {
    case 'chroot':
      return new ChrootBackend(common);
    case 'namespace':
      return new NamespaceBackend({ ...common, ...(o.namespaceTool ? { tool: o.namespaceTool } : {}) });
    case 'command':
      if (!o.chrootCreate) throw new SandboxError('bad-spec', 'the command backend needs chroot_create');
      return new CommandBackend({ ...common, createScript: o.chrootCreate, ...(o.chrootDelete ? { deleteScript: o.chrootDelete } : {}) });
    case 'none':
      return new NoneBackend(o.warn ? { warn: o.warn } : {});
    default:
      throw new SandboxError('bad-spec', `unknown sandbox backend '${String(name)}' (have: ${BACKEND_NAMES.join(', ')})`);
  }
}
