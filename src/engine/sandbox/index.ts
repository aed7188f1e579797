// The sandbox layer's public face: pick a backend from a plan, own a run's slots, clean up
// after a killed engine. The builder and the scanner code against types.ts only.
//
//   await using run = await RunSandboxes.open({
//     plan: { chrootDir, buildChroots, scanProcs, chrootCreate, chrootDelete, backend, buildSlots, base },
//     content: { pkgsrc, bulklog, packages, distdir, prefix, pkgdb, varbase, bootstrapKit },
//   });
//   const off = run.teardownOnSignals();
//   await run.build[0].exec(['bmake', 'package'], { env, cwd, output, limits, user });
//
// or from explicit specs: createBackend -> RunSandboxes.create(backend, specs).
export type { BackendName, ExecLimits, ExecOptions, ExecResult, Sandbox, SandboxBackend, SandboxSpec } from './types';
export { SandboxError, type SandboxErrorCode } from './errors';
export { BACKEND_NAMES, createBackend, type BackendOptions } from './backends';
export { planSandboxes, defaultSpec, MKSANDBOX_RO_DIRS, type PlanInput, type SandboxPlan, type DefaultSpecInput } from './plan';
export { RunSandboxes, type RunSandboxesInput } from './run-sandboxes';
export { cleanupBase, listSandboxes, destroyByRoot, type SandboxListing, type CleanupReport } from './cleanup';
