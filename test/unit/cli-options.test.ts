// Each command declares its options once (commands/options.ts): the same table configures the
// parser and writes the option lines of its usage, so `--help` lists exactly what it accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../src/engine/commands/index';
import { CONF_OPTIONS, optionLines, parseOptions, type OptionTable } from '../../src/engine/commands/options';
import { UsageError } from '../../src/engine/commands/types';

/** Commands without one table: resolve takes pbulk-resolve's getopt flags (-v, -vv, -i FILE,
 * -p as pbulk-resolve does); sandbox has one table per subcommand (checked below). */
const OWN_PARSER = ['resolve', 'sandbox'];

test('every command but the listed exceptions has an options table, and its usage lists the table', async () => {
  const without: string[] = [];
  for (const entry of commands) {
    const cmd = await entry.load();
    if (!cmd.options) {
      without.push(cmd.name);
      continue;
    }
    assert.ok(cmd.usage.includes(optionLines(cmd.options)), `${cmd.name}: the usage holds the option lines of its table`);
    // The synopsis (the usage's first paragraph) names only options of the table.
    const synopsis = cmd.usage.split('\n\n')[0]!;
    for (const [, name] of synopsis.matchAll(/--([a-z][a-z0-9-]*)/g))
      assert.ok(name! in cmd.options, `${cmd.name}: the synopsis names --${name}, which is not in its table`);
    for (const [, short] of synopsis.matchAll(/(?:^|[\s[(|])-([a-zA-Z])\b/g)) {
      assert.ok(
        Object.values(cmd.options).some((o) => o.short === short),
        `${cmd.name}: the synopsis names -${short}, which is not in its table`,
      );
    }
  }
  assert.deepEqual(without, OWN_PARSER);
});

test('sandbox: the usage lists the options of each subcommand', async () => {
  const { sandboxCommand, SUBCOMMAND_OPTIONS } = await import('../../src/engine/commands/sandbox');
  for (const [sub, table] of Object.entries(SUBCOMMAND_OPTIONS)) assert.ok(sandboxCommand.usage.includes(optionLines(table)), `sandbox ${sub}`);
});

test('option lines: short options in a column of their own, helps aligned, continuation lines under the help', () => {
  const table = {
    ...CONF_OPTIONS,
    'idle-exit': { type: 'string', arg: 'SECONDS', help: 'exit after this long\nwith nothing to do' },
  } as const satisfies OptionTable;
  assert.equal(
    optionLines(table),
    [
      '  -c, --config FILE        pbulk.conf (default: $PBULK_CONF)',
      '      --settings FILE      engine settings (JSON, see docs/cli.md)',
      '      --idle-exit SECONDS  exit after this long',
      '                           with nothing to do',
    ].join('\n'),
  );
  assert.equal(optionLines({ json: { type: 'boolean', help: 'as JSON' } }), '  --json  as JSON');
});

test('parsing: the table types the values; an unknown or incomplete option is a usage error with the usage', () => {
  const table = { ...CONF_OPTIONS, watch: { type: 'boolean', help: 'follow' } } as const satisfies OptionTable;
  const { values, positionals } = parseOptions(['-c', 'a.conf', '--watch', 'x'], table, 'USAGE', true);
  assert.deepEqual({ ...values }, { config: 'a.conf', watch: true });
  assert.deepEqual(positionals, ['x']);
  assert.throws(
    () => parseOptions(['--frobnicate'], table, 'USAGE'),
    (e: unknown) => e instanceof UsageError && /--frobnicate/.test(e.message) && e.message.endsWith('\n\nUSAGE'),
  );
  assert.throws(() => parseOptions(['--config'], table, 'USAGE'), UsageError);
  assert.throws(() => parseOptions(['x'], table, 'USAGE'), UsageError, 'no positionals unless allowed');
});
