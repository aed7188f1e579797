// The one interface every sandbox backend implements (chroot, namespace, command, none). The
// builder and the scanner only see this; which backend runs is a configuration choice.
import type { Writable } from 'node:stream';

export type BackendName = 'chroot' | 'namespace' | 'command' | 'none';

export interface SandboxSpec {
  /** Directory that becomes the sandbox root. Must lie under the sandbox base directory. */
  root: string;
  /** The sandbox base directory (holds the roots and their state files); default: the parent of root. */
  base?: string;
  /** Host directories bind-mounted read-only at the same path inside (missing ones skipped). */
  roDirs: string[];
  /** Host directories bind-mounted read-write at the same path inside (pkgsrc, bulklog, packages, distfiles). */
  rwDirs: string[];
  /** Host directories copied in (a snapshot, e.g. /etc). */
  copyDirs: string[];
  /** Directories created inside, with their mode (tmp 1777, var dirs, prefix, pkgdb). */
  createDirs: { path: string; mode: number }[];
  /** Mount /dev (rw bind on Linux, as mksandbox does) and /proc. */
  dev: boolean;
  proc: boolean;
  /** Bootstrap kit (a .tar.gz or a directory) unpacked at sandbox creation, if set. */
  bootstrapKit?: string;
  /**
   * Directories each sandbox has for itself (WRKOBJDIR): a tmpfs of at most tmpfsBytes where
   * the backend can keep one mounted (chroot), else a directory in the sandbox root. One that
   * lies inside a read-write mount is that mount's (shared); inside a read-only one, an error.
   */
  privateDirs?: PrivateDir[];
}

export interface PrivateDir {
  path: string;
  mode: number;
  /** Owner of the directory (the user who builds), default the engine's user. */
  uid?: number;
  gid?: number;
  /** Size limit of a tmpfs; without it the directory is always on disk. */
  tmpfsBytes?: number;
}

export interface ExecLimits {
  /** ulimit -t: CPU seconds. */
  cpuSeconds?: number;
  /** ulimit -v: virtual memory in KiB. */
  virtualMemoryKiB?: number;
  /** Wall-clock timeout in ms; the process group is killed when it expires. */
  timeoutMs?: number;
}

export interface ExecOptions {
  env: Record<string, string>;
  cwd: string;
  /** Run as this user (name) instead of the engine's user; used for unprivileged_user steps. */
  user?: string;
  limits?: ExecLimits;
  /** Text written to the child's stdin (pkg-build gets its record this way). */
  input?: string;
  /** Where stdout and stderr go, interleaved as written (a phase log). Ignored when capture is set. */
  output?: Writable;
  /** Capture stdout (and stderr separately) instead of streaming. */
  capture?: boolean;
  /**
   * How captured bytes become text. `latin1` keeps every byte as one character, so output that
   * is written back to a file (pbulk-index records into meta/pscan) stays byte for byte what the
   * command printed, whatever its encoding. Default utf8.
   */
  captureEncoding?: 'utf8' | 'latin1';
  signal?: AbortSignal;
  /**
   * false: the command gets no network, in a network namespace of its own, where the backend
   * makes one (namespace); chroot and the host share the host's network whatever this says.
   */
  network?: boolean;
}

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout?: string;
  stderr?: string;
}

export interface Sandbox extends AsyncDisposable {
  readonly backend: BackendName;
  readonly root: string;
  exec(argv: string[], options: ExecOptions): Promise<ExecResult>;
  /** Unmounts in reverse, kills what still runs inside, verifies nothing is mounted, then deletes. */
  destroy(): Promise<void>;
}

export interface SandboxBackend {
  readonly name: BackendName;
  /** How many sandboxes of this backend may run builds at once (none: 1). */
  readonly maxSlots: number;
  create(spec: SandboxSpec): Promise<Sandbox>;
}
