// The sandbox layer's public face: pick a backend from a plan, make a pool of slots, clean up
// after a killed engine. The builder and the scanner code against types.ts only.
//
//   const plan = planSandboxes({ chrootDir, buildChroots, scanChroots, chrootCreate, chrootDelete });
//   const backend = createBackend(plan.backend, { chrootCreate, chrootDelete });
//   const pool = await SandboxPool.create(backend, plan.buildRoots.map((r) => defaultSpec(r, dirs)));
//   const off = pool.teardownOnSignals();
//   await pool.use((sb) => sb.exec(['bmake', 'package'], { env, cwd, output }));
//   await pool.destroyAll(); off();
import type { BackendName, SandboxBackend } from './types';
import { SandboxError } from './errors';
import { ChrootBackend } from './chroot';
import { NamespaceBackend, type NamespaceTool } from './namespace';
import { CommandBackend } from './command';
import { NoneBackend } from './none';
import type { Warn } from './lifecycle';

export type { BackendName, ExecLimits, ExecOptions, ExecResult, Sandbox, SandboxBackend, SandboxSpec } from './types';
export { SandboxError, type SandboxErrorCode } from './errors';
export { planSandboxes, defaultSpec, MKSANDBOX_RO_DIRS, type PlanInput, type SandboxPlan, type DefaultSpecInput } from './plan';
export { SandboxPool } from './pool';
export { cleanupBase, listSandboxes, destroyByRoot, type SandboxListing, type CleanupReport } from './cleanup';

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
