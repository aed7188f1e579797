// Scan events: progress over the locations being scanned (limited builds scan in rounds
// until the dependency closure is complete) and what the scan found.
import { z } from 'zod';
import { defineNotification } from './rpc';
import { location, time } from './common';

export const scanProgress = z.object({
  runId: z.string(),
  /** Limited scans go round by round; a full scan has one round. */
  round: z.number().int().positive(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Served from the scan cache so far in this round. */
  cached: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** The location that just finished. */
  location: location.optional(),
  time,
});
export type ScanProgress = z.infer<typeof scanProgress>;
export const ScanProgressed = defineNotification('scan/progress', scanProgress);

export const scanFinished = z.object({
  runId: z.string(),
  records: z.number().int().nonnegative(),
  locations: z.number().int().nonnegative(),
  cached: z.number().int().nonnegative(),
  /** Locations whose `make pbulk-index` failed, with the reason (as meta/pscan.stderr has it). */
  failures: z.array(z.object({ location: z.string(), message: z.string() })),
  durationMs: z.number().nonnegative(),
});
export const ScanFinished = defineNotification('scan/finished', scanFinished);
