// The sandboxes of one engine run, from plain pbulk.conf values: the plan (backend, names,
// counts), a backend, the scan and build slots made together, and one destroy for all. With
// the `none` backend scan and build share the single host slot.
import type { Sandbox, SandboxBackend } from './types';
import { createBackend } from './backends';
import { defaultSpec, planSandboxes, type DefaultSpecInput, type PlanInput, type SandboxPlan } from './plan';
import { SandboxPool } from './pool';
import { defaultWarn, type Warn } from './lifecycle';

export interface RunSandboxesInput {
  /** chroot_dir, build_chroots, scan_chroots/scan_procs, chroot_create/chroot_delete, overrides. */
  plan: PlanInput;
  /** pkgsrc, bulklog, packages, distdir, prefix, pkgdb, varbase, bootstrapkit. */
  content: DefaultSpecInput;
  warn?: Warn;
}

export interface RunSandboxes {
  plan: SandboxPlan;
  backend: SandboxBackend;
  scan: Sandbox[];
  build: Sandbox[];
  /** Tears every sandbox down (idempotent); refusals of busy ones come as one error. */
  destroy(): Promise<void>;
  /** SIGINT/SIGTERM: tear down, then exit 130/143. Returns the uninstaller. */
  teardownOnSignals(options?: { exit?: (code: number) => void }): () => void;
}

export async function openRunSandboxes(input: RunSandboxesInput): Promise<RunSandboxes> {
  const warn = input.warn ?? defaultWarn;
  const plan = planSandboxes(input.plan);
  for (const w of plan.warnings) warn(w);
  const backend = createBackend(plan.backend, {
    ...(input.plan.chrootCreate ? { chrootCreate: input.plan.chrootCreate } : {}),
    ...(input.plan.chrootDelete ? { chrootDelete: input.plan.chrootDelete } : {}),
    ...(plan.base ? { base: plan.base } : {}),
    warn,
  });
  const content = { ...input.content, ...(plan.base ? { base: plan.base } : {}) };
  const roots = plan.backend === 'none' ? ['/'] : [...plan.scanRoots, ...plan.buildRoots];
  const pool = await SandboxPool.create(backend, roots.map((r) => defaultSpec(r, content)), { warn });
  const all = pool.sandboxes;
  const scan = plan.backend === 'none' ? all : all.slice(0, plan.scanRoots.length);
  const build = plan.backend === 'none' ? all : all.slice(plan.scanRoots.length);
  return {
    plan,
    backend,
    scan,
    build,
    destroy: () => pool.destroyAll(),
    teardownOnSignals: (o) => pool.teardownOnSignals(o),
  };
}
