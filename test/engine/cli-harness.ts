// Runs the real `pkgsrc-bulk` CLI in its own process, from a bundle of the current sources made
// once per test process (the same esbuild settings as esbuild.mjs), so tests never run a stale
// dist/engine.js and do not pay tsx's start-up for every process.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

let bundle: string | undefined;

export function engineBundle(): string {
  if (bundle) return bundle;
  const dir = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-engine-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'engine.js');
  buildSync({
    entryPoints: [resolve(__dirname, '../../src/engine/main.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
  bundle = out;
  return out;
}

/** argv for running the CLI with these arguments. */
export function cli(...args: string[]): [string, string[]] {
  return [process.execPath, [engineBundle(), ...args]];
}
