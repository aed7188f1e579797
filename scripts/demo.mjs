// `npm run demo`: the main job on a generated sample tree. Writes a pkgsrc tree with a pbulk.conf
// and a limited_list into a demo directory, then either
//   - starts a real VS Code (code-server, bound to 127.0.0.1) with the packaged extension
//     installed and the tree opened, its Getting Started walkthrough showing, prints the URL and
//     runs until Ctrl-C, which stops VS Code and the build engine it started, or
//   - with --headless, runs the sandboxed limited build through the `pkgsrc-bulk` CLI and prints
//     its progress and the report summary.
//
//   node scripts/demo.mjs [--headless] [--dir DIR] [--port N] [--packages N] [--vsix FILE]
//     --dir       demo directory (default /var/tmp/pkgsrc-bulk-demo); rewritten on every run
//     --port      port of the editor on 127.0.0.1 (default: a free one)
//     --packages  size of the sample tree (default 300)
//     --vsix      install this packaged extension instead of packaging one
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const MARKER = '.pkgsrc-bulk-demo';

function fail(msg) {
  console.error(`demo: ${msg}`);
  process.exit(2);
}

let opts;
try {
  opts = parseArgs({
    options: {
      headless: { type: 'boolean', default: false },
      dir: { type: 'string', default: '/var/tmp/pkgsrc-bulk-demo' },
      port: { type: 'string', default: '0' },
      packages: { type: 'string', default: '300' },
      vsix: { type: 'string' },
    },
  }).values;
} catch (e) {
  fail(`${e.message}\nusage: node scripts/demo.mjs [--headless] [--dir DIR] [--port N] [--packages N] [--vsix FILE]`);
}
const port = Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${opts.port}: not a port number`);
const packages = Number(opts.packages);
if (!Number.isInteger(packages) || packages < 10 || packages > 12000) fail(`--packages ${opts.packages}: must be 10 to 12000`);

/**
 * The demo directory, emptied; refuses a non-empty directory the demo did not make, and one
 * with something still mounted below it (a sandbox of a killed build that cleanup cannot take down).
 */
async function freshDemoDir(dir) {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) fail(`${dir} is not empty and was not made by the demo; choose another --dir`);
    const { ensureNothingMounted } = await import('../test/e2e/lib/mounts.mjs');
    await ensureNothingMounted(dir, { engine: join(root, 'dist/engine.js'), sandboxBase: join(dir, 'sandboxes') });
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'Made by `npm run demo`; rewritten on every run.\n');
}

function runNode(args, what) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${what} failed (exit ${r.status ?? r.signal})`);
}

function headless(ws) {
  const engine = join(root, 'dist/engine.js');
  const cli = (args) => {
    console.log(`\n$ pkgsrc-bulk ${args.join(' ')}`);
    return spawnSync(process.execPath, [engine, ...args], { cwd: ws.root, stdio: 'inherit' }).status;
  };
  const kind = process.getuid?.() === 0 ? 'chroot' : 'namespace';
  console.log(`\nThe limited build runs in ${kind} sandboxes under ${ws.sandboxBase}, two packages at a time.`);
  const built = cli(['build', '--config', ws.pbulkConf]);
  const reported = cli(['report', '--bulklog', ws.bulklog, '--no-write']);
  console.log(
    `\nOn purpose, ${ws.build.fails} does not compile (${relative(ws.root, ws.build.failSource)} uses a variable it never declares), so ${ws.build.dependsOnFailed}, which depends on it, is not built; ${ws.build.broken} has a BROKEN line.`,
  );
  console.log(`bulklog: ${ws.bulklog}`);
  // Exit 1 means "some packages failed", which this sample build is made to show.
  return [built, reported].every((s) => s === 0 || s === 1) ? 0 : 1;
}

async function editor(ws, dir) {
  // Loaded here: they need the npm packages that setup installs.
  const { packageExtension } = await import('../test/e2e/lib/package.mjs');
  const { installVsix, startServer } = await import('../test/e2e/lib/server.mjs');
  const { shutdownEngine } = await import('../test/e2e/lib/engine.mjs');
  if (opts.vsix && !existsSync(opts.vsix)) fail(`--vsix ${opts.vsix}: no such file`);
  if (!opts.vsix) console.log('demo: packaging the extension');
  const vsix = opts.vsix ?? (await packageExtension());
  const state = join(dir, 'vscode');
  await installVsix(state, vsix);
  // A newcomer's first start: the extension opens its Getting Started walkthrough.
  const server = await startServer({ state, port, settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true } });
  const url = `${server.origin}/?folder=${encodeURIComponent(ws.root).replace(/%2F/g, '/')}`;
  console.log(`
pkgsrc-bulk demo: VS Code (code-server) with the extension, on the sample tree ${ws.root}

  Open  ${url}

  It listens on 127.0.0.1 only; from another machine: ssh -L ${server.port}:127.0.0.1:${server.port} <this host>
  The sample pbulk.conf and limited_list are at the top of the tree; the server log is ${server.layout.log}.
  Press Ctrl-C to stop.
`);
  let stopping = false;
  // The engine a build started outlives the window on purpose; the demo ends it with VS Code.
  const stopEngine = async () => {
    if (await shutdownEngine(ws.bulklog)) console.log('demo: the build engine stopped');
  };
  const stop = async (sig) => {
    if (stopping) return;
    stopping = true;
    console.log(`\ndemo: ${sig}, stopping VS Code and the build engine`);
    await server.stop();
    await stopEngine();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await server.exited;
  if (!stopping) {
    await stopEngine();
    fail(`VS Code stopped by itself; see ${server.layout.log}`);
  }
}

async function main() {
  // The editor needs code-server on top of what `npm run setup` installs; quick when it is there.
  if (!opts.headless) runNode([join(root, 'scripts/setup.mjs'), '--e2e'], 'setup --e2e');
  if (!existsSync(join(root, 'dist/engine.js'))) runNode([join(root, 'esbuild.mjs')], 'the build');

  const dir = opts.dir;
  await freshDemoDir(dir);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/e2e/fixtures/workspace.ts'), dir, String(packages)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) fail('could not write the sample tree');
  const ws = JSON.parse(r.stdout);
  console.log(`demo: sample tree of ${ws.packages.length} packages in ${ws.categories.length} categories at ${ws.root}`);

  if (opts.headless) process.exit(headless(ws));
  await editor(ws, dir);
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
