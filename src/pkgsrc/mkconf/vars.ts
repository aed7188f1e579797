// What a bulk build asks a pkgsrc tree once per run, with one `make show-vars` in a package
// directory: where builds write and what they assume (from the kit's mk.conf and pkgsrc's
// defaults), the platform for meta/status, and the values pkgsrc computes by running commands
// in every make process although they are the same for the whole tree. Those last ones are
// passed to every scan in the environment: pkgsrc computes each only `.if !defined(...)`, so a
// defined one costs nothing (bob's cachevars; the pkgsrc guide's "Speeding up bulk build scans").

/** Where a build writes and what it assumes; compared with pbulk.conf and made writable in sandboxes. */
const PLACE_VARS = ['WRKOBJDIR', 'DISTDIR', 'PACKAGES', 'PKG_DBDIR', 'LOCALBASE', 'VARBASE', 'PKG_TOOLS_BIN', 'PKGSRCDIR'] as const;

/** The platform pbulk's pre-build writes to meta/status. */
const PLATFORM_VARS = ['OPSYS', 'OS_VERSION', 'MACHINE_ARCH', 'PKGSRC_COMPILER'] as const;

/**
 * Computed by commands (uname, pwd, pkg_info -V) in every make process unless already defined,
 * and the same for every package of a tree: none depends on what a package Makefile sets (the
 * compiler's version does, through CC, and is left to each scan). Names a tree does not know
 * come back empty and are not passed.
 */
export const CACHE_VARS = [
  'OPSYS',
  'OS_VERSION',
  'LOWER_OPSYS',
  'LOWER_ARCH',
  'MACHINE_ARCH',
  '_PKGSRCDIR',
  'PKGTOOLS_VERSION',
  'NATIVE_OPSYS',
  'NATIVE_OPSYS_VERSION',
  'NATIVE_OS_VERSION',
  'HOST_MACHINE_ARCH',
] as const;

/** Every name asked, once each, in a fixed order. */
export const TREE_VAR_NAMES: readonly string[] = [...new Set<string>([...PLACE_VARS, ...PLATFORM_VARS, ...CACHE_VARS])];

/** The make arguments that print the values of names, one a line (pkgsrc's show-vars target). */
export function showVarsArgs(names: readonly string[] = TREE_VAR_NAMES): string[] {
  return ['show-vars', `VARNAMES=${names.join(' ')}`];
}

export interface TreeVars {
  /** Every name asked, with its value (empty when the tree does not set it). */
  values: Record<string, string>;
  /** The package directory make ran in. */
  dir: string;
}

/** The values of show-vars output, or why it cannot be read. */
export function parseShowVars(names: readonly string[], stdout: string): { values: Record<string, string> } | { error: string } {
  const lines = stdout.replace(/\n$/, '').split('\n');
  if (stdout === '' || lines.length !== names.length) {
    return { error: `make show-vars printed ${stdout === '' ? 0 : lines.length} lines for ${names.length} variables` };
  }
  const values: Record<string, string> = {};
  names.forEach((n, i) => (values[n] = lines[i]!));
  return { values };
}

/** The per-tree values to pass to scans: the cached names the tree sets, as environment variables. */
export function cacheEnv(values: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const n of CACHE_VARS) {
    const v = values[n];
    if (v !== undefined && v !== '') env[n] = v;
  }
  return env;
}
