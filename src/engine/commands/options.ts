// A command's options, declared once: one table gives node's parseArgs its configuration and
// the option lines of the command's usage text, so what `--help` lists is what the command
// accepts. Small and free of engine code, since every command module imports it.
import { parseArgs } from 'node:util';
import { UsageError } from './types';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One letter: `-c` beside `--config`. */
  short?: string;
  multiple?: boolean;
  /** What the value is called in the usage (string options), e.g. FILE. */
  arg?: string;
  /** The usage line; a line break continues it under the first. */
  help: string;
  default?: string | boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** The pbulk.conf and the engine settings, as most commands take them. */
export const CONF_OPTIONS = {
  config: { type: 'string', short: 'c', arg: 'FILE', help: 'pbulk.conf (default: $PBULK_CONF)' },
  settings: { type: 'string', arg: 'FILE', help: 'engine settings (JSON, see docs/cli.md)' },
} as const satisfies OptionTable;

export const JSON_OPTION = { json: { type: 'boolean', help: 'print the result as JSON' } } as const satisfies OptionTable;

/** The option lines of a usage text: `  -c, --config FILE  help`, the helps in one column (short
 * options in a column of their own when the table has any). */
export function optionLines(table: OptionTable): string {
  const shorts = Object.values(table).some((o) => o.short);
  const heads = Object.entries(table).map(([name, o]) => `  ${o.short ? `-${o.short}, ` : shorts ? '    ' : ''}--${name}${o.arg ? ` ${o.arg}` : ''}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return Object.values(table)
    .map((o, i) => {
      const [first, ...more] = o.help.split('\n');
      return [heads[i]!.padEnd(width) + first, ...more.map((l) => ' '.repeat(width) + l)].join('\n');
    })
    .join('\n');
}

/** parseArgs over the table (strict); a bad option is a UsageError followed by the usage. */
export function parseOptions<T extends OptionTable>(argv: string[], options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
}
