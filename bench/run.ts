// `npm run bench -- NAME...`: runs bench/NAME.ts (all of them without a name). Each benchmark
// measures its baseline in the same run and prints ratios against it, so the figures compare
// across machines; docs/benchmarks.md records them with the command that produced them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Benchmark {
  /** Prints its own table; returns nothing. */
  run(args: string[]): Promise<void>;
}

const here = __dirname;
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'util.ts'].includes(f))
  .map((f) => f.slice(0, -3))
  .sort();

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('-'));
  const chosen = names.length > 0 ? names : available;
  for (const name of chosen) {
    if (!available.includes(name)) {
      console.error(`bench: no benchmark '${name}' (have: ${available.join(', ') || 'none'})`);
      process.exit(2);
    }
  }
  for (const name of chosen) {
    console.log(`\n## ${name}\n`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(here, `${name}.ts`)) as { default: Benchmark };
    await mod.default.run(args.filter((a) => a.startsWith('-')));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
