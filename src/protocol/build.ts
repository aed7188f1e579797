// Starting, cancelling and inspecting a build, and the build-level events: which stage the
// engine is in and the summary at the end.
import { z } from 'zod';
import { defineNotification, defineRequest } from './rpc';
import { buildState, counts, location, phase, pkgname, time } from './common';

export const stage = z.enum(['idle', 'scanning', 'resolving', 'building', 'reporting', 'finished', 'cancelled', 'failed']);
export type Stage = z.infer<typeof stage>;

export const startParams = z
  .object({
    /**
     * Limited build of these locations (and their dependencies). Absent: what the engine's
     * pbulk.conf says (its limited_list, or a full build).
     */
    locations: z.array(location).optional(),
    /** A full build of the tree even when pbulk.conf sets a limited_list (not with `locations`). */
    full: z.boolean().optional(),
    /** Build slots; capped by the sandbox plan. */
    jobs: z.number().int().positive().optional(),
    /** Stop after scan and resolve (meta/pscan, meta/presolve). */
    scanOnly: z.boolean().optional(),
    /**
     * Carry on with the build in the bulklog (replaying meta/success and meta/error) instead of
     * starting a fresh one. Default true when the bulklog holds an unfinished build.
     */
    resume: z.boolean().optional(),
  })
  .refine((p) => !(p.full && p.locations), 'a full build takes no locations');
export type StartParams = z.infer<typeof startParams>;

export const startResult = z.object({
  /** Identifies this run in later events. */
  runId: z.string(),
  resumed: z.boolean(),
});

export const cancelParams = z.object({}).optional();
export const cancelResult = z.object({ cancelled: z.boolean() });

export const runningPackage = z.object({
  pkgname,
  location,
  slot: z.number().int().nonnegative(),
  /** The client host building it (multi-host builds). */
  host: z.string().optional(),
  phase: phase.optional(),
  startedAt: time,
});
export type RunningPackage = z.infer<typeof runningPackage>;

export const statusResult = z.object({
  stage,
  runId: z.string().optional(),
  bulklog: z.string(),
  config: z.string(),
  /** Counts per pbulk state over the resolved packages (zero before resolve). */
  counts,
  total: z.number().int().nonnegative(),
  running: z.array(runningPackage),
  startedAt: time.optional(),
  finishedAt: time.optional(),
});
export type EngineStatus = z.infer<typeof statusResult>;

export const rebuildParams = z
  .object({
    /** PKGNAMEs or locations to build again (their dependents follow). */
    packages: z.array(z.union([pkgname, location])).optional(),
    /** Every failed package. */
    failed: z.boolean().optional(),
    jobs: z.number().int().positive().optional(),
  })
  .refine((p) => (p.packages?.length ?? 0) > 0 || p.failed === true, 'name packages or set failed');
export type RebuildParams = z.infer<typeof rebuildParams>;
export const rebuildResult = z.object({
  runId: z.string(),
  /** The packages that will be built again (the named ones and their dependents). */
  reset: z.array(pkgname),
});

export const Start = defineRequest('build/start', startParams, startResult);
export const Cancel = defineRequest('build/cancel', cancelParams, cancelResult);
export const Status = defineRequest('build/status', z.object({}).optional(), statusResult);
export const Rebuild = defineRequest('build/rebuild', rebuildParams, rebuildResult);

export const stageEvent = z.object({ runId: z.string(), stage, time });
export const StageChanged = defineNotification('build/stage', stageEvent);

export const summaryEvent = z.object({
  runId: z.string(),
  counts,
  total: z.number().int().nonnegative(),
  startedAt: time,
  finishedAt: time,
  cancelled: z.boolean(),
  /** meta/report.html when reports were written. */
  reportHtml: z.string().optional(),
  /** Failed packages, the failing phase and how many packages each breaks. */
  failures: z.array(z.object({ pkgname, location, phase: phase.optional(), breaks: z.number().int().nonnegative() })),
  /** Packages not built: broken ones with their reasons, dependent ones with the packages behind them. */
  notBuilt: z.array(z.object({ pkgname, location: location.optional(), state: buildState, because: z.array(z.string()) })).optional(),
});
export type BuildSummary = z.infer<typeof summaryEvent>;
export const Summary = defineNotification('build/summary', summaryEvent);

export { buildState };
