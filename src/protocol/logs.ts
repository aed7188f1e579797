// Following a package's logs live: the client names a package, the engine sends what its
// phase logs already hold and then every chunk as it is written, until unfollow or the end of
// the package.
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
