// One CLI command per file; main.ts dispatches on the first argument.
import type { OptionTable } from './options';

export interface Command {
  name: string;
  /** One line for `pkgsrc-bulk --help`. */
  summary: string;
  /** Full usage text for `pkgsrc-bulk <name> --help`. */
  usage: string;
  /** The options it takes, from which its usage lists them (commands/options.ts). */
  options?: OptionTable;
  /** Returns the process exit code. Usage errors exit 2 (see docs/cli.md). */
  run(argv: string[]): Promise<number>;
}

/**
 * A command as `pkgsrc-bulk` lists it: its name and `--help` line, and a loader for the rest.
 * Only the command that runs is loaded (and compiled): see commands/index.ts.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Thrown for bad arguments or input the command cannot work with: printed, exit 2. */
export class UsageError extends Error {}
