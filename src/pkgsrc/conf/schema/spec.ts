// The shape of one pbulk.conf variable in the schema table. The table drives validation,
// completion, hover, quick fixes and the generated configuration reference, so everything a
// check needs to know about a variable is a field here rather than a special case in a check.
import { z } from 'zod';

export const sections = [
  'General',
  'Master and clients',
  'Chroots',
  'Publishing and reports',
  'Build behaviour',
  'Cross-compiling',
  'Directories',
  'Package tools',
  'Build tools',
  'pbulk programs and scripts',
  'Internal to pkg-build',
  'Obsolete',
] as const;

export const valueTypes = [
  'version',
  'url',
  'boolean',
  'integer',
  'ipv4',
  'address-port',
  'client-list',
  'rsync-args',
  'rsync-target',
  'string',
  'email-list',
  'user',
  'directory',
  'file',
  'path-prefix',
  'command',
  'executable',
  'bootstrapkit',
] as const;

/**
 * How the pbulk scripts turn the text into on/off. They disagree with each other, which is why a
 * config should only ever say exactly `yes` or `no`.
 */
export const booleanParsings = {
  /** `[ "$x" = yes ]`: on only for lower-case yes. */
  'yes-exact': 'on only for exactly `yes` (lower case); anything else, including `YES`, means no',
  /** case-insensitive match of yes. */
  'yes-any-case': 'on for `yes` in any case; anything else means no',
  /** yes/no in any case, anything else aborts the phase. */
  'yes-or-no-strict': '`yes` or `no` in any case; any other value makes the scan and build phases exit with "must be either yes or no"',
  /** yes/no in any case, anything else continues with an empty resolution: nothing is built. */
  'yes-or-no-else-nothing':
    '`yes` or `no` in any case; any other value prints "Unsupported value" and continues with an empty meta/presolve, so nothing gets built',
  /** `[ "$x" != no ]`: on for anything but lower-case no, even when empty. */
  'not-no': 'on for anything except exactly `no` (lower case): `NO`, `No` or an empty value turn it ON',
  /** on unless no or NO. */
  'not-no-or-NO': 'on unless the value is exactly `no` or `NO`; unset means on',
} as const;

export type BooleanParsing = keyof typeof booleanParsings;

const pathSpec = z.object({
  /** Relative paths would be resolved against whatever directory a script runs in. */
  absolute: z.boolean(),
  /** What to look for on the local machine (as a warning: the path may be on a client). */
  exists: z.enum(['directory', 'file', 'executable', 'parent', 'pkgsrc', 'file-or-directory']).optional(),
  /** client-clean wipes ${prefix} and ${pkgdb}, pre-build wipes ${bulklog}/*: this must not live there. */
  keepOutsideWiped: z.boolean(),
});

export const variableSpec = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  section: z.enum(sections),
  type: z.enum(valueTypes),
  /** One paragraph: what it is for and who reads it. */
  doc: z.string().min(20),
  /** How pbulk actually interprets the text of the value. */
  interpretation: z.string().min(5),
  /** Value in the current example config (placeholders substituted as an installed pbulk would). */
  example: z.string().optional(),
  /** The @TOKEN@ the example in pkgsrc carries before the package build substitutes it. */
  placeholder: z.string().optional(),
  /** What happens when the variable is unset or empty. */
  unset: z.string().optional(),
  /** First pbulk config version known to read it. Absent: every version we know of. */
  since: z.string().optional(),
  /** First pbulk config version that no longer reads it. */
  until: z.string().optional(),
  /** Only in vendor copies of pbulk (upstream status unconfirmed). */
  vendor: z.enum(['joyent']).optional(),
  boolean: z.enum(Object.keys(booleanParsings) as [BooleanParsing, ...BooleanParsing[]]).optional(),
  integer: z.object({ min: z.number().int() }).optional(),
  path: pathSpec.optional(),
  /** For obsolete names: the variable to use instead. */
  replacement: z.string().optional(),
  /** An older name pbulk still accepts for another variable. */
  aliasOf: z.string().optional(),
  /** Set by pkg-build from the build record, not by the config. */
  internal: z.boolean().optional(),
  /** pbulk cannot run without it (always, or only with master_mode=yes). */
  required: z.enum(['always', 'master-mode']).optional(),
  /** Values offered by completion. */
  values: z.array(z.string()).optional(),
});

export type VariableSpec = z.infer<typeof variableSpec>;
export type VariableInput = z.input<typeof variableSpec>;
