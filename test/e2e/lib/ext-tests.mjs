// Runs the mocha suites inside the real extension host, the way VS Code's own browser
// integration tests do: the workbench URL payload names the extension (extensionDevelopmentPath)
// and a test module (extensionTestsPath) whose run() the extension host awaits; the workbench then
// calls window.codeAutomationExit(code), which the page exposes back to us.
import { format } from 'node:util';
import { join } from 'node:path';
import { suiteEntry } from './bundle-suite.mjs';
import { ctx } from './context.mjs';
import { newPage, openWorkbench } from './workbench.mjs';

// Workbench chatter that says nothing about the tests.
const NOISE =
  /connection token|Creation of workbench contribution|Long running operations during shutdown|Creating a socket|grace-time|Service Worker|open-vsx|builtin extensions cache|Canceled: Canceled|ChatSessionStore|AgentHost/;

/**
 * Runs the bundled extension-host suite (or only `files` / tests matching `grep`) in a fresh
 * window on `folder` and returns 0 when every test passed, 1 otherwise. The extension host's
 * console (mocha's reporter) is printed as it arrives. Defaults come from the run's context.
 */
export async function runExtensionTests({
  name,
  files,
  grep,
  folder = ctx.workspace.root,
  server = ctx.server,
  devPath = ctx.extensionDir,
  suite = ctx.suite,
  timeout = 240_000,
}) {
  const testsPath = files || grep ? suiteEntry(suite, name, { files, grep }) : suite.index;
  const remote = (p) => `vscode-remote://${server.authority}${p}`;
  const page = await newPage(ctx.browser);
  ctx.pages.add(page);
  // The extension host's console arrives as ('%c INFO', 'color: ...', fmt, ...args).
  page.on('console', async (m) => {
    const args = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '?')));
    if (typeof args[0] !== 'string' || !/^%c\s*(INFO|ERR|WARN)/.test(args[0]) || !/^color:/.test(String(args[1]))) return;
    const level = args[0].replace('%c', '').trim();
    const line = format(...args.slice(2));
    if (!process.env.PKGSRC_BULK_E2E_VERBOSE && NOISE.test(line)) return;
    ctx.log(level === 'INFO' ? line : `[vscode ${level}] ${line}`);
  });
  let exit;
  const exited = new Promise((resolve) => {
    exit = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  const t0 = Date.now();
  let timer;
  try {
    await openWorkbench(page, server, {
      folder,
      payload: [
        ['extensionDevelopmentPath', remote(devPath)],
        ['extensionTestsPath', remote(testsPath)],
      ],
    });
    const code = await Promise.race([
      exited,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeout);
      }),
    ]);
    ctx.log(`# extension-host suite "${name}": ${code === 0 ? 'passed' : `FAILED (${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (code !== 0) await page.screenshot({ path: join(ctx.resultsDir, `api-${name}-failure.png`) }).catch(() => {});
    return code === 0 ? 0 : 1;
  } finally {
    clearTimeout(timer);
    ctx.pages.delete(page);
    await page.close().catch(() => {});
  }
}
