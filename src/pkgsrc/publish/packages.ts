// Which packages a repository upload may carry, as pbulk's compute-packages decides: every
// successful package except the restricted ones (a non-empty NO_BIN_ON_FTP, and everything
// depending on such a package, directly or not), each in All/ and in a directory per
// CATEGORIES entry (the links `make package` puts there).
import { categoriesOf, dependsOf, getField, type ScanRecord } from '../scan/record';

export interface RepoPackage {
  pkgname: string;
  categories: string[];
  depends: string[];
  noBinOnFtp: boolean;
}

export function repoPackages(records: readonly ScanRecord[]): RepoPackage[] {
  return records.map((r) => ({
    pkgname: r.pkgname,
    categories: categoriesOf(r),
    depends: dependsOf(r) ?? [],
    noBinOnFtp: (getField(r, 'NO_BIN_ON_FTP') ?? '') !== '',
  }));
}

/** Packages that must not be uploaded: NO_BIN_ON_FTP ones and their dependents. */
export function restrictedPackages(pkgs: readonly RepoPackage[]): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const p of pkgs) for (const d of p.depends) dependents.set(d, [...(dependents.get(d) ?? []), p.pkgname]);
  const out = new Set<string>();
  const queue = pkgs.filter((p) => p.noBinOnFtp).map((p) => p.pkgname);
  while (queue.length > 0) {
    const n = queue.pop()!;
    if (out.has(n)) continue;
    out.add(n);
    queue.push(...(dependents.get(n) ?? []));
  }
  return out;
}

export interface UploadEntry {
  pkgname: string;
  /** `All` or a category. */
  dir: string;
  /** Relative to the packages directory: `All/foo-1.0.tgz`, `devel/foo-1.0.tgz`. */
  path: string;
}

export interface UploadList {
  entries: UploadEntry[];
  /** Successful packages left out because they are restricted. */
  restricted: string[];
}

/** The files of the successful packages an upload carries, in success order (duplicates once). */
export function uploadList(pkgs: readonly RepoPackage[], success: readonly string[], sufx = '.tgz'): UploadList {
  const byName = new Map(pkgs.map((p) => [p.pkgname, p]));
  const restricted = restrictedPackages(pkgs);
  const entries: UploadEntry[] = [];
  const left: string[] = [];
  const seen = new Set<string>();
  for (const name of success) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (restricted.has(name)) {
      left.push(name);
      continue;
    }
    const dirs = ['All', ...(byName.get(name)?.categories ?? [])];
    for (const dir of [...new Set(dirs)]) entries.push({ pkgname: name, dir, path: `${dir}/${name}${sufx}` });
  }
  return { entries, restricted: left };
}

/** C-locale order, as sort(1) gives it in pbulk's scripts. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The rsync filter rules of the package upload (what pbulk's upload pipes to
 * `rsync --exclude-from=-`): the summaries, SHA512.bz2 unless checksums are off, every
 * directory and file of the list, then `- *`; sorted as pbulk sorts them.
 */
export function packageRules(list: UploadList, checksum: boolean): string[] {
  const rules = new Set<string>(['+ All/pkg_summary.bz2', '+ All/pkg_summary.gz']);
  if (checksum) rules.add('+ SHA512.bz2');
  for (const e of list.entries) {
    rules.add(`+ ${e.dir}/`);
    rules.add(`+ ${e.path}`);
  }
  rules.add('- *');
  return [...rules].sort(byteOrder);
}
