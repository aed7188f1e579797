// One CLI command per file; main.ts dispatches on the first argument.

export interface Command {
  name: string;
  /** One line for `pkgsrc-bulk --help`. */
  summary: string;
  /** Full usage text for `pkgsrc-bulk <name> --help`. */
  usage: string;
  /** Returns the process exit code. Usage errors exit 2 (see docs/cli.md). */
  run(argv: string[]): Promise<number>;
}

/** Thrown for bad arguments or input the command cannot work with: printed, exit 2. */
export class UsageError extends Error {}
