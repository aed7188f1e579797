// The sandboxes of one engine run, from plain pbulk.conf values: the plan (backend, names,
// counts), a backend, the scan and build slots, and one destroy for all. With the `none`
// backend scan and build share the single host slot. The build slots may be made later
// (deferBuild, then openBuild), once the scan sandbox has told what they must hold.
import type { Sandbox, SandboxBackend } from './types';
import { createBackend } from './backends';
import { defaultSpec, planSandboxes, type DefaultSpecInput, type PlanInput, type SandboxPlan } from './plan';
import { SandboxPool, teardownOnSignals } from './pool';
import { defaultWarn, type Warn } from './lifecycle';

export interface RunSandboxesInput {
  /** chroot_dir, build_chroots, scan_chroots/scan_procs, chroot_create/chroot_delete, overrides. */
  plan: PlanInput;
  /** pkgsrc, bulklog, packages, distdir, prefix, pkgdb, varbase, bootstrapkit. */
  content: DefaultSpecInput;
  warn?: Warn;
  /** Make only the scan slots now; the build slots come from openBuild. */
  deferBuild?: boolean;
}

export interface RunSandboxes {
  plan: SandboxPlan;
  backend: SandboxBackend;
  scan: Sandbox[];
  /** Empty until openBuild when deferBuild was asked. */
  build: Sandbox[];
  /** Makes the build slots with the content given at open plus `more` (once; later calls return the same). */
  openBuild(more?: Partial<DefaultSpecInput>): Promise<Sandbox[]>;
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
  const none = plan.backend === 'none';
  const pools: SandboxPool[] = [];
  const make = async (roots: string[], c: DefaultSpecInput) => {
    const pool = await SandboxPool.create(backend, roots.map((r) => defaultSpec(r, c)), { warn });
    pools.push(pool);
    return pool.sandboxes;
  };
  let scan: Sandbox[];
  let build: Sandbox[] = [];
  if (none) {
    scan = build = await make(['/'], content);
  } else if (input.deferBuild) {
    scan = await make(plan.scanRoots, content);
  } else {
    const all = await make([...plan.scanRoots, ...plan.buildRoots], content);
    scan = all.slice(0, plan.scanRoots.length);
    build = all.slice(plan.scanRoots.length);
  }
  let opening: Promise<Sandbox[]> | undefined;
  const destroyAll = async () => {
    const rs = await Promise.allSettled(pools.map((p) => p.destroyAll()));
    const bad = rs.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (bad) throw bad.reason;
  };
  const run: RunSandboxes = {
    plan,
    backend,
    scan,
    build,
    openBuild: (more = {}) => {
      if (build.length > 0) return Promise.resolve(build);
      return (opening ??= make(plan.buildRoots, { ...content, ...more }).then((b) => (run.build = build = b)));
    },
    destroy: destroyAll,
    teardownOnSignals: (o = {}) => teardownOnSignals(destroyAll, warn, o),
  };
  return run;
}
