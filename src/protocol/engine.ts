// The engine process itself: the hello exchange that starts every connection, shutdown, and
// errors the engine reports with their location (a pbulk.conf line, a scan record, a file).
import { z } from 'zod';
import { defineNotification, defineRequest } from './rpc';
import { fileLocation, time } from './common';
import { statusResult } from './build';

export const helloParams = z.object({
  protocolVersion: z.string(),
  /** Who connects, for the engine's log. */
  client: z.string().optional(),
});
export const helloResult = z.object({
  protocolVersion: z.string(),
  engineVersion: z.string(),
  pid: z.number().int(),
  /** True when the engine runs as root (chroot sandboxes). */
  root: z.boolean(),
  status: statusResult,
});
export const Hello = defineRequest('engine/hello', helloParams, helloResult);

/** Ends the engine after the current build is cancelled (or at once when idle). */
export const Shutdown = defineRequest('engine/shutdown', z.object({}).optional(), z.object({}));

export const engineError = z.object({
  severity: z.enum(['error', 'warning', 'information']),
  message: z.string(),
  /** Stable identifier, e.g. `scan-failed`, `lock-held`, `config`. */
  code: z.string(),
  location: fileLocation.optional(),
  time,
});
export type EngineError = z.infer<typeof engineError>;
export const EngineErrored = defineNotification('engine/error', engineError);
