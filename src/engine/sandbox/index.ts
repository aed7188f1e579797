// The sandbox layer's public face: pick a backend from a plan, make a pool of slots, clean up
// after a killed engine. The builder and the scanner code against types.ts only.
//
//   const run = await openRunSandboxes({
//     plan: { chrootDir, buildChroots, scanProcs, chrootCreate, chrootDelete, backend, buildSlots, base },
//     content: { pkgsrc, bulklog, packages, distdir, prefix, pkgdb, varbase, bootstrapKit },
//   });
//   const off = run.teardownOnSignals();
//   await run.build[0].exec(['bmake', 'package'], { env, cwd, output, limits, user });
//   await run.destroy(); off();
//
// or piece by piece: planSandboxes -> createBackend -> SandboxPool.create(backend, specs).
export type { BackendName, ExecLimits, ExecOptions, ExecResult, Sandbox, SandboxBackend, SandboxSpec } from './types';
export { SandboxError, type SandboxErrorCode } from './errors';
export { BACKEND_NAMES, createBackend, type BackendOptions } from './backends';
export { planSandboxes, defaultSpec, MKSANDBOX_RO_DIRS, type PlanInput, type SandboxPlan, type DefaultSpecInput } from './plan';
export { SandboxPool } from './pool';
export { openRunSandboxes, type RunSandboxes, type RunSandboxesInput } from './run-sandboxes';
export { cleanupBase, listSandboxes, destroyByRoot, type SandboxListing, type CleanupReport } from './cleanup';
