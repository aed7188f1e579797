// What the engine needs from pbulk.conf plus its own settings, with pbulk's meanings. Built by
// load.ts from a real pbulk.conf; tests may build one directly.
import type { ExecLimits } from '../sandbox/types';
import type { PublishConf } from '../publish/config';
import type { EngineSettings } from './settings';

export interface EngineConfig {
  /** The pbulk.conf this came from (absolute). */
  configFile: string;
  pkgsrc: string;
  bulklog: string;
  /** `loc`: the meta directory, `${bulklog}/meta` normally. */
  metaDir: string;
  packages: string;
  prefix: string;
  pkgdb: string;
  varbase: string;
  /** `make`, split into words (a command may carry arguments). */
  make: string[];
  pkgAdd: string[];
  pkgDelete: string[];
  pkgInfo: string[];
  tar: string[];
  /** A .tar.gz or a directory restored into the prefix before each build; undefined: none. */
  bootstrapKit?: string;
  /** limited_list; undefined: full build. */
  limitedList?: string;
  unprivilegedUser?: string;
  keepWrkdir: boolean;
  keepPrefix: boolean;
  skipAgeCheck: boolean;
  useUnprivilegedChecksum: boolean;
  ignoreMissingDependencies: boolean;
  /** `pkg_sufx`, `.tgz` by default. */
  pkgSufx: string;
  baseUrl: string;
  reportGraphScriptLimit: number;
  /** From `ulimit -t` / `ulimit -v` lines. */
  limits: ExecLimits;
  /** build_chroots; undefined when not set. */
  buildChroots?: number;
  /** scan_procs (or scan_chroots). */
  scanProcs?: number;
  chrootDir?: string;
  /** chroot_create / chroot_delete: user scripts making and removing a sandbox. */
  chrootCreate?: string;
  chrootDelete?: string;
  /** The pbulk version the config is for (decides how limited_list is read). */
  pbulkVersion?: string;
  /** The repository and upload settings (gzip, digest, rsync targets, mail); defaults when absent. */
  publish?: PublishConf;
  settings: EngineSettings;
}
