// Where a SCAN_DEPENDS entry lives on disk, by pbulk-scan -L's rules: an absolute path as it
// is; `../../x` as `${pkgsrc}/x` for a location with at most one '/' (category/package);
// anything else relative to `${pkgsrc}/<location>`. Paths are joined, not normalised, so that
// `..` after a symlinked directory resolves the way the kernel (and bmake) resolve it.

export function scanDependPath(pkgsrc: string, location: string, dep: string): string {
  if (dep.startsWith('/')) return dep;
  if (dep.startsWith('../../') && location.indexOf('/') === location.lastIndexOf('/')) {
    return `${pkgsrc}/${dep.slice(6)}`;
  }
  return `${pkgsrc}/${location}/${dep}`;
}
