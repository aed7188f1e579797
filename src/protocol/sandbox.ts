// Sandboxes a killed engine left behind: the client asks the engine of a pbulk.conf to take
// them down. The engine runs with the privileges its builds have (root for chroots) and knows
// where its builds put sandboxes, so the client neither runs the CLI nor reads its output.
import { z } from 'zod';
import { defineRequest } from './rpc';

export const cleanupParams = z
  .object({
    /** The directory the sandboxes are in (absolute). Default: where this engine's builds put
     * them, the setting sandboxBase, else the parent of chroot_dir. */
    base: z.string().startsWith('/', 'base must be an absolute path').optional(),
    /** Also remove sandboxes kept by `pkgsrc-bulk sandbox create` (no owner process). */
    kept: z.boolean().optional(),
    /** Only say what would be removed. */
    dryRun: z.boolean().optional(),
  })
  .optional();
export type CleanupParams = z.infer<typeof cleanupParams>;

export const cleanupResult = z.object({
  /** Where the engine looked; null when no base was given and the pbulk.conf sets no chroot_dir
   * (and the settings no sandboxBase): then nothing was done. */
  base: z.string().nullable(),
  /** Sandbox roots removed (with dryRun: that would be removed). */
  removed: z.array(z.string()),
  /** Snapshots, scratch dirs and claim files of half-made sandboxes removed. */
  leftovers: z.array(z.string()),
  /** Sandboxes left alone: running (this engine's own included), kept, another host's. */
  skipped: z.array(z.object({ root: z.string(), reason: z.string() })),
  failed: z.array(z.object({ root: z.string(), error: z.string() })),
  /** What the teardown warned about (processes killed, mounts it had to retry ...). */
  warnings: z.array(z.string()),
});
export type CleanupResult = z.infer<typeof cleanupResult>;

export const Cleanup = defineRequest('sandbox/cleanup', cleanupParams, cleanupResult);
