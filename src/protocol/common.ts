// Values several protocol areas share: package states and phases with pbulk's names, and a
// location in a file for errors.
import { z } from 'zod';
import { BUILD_STATES } from '../pkgsrc/bulklog/states';
import { PHASES } from '../pkgsrc/bulklog/phases';

/** Protocol version; the engine reports it in `engine/hello` and refuses a different major. */
export const PROTOCOL_VERSION = '1.0';

export const buildState = z.enum(BUILD_STATES);
export const phase = z.enum(PHASES);

/** A package path as pbulk names a location: `category/dir` (never `.` or `..` as the dir). */
export const location = z.string().regex(/^[A-Za-z0-9][^/\s]*\/(?!\.{1,2}$)[^/\s]+$/, 'expected category/dir');

/**
 * A PKGNAME: no whitespace, at least name-version. Never a path: it names the log directory
 * `<bulklog>/<PKGNAME>/`, so a `/` (or a bare `..`) would let a client reach other files.
 */
export const pkgname = z
  .string()
  .min(3)
  .regex(/^\S+$/, 'a PKGNAME has no whitespace')
  .regex(/^(?!\.\.?$)[^/]+$/, 'a PKGNAME has no /');

/** 0-based position in a file, as src/pkgsrc/problem.ts has it. */
export const fileLocation = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  character: z.number().int().nonnegative(),
});

/** Epoch milliseconds. */
export const time = z.number();

export const counts = z.record(buildState, z.number().int().nonnegative());
