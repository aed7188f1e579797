// `pkgsrc-bulk` entry point: the CLI, and the engine process the extension starts (`serve`).
// It holds only the list of commands; each command's code is loaded when it runs.
import { version } from '../../package.json';
import { commands } from './commands/index';
import { UsageError } from './commands/types';
import { EXIT } from '../protocol/exit';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'usage: pkgsrc-bulk <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `pkgsrc-bulk <command> --help` for the options of one command,',
    '`pkgsrc-bulk --version` for the version.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    console.log(`pkgsrc-bulk ${version}`);
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    console.error(`pkgsrc-bulk: unknown command '${name}'\n\n${help()}`);
    return EXIT.usage;
  }
  const cmd = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd.usage);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`pkgsrc-bulk ${name}: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
}

// A closed pipe on stdout (`pkgsrc-bulk build --json | head`) ends the output, not the engine
// with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

let settled = false;
main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (e: unknown) => {
    settled = true;
    console.error(`pkgsrc-bulk: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = EXIT.internal;
  },
);

// Node ends a process whose event loop is empty with status 0, even while the command still
// awaits a promise nothing can settle any more: that would be a silent success.
process.on('beforeExit', () => {
  if (settled) return;
  console.error(`pkgsrc-bulk: internal error: '${process.argv[2] ?? ''}' stopped before it finished: it waits for something that can no longer happen`);
  process.exit(EXIT.internal);
});
