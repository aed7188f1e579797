// What the extension needs to know of a pbulk.conf to drive builds and show their results:
// where the bulklog and its meta directory are, the tree, the limited_list (and the line that
// sets it), chroot_dir for sandbox cleanup. Read statically with the conf library, never
// sourced. Pure (no vscode).
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { limitedListLocations, loadPbulkConf, readConfText, type ConfDiagnostic } from '../../pkgsrc/conf';

export interface ConfInfo {
  file: string;
  bulklog?: string;
  /** `loc`: `${bulklog}/meta` unless set otherwise. */
  metaDir?: string;
  pkgsrc?: string;
  limitedList?: string;
  /** 0-based line of the `limited_list=` assignment. */
  limitedListLine?: number;
  chrootDir?: string;
  pbulkVersion: string;
  /** The conf library's errors (the language server shows them all; these decide whether a build can start). */
  errors: ConfDiagnostic[];
}

/** `pbulkVersion`: the pkgsrcBulk.pbulkVersion setting; empty, the installed pbulk's (as the language server checks). */
export async function readConfInfo(file: string, pbulkVersion = ''): Promise<ConfInfo> {
  const conf = await loadPbulkConf(file, { pbulkVersion });
  const abs = (name: string): string | undefined => {
    const v = conf.get(name)?.trim();
    if (!v) return undefined;
    return isAbsolute(v) ? v : resolve(dirname(file), v);
  };
  const info: ConfInfo = { file, pbulkVersion: conf.pbulkVersion.version, errors: conf.problems.filter((p) => p.severity === 'error') };
  const bulklog = abs('bulklog');
  if (bulklog) {
    info.bulklog = bulklog;
    info.metaDir = abs('loc') ?? join(bulklog, 'meta');
  }
  const pkgsrc = abs('pkgsrc');
  if (pkgsrc) info.pkgsrc = pkgsrc;
  if (conf.limitedList) info.limitedList = conf.limitedList;
  const ll = conf.values.limited_list?.line;
  if (ll !== undefined) info.limitedListLine = ll;
  const chroot = abs('chroot_dir');
  if (chroot) info.chrootDir = chroot;
  return info;
}

/**
 * The entries of a limited_list with their lines, read as the conf's pbulk version reads it, and
 * the problems that stop a build of it (the same checker as the language server's and lint's).
 */
export async function readLimitedListEntries(file: string, pbulkVersion?: string) {
  const { text, problems } = await readConfText(file);
  if (problems.some((p) => p.severity === 'error')) return { entries: [], problems };
  const l = limitedListLocations(text, file, pbulkVersion ? { pbulkVersion: { version: pbulkVersion, source: 'setting' } } : {});
  return { entries: l.entries, problems: [...problems, ...l.errors] };
}
