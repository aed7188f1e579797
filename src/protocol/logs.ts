// Following a package's logs live: the client names a package, the engine answers, then sends
// what its phase logs already hold (the last MiB of each) and every chunk as it is written,
// until unfollow. Chunks carry their byte offset in the phase log: a client keeps, per phase,
// the end it has and drops what overlaps (a chunk written while the old text was being read
// can arrive twice).
import { z } from 'zod';
import { defineNotification, defineRequest } from './rpc';
import { phase, pkgname } from './common';

export const followParams = z.object({ pkgname });
export const followResult = z.object({
  /** `<bulklog>/<PKGNAME>`. */
  logDir: z.string(),
  /** False when the package is not building now (its kept logs can be read from logDir). */
  live: z.boolean(),
});
export const Follow = defineRequest('logs/follow', followParams, followResult);
export const Unfollow = defineRequest('logs/unfollow', followParams, z.object({}));

export const logChunk = z.object({
  pkgname,
  phase,
  /** Byte offset of this chunk in the phase log. */
  offset: z.number().int().nonnegative(),
  text: z.string(),
});
export type LogChunk = z.infer<typeof logChunk>;
export const LogChunked = defineNotification('logs/chunk', logChunk);
