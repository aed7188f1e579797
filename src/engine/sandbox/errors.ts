// One error type for everything the sandbox layer refuses or fails to do. The code says which
// check tripped, so callers (the CLI, the builder) can react without parsing messages; the
// message always names the path it is about.

export type SandboxErrorCode =
  /** A path fails a safety check: not absolute, outside the base, through a symlink, a system dir. */
  | 'unsafe-path'
  /** The sandbox directory exists but this tool did not create it (no state file of ours). */
  | 'foreign'
  /** Another live process owns the sandbox. */
  | 'owned'
  /** Something is still mounted below the root, or a process still uses it: nothing was deleted. */
  | 'busy'
  /** A mount could not be made, or is not what was asked (e.g. not really read-only). */
  | 'mount-failed'
  /** A needed program is missing (unshare, bwrap, mount, ...). */
  | 'missing-tool'
  /** The backend cannot run here (not root, no user namespaces, no overlayfs ...). */
  | 'not-supported'
  /** A user script (chroot_create / chroot_delete) failed. */
  | 'script-failed'
  /** The spec itself is wrong (a rw dir that contains the root, a bad bootstrap kit ...). */
  | 'bad-spec';

export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
