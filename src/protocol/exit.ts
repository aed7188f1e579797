// The engine's exit codes, for the CLI's users (docs/cli.md) and for the extension, which
// starts the engine process and tells from its code why it ended.
export const EXIT = {
  /** Everything asked for was done (every package built, or prefailed by its own Makefile). */
  ok: 0,
  /** Work done, but something failed: a package failed (directly or through a dependency), a scan or resolve failed. */
  failed: 1,
  /** Bad usage, or a pbulk.conf / settings file the engine cannot use. */
  usage: 2,
  /** Another engine holds the bulklog. */
  locked: 3,
  /** The first packages to finish all failed alike: the build stopped (resumable) on one problem of the set-up. */
  systemic: 4,
  /** A bug. */
  internal: 70,
} as const;
