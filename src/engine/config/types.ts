// What the engine needs from pbulk.conf plus its own settings, with pbulk's meanings. Built by
// load.ts from a real pbulk.conf; tests may build one directly.
import type { MasterAddress } from '../../pkgsrc/wire/address';
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
  /** config_version as written. */
  configVersion?: string;
  /** The pbulk version the config is for (decides how limited_list is read). */
  pbulkVersion?: string;
  /** The repository and upload settings (gzip, digest, rsync targets, mail); defaults when absent. */
  publish?: PublishConf;
  /** master_mode=yes with scan_clients or build_clients: pbulk's master/client protocol. */
  master?: MasterConfig;
  settings: EngineSettings;
}

/** One master (scan or build): where it listens, who it starts and expects. */
export interface MasterRole {
  address: MasterAddress;
  /** master_port_scan / master_port_build as written (what clients are told). */
  port: string;
  /** scan_clients / build_clients entries (ssh destinations, `host:sshport` or `/chroot`). */
  clients: string[];
  /** pscan_start_script / pbuild_start_script; undefined: clients are started by hand. */
  startScript?: string;
}

export interface MasterConfig {
  /** Present when scan_clients lists hosts: the scan runs on them. */
  scan?: MasterRole;
  /** Present when build_clients lists hosts: the packages build on them. */
  build?: MasterRole;
  configVersion: string;
  /** 0-based pbulk.conf line of each master-mode variable, for diagnostics on it. */
  lines: Record<string, number>;
}
