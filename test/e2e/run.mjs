// The end-to-end suite in a real VS Code (code-server 4.100.3 = VS Code 1.100): packages the
// extension as a .vsix, installs it into an isolated server on a free loopback port, opens a
// generated pkgsrc workspace, runs the UI tests (test/e2e/ui/*.mjs, playwright) and the
// extension-host tests (test/e2e/suite/*.test.ts, mocha inside the extension host), and stops the
// server. Exit code 0 when everything passed. Screenshots go to test-results/e2e/shots; on a
// failure the server and extension-host logs are copied to test-results/e2e/logs.
//
//   node test/e2e/run.mjs [--grep RE] [--ui | --api] [--no-package] [--docs-images]
//     --grep RE       only tests whose full title matches the regular expression RE (both kinds)
//     --ui, --api     only the UI tests, only the extension-host tests
//     --no-package    reuse dist/pkgsrc-bulk.vsix from an earlier run instead of packaging
//     --docs-images   also write the README screenshots into docs/images
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { launchBrowser } from './lib/browser.mjs';
import { ctx } from './lib/context.mjs';
import { runExtensionTests } from './lib/ext-tests.mjs';
import { bundleSuite } from './lib/bundle-suite.mjs';
import { install } from './install.mjs';
import { repoRoot, resultsDir } from './lib/paths.mjs';
import { createRunDir, recordServer, removeRunDir, removeStaleRuns } from './lib/run-dir.mjs';
import { packageExtension, vsixPath } from './lib/package.mjs';
import { installVsix, startServer } from './lib/server.mjs';
import { createWorkspace } from './lib/workspace.mjs';
import { installedPbulk } from './lib/installed-pbulk.mjs';

const { values: opts } = parseArgs({
  options: {
    grep: { type: 'string' },
    ui: { type: 'boolean', default: false },
    api: { type: 'boolean', default: false },
    'no-package': { type: 'boolean', default: false },
    'docs-images': { type: 'boolean', default: false },
  },
});
const runUi = opts.ui || !opts.api;
const runApi = opts.api || !opts.ui;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const step = (msg) => console.log(`# e2e [${elapsed()}] ${msg}`);

async function buildVsix() {
  if (opts['no-package'] && existsSync(vsixPath)) return vsixPath;
  step('packaging the extension (npm run package)');
  return packageExtension();
}

/** The installed extension's directory: the extension host tests load that same copy. */
function installedExtensionDir(extensionsDir) {
  const name = readdirSync(extensionsDir).find((n) => n.startsWith('pkgsrc-bulk.pkgsrc-bulk-'));
  if (!name) throw new Error(`the .vsix did not install into ${extensionsDir}`);
  return join(extensionsDir, name);
}

async function runUiTests() {
  const dir = join(repoRoot, 'test/e2e/ui');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000, color: process.stdout.isTTY });
  if (opts.grep) mocha.grep(new RegExp(opts.grep));
  // What the pages looked like when a test or a hook failed: a failed test is shot in a root
  // afterEach hook, before anything else runs; a failed hook when mocha reports it.
  const shoot = (runnable) => {
    const base = runnable
      .fullTitle()
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 100);
    let i = 0;
    return Promise.all(
      [...ctx.pages].map((page) => {
        const file = join(resultsDir, `ui-${base}-failure${i++ || ''}.png`);
        return page.screenshot({ path: file }).then(
          () => console.log(`  screenshot: ${file}`),
          () => {},
        );
      }),
    );
  };
  mocha.rootHooks({
    async afterEach() {
      if (this.currentTest?.state === 'failed') await shoot(this.currentTest);
    },
  });
  const shots = [];
  const onFail = (runnable) => {
    if (runnable.type === 'hook') shots.push(shoot(runnable));
  };
  for (const f of files) mocha.addFile(join(dir, f));
  await mocha.loadFilesAsync();
  const failures = await new Promise((resolve) => mocha.run(resolve).on('fail', onFail));
  await Promise.all(shots);
  mocha.dispose();
  return failures === 0;
}

function keepLogs(server) {
  const logs = join(resultsDir, 'logs');
  mkdirSync(logs, { recursive: true });
  cpSync(server.layout.log, join(logs, 'server.log'));
  const vscodeLogs = join(server.layout.userData, 'logs');
  if (existsSync(vscodeLogs)) cpSync(vscodeLogs, join(logs, 'vscode'), { recursive: true });
  console.log(`# e2e logs kept in ${logs}`);
}

let interrupted = false;

async function main() {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  install({ quiet: true });
  await removeStaleRuns();
  const vsix = await buildVsix();

  const runDir = createRunDir();
  ctx.resultsDir = resultsDir;
  ctx.docsImages = opts['docs-images'];
  ctx.docsImagesDir = join(repoRoot, 'docs/images');
  let server;
  let closeBrowser = async () => {};
  let ok = true;
  // Ctrl-C: stop the server and the browser before leaving, with the usual exit code.
  const onSignal = (sig) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`# e2e: ${sig}, cleaning up`);
    Promise.allSettled([closeBrowser(), server?.stop()])
      .then(() => removeRunDir(runDir))
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const [workspace, suite] = await Promise.all([createWorkspace(join(runDir, 'workspace')), bundleSuite(join(runDir, 'suite'), { grep: opts.grep })]);
    ctx.workspace = workspace;
    ctx.suite = suite;
    // The extension-host tests compare the views against the same description.
    writeFileSync(join(suite.dir, 'workspace.json'), JSON.stringify(workspace));
    const state = join(runDir, 'state');
    await installVsix(state, vsix);
    // The extension-host tests run as on a machine with pbulk 0.51 installed, where root can make one.
    const pbulk = await installedPbulk(runDir);
    if (pbulk.reason) console.log(`# NOTICE: the extension-host tests run without a stand-in installed pbulk: ${pbulk.reason}`);
    writeFileSync(join(suite.dir, 'installed-pbulk.json'), JSON.stringify(pbulk.reason ? {} : { version: pbulk.version, file: pbulk.file }));
    server = await startServer({ state });
    recordServer(runDir, server.pid);
    ctx.server = server;
    ctx.extensionDir = installedExtensionDir(server.layout.extensions);
    step(`code-server on ${server.origin} (state ${state})`);
    const b = await launchBrowser();
    ctx.browser = b.browser;
    closeBrowser = b.close;

    if (runUi) {
      step('UI tests (playwright)');
      ok = (await runUiTests()) && ok;
    }
    if (runApi) {
      if (pbulk.wrap) {
        // The same state on a server that sees the stand-in /usr/pbulk: every extension-host
        // test, builds from the editor included, runs where the extension detects pbulk 0.51.
        await server.stop();
        server = await startServer({ state, wrap: pbulk.wrap });
        recordServer(runDir, server.pid);
        ctx.server = server;
        step(`code-server on ${server.origin}, seeing pbulk ${pbulk.version} installed (${pbulk.file}, in its own mount namespace)`);
      }
      step('extension-host tests (mocha in the extension host)');
      const code = await runExtensionTests({ name: 'suite' });
      ok = code === 0 && ok;
    }
  } catch (e) {
    ok = false;
    if (!interrupted) console.error(`# e2e error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    await closeBrowser();
    if (server) {
      await server.stop();
      if (!ok && !interrupted) keepLogs(server);
    }
    await removeRunDir(runDir);
  }
  if (!interrupted) step(ok ? 'passed' : 'FAILED');
  return ok;
}

main().then(
  // After a signal, the signal handler exits once it has cleaned up.
  (ok) => interrupted || process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
