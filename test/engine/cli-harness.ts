// Runs the real `pkgsrc-bulk` CLI in its own process, from a bundle of the current sources made
// once per test process (the same esbuild settings as esbuild.mjs), so tests never run a stale
// dist/engine.js and do not pay tsx's start-up for every process.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
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

/**
 * A stand-in engine's connection handler (no engine behind it): hangs up without answering once
 * the first JSON-RPC message has arrived whole, its header and its Content-Length of body.
 */
export function hangUpAfterRequest(socket: Socket): void {
  let got = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => {
    got = Buffer.concat([got, d]);
    const end = got.indexOf('\r\n\r\n');
    const length = /Content-Length: (\d+)/i.exec(got.subarray(0, Math.max(end, 0)).toString('ascii'));
    if (end >= 0 && length && got.length >= end + 4 + Number(length[1])) socket.destroy();
  });
}
