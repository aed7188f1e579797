// Per-package events, in the order a package lives through them: queued when it is resolved
// into the build, started in a slot, one event per pkg-build phase, finished with its pbulk
// state. Packages that never run (prefailed, indirect-*, up to date) still get `finished`.
import { z } from 'zod';
import { defineNotification } from './rpc';
import { buildState, location, phase, pkgname, time } from './common';

export const packageQueued = z.object({
  runId: z.string(),
  pkgname,
  location,
  /** pbulk's depth: 1 + the number of packages depending on this one. */
  depth: z.number().int().positive(),
  state: buildState,
});
export const PackageQueued = defineNotification('package/queued', packageQueued);

export const packageStarted = z.object({
  runId: z.string(),
  pkgname,
  location,
  slot: z.number().int().nonnegative(),
  /** The client host building it (multi-host builds); absent for the engine's own slots. */
  host: z.string().optional(),
  time,
  /** `[n/N]` as pbulk-build prints it: finished so far, total. */
  finished: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export const PackageStarted = defineNotification('package/started', packageStarted);

export const packagePhase = z.object({
  runId: z.string(),
  pkgname,
  phase,
  slot: z.number().int().nonnegative(),
  /** The client host building it (multi-host builds); absent for the engine's own slots. */
  host: z.string().optional(),
  time,
  /** `<bulklog>/<PKGNAME>/<phase>.log`, being written. */
  logPath: z.string(),
});
export const PackagePhase = defineNotification('package/phase', packagePhase);

export const packageFinished = z.object({
  runId: z.string(),
  pkgname,
  location,
  state: buildState,
  /** Failing phase for `failed`; the last phase run otherwise. */
  phase: phase.optional(),
  slot: z.number().int().nonnegative().optional(),
  /** The client host building it (multi-host builds); absent for the engine's own slots. */
  host: z.string().optional(),
  time,
  durationMs: z.number().nonnegative().optional(),
  /** The kept log of the failing phase. */
  logPath: z.string().optional(),
  /** Built before and current: skipped without logs, as pkg-up-to-date decides. */
  upToDate: z.boolean().optional(),
  /** For indirect-*: the failed or prefailed packages behind it. */
  causes: z.array(pkgname).optional(),
  finished: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type PackageFinishedEvent = z.infer<typeof packageFinished>;
export const PackageFinished = defineNotification('package/finished', packageFinished);
