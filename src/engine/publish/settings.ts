// The engine's own publishing settings (the `publish` object of the settings file): the gates
// a build must pass before its repository goes out, how many uploaded releases stay on the
// server, and whether a full build publishes when it ends, as pbulk's bulkbuild does.
import { z } from 'zod';

export const publishSettingsSchema = z
  .object({
    /** Publish only when the build made at least this many packages. */
    minPackages: z.number().int().nonnegative().optional(),
    /** Publish only when each of these built: a location (pkgtools/pkgin), a PKGBASE or a PKGNAME. */
    requiredPackages: z.array(z.string().min(1)).optional(),
    /** Uploaded releases kept on the server: the live one and the ones before it (for rollback). */
    keep: z.number().int().min(2).max(50).default(2),
    /** After a full build: mail the report and upload, as pbulk's report and upload phases do. */
    afterFullBuild: z.boolean().default(true),
  })
  .strict()
  .prefault({});
