// A second VS Code for a test that needs other settings than the main server's (workspace
// trust on, walkthroughs opening on install ...): its own state directory with the packaged
// extension, one window on the sample workspace, and everything removed afterwards (its log
// kept in test-results/e2e/logs when a test of the suite failed).
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ctx } from './context.mjs';
import { vsixPath } from './package.mjs';
import { installVsix, startServer } from './server.mjs';
import { newPage, openWorkbench } from './workbench.mjs';

/** Starts it; `close(failed)` stops it and removes its state. */
export async function openSecondServer(name, serverOptions) {
  const state = mkdtempSync(join(tmpdir(), `pkgsrc-bulk-e2e-${name}-`));
  let server;
  let page;
  const close = async (failed) => {
    if (server && failed) {
      mkdirSync(join(ctx.resultsDir, 'logs'), { recursive: true });
      cpSync(server.layout.log, join(ctx.resultsDir, 'logs', `${name}-server.log`));
    }
    if (page) {
      ctx.pages.delete(page);
      await page.close().catch(() => {});
    }
    await server?.stop();
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await installVsix(state, vsixPath);
    server = await startServer({ state, ...serverOptions });
    page = await newPage(ctx.browser);
    ctx.pages.add(page);
    await openWorkbench(page, server, { folder: ctx.workspace.root });
  } catch (e) {
    await close(true);
    throw e;
  }
  return { server, page, close };
}
