// What pkg-build reads from a presolve record (pbulk-reference §4.2 setup step 1).
import { dependsOf, getField, type ScanRecord } from '../../pkgsrc/scan/record';

export type UseDestdir = 'user-destdir' | 'destdir' | 'no';

export interface BuildJob {
  pkgname: string;
  location: string;
  /** Resolved dependencies (DEPENDS=), installed before the build. */
  depends: string[];
  /** MULTI_VERSION= words, passed to every `make <target>` of the build steps. */
  makeFlags: string[];
  useDestdir: UseDestdir;
  bootstrapPkg: boolean;
  usergroupPhase: string;
  /** The record text (pbulk-build hands it to pkg-build on stdin). */
  text: string;
  /** Skip the up-to-date check (an explicit rebuild). */
  force?: boolean;
  /** The output of a fetch before the builds that left distfiles missing: the package fails in checksum with it. */
  fetchFailure?: string;
}

export function jobFromRecord(r: ScanRecord, force = false): BuildJob {
  const destdir = getField(r, 'USE_DESTDIR') ?? '';
  return {
    pkgname: r.pkgname,
    location: r.location ?? getField(r, 'PKG_LOCATION') ?? '',
    depends: dependsOf(r) ?? [],
    makeFlags: (getField(r, 'MULTI_VERSION') ?? '').split(/[ \t]+/).filter((w) => w !== ''),
    useDestdir: destdir === 'user-destdir' || destdir === 'destdir' ? destdir : 'no',
    bootstrapPkg: (getField(r, 'BOOTSTRAP_PKG') ?? '') !== '',
    usergroupPhase: getField(r, 'USERGROUP_PHASE') ?? '',
    text: r.text,
    force,
  };
}
