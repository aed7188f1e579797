// The run history as a person sees it: the sample build runs twice through the CLI, the second
// time after a Makefile edit broke a package that built the first time; the report view opens
// on "Since the previous run" with that new failure first, and its links open the Makefile.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { after, before, describe, it } from 'mocha';
import { ctx } from '../lib/context.mjs';
import { editorTab, mainPage, regionOf, resetWindow, runCommand, screenshot, showContainer, viewPane, waitFor } from '../lib/workbench.mjs';

describe('what changed since the previous run (UI)', () => {
  let page;
  let makefile;
  let text;
  const ws = ctx.workspace;
  const ok = () => ws.build.succeeds[0];
  const pkgname = (p) => ws.packages.find((x) => x.path === p).pkgname;

  /** No bulklog, no history, no binary packages: later suites start from nothing. */
  const emptyBuildDirs = () => {
    for (const dir of [ws.bulklog, ws.packagesDir]) {
      for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true });
    }
    rmSync(`${ws.bulklog}.history`, { recursive: true, force: true });
  };
  const build = async (what) => {
    const r = await execa(process.execPath, [join(ctx.extensionDir, 'dist/engine.js'), 'build', '--config', ws.pbulkConf], {
      reject: false,
      all: true,
      timeout: 120_000,
    });
    assert.equal(r.exitCode, 1, `${what}: pkgsrc-bulk build exited ${r.exitCode}:\n${r.all}`);
  };

  before(async function () {
    this.timeout(300_000);
    emptyBuildDirs();
    makefile = join(ws.root, ok(), 'Makefile');
    text = readFileSync(makefile, 'utf8');
    await build('the first build');
    writeFileSync(makefile, text.replace(/^\.include "\.\.\/\.\.\/mk\/bsd\.pkg\.mk"$/m, 'FIXTURE_FAIL_PHASE=\tbuild\n$&'));
    rmSync(join(ws.packagesDir, 'All', `${pkgname(ok())}.tgz`), { force: true });
    await build('the build after the edit');
    page = await mainPage();
    // A reload forgets a bulklog an earlier suite opened from disk: the sample's is shown again.
    await page.reload();
    await waitFor(page.locator('.monaco-workbench'), 'the reloaded workbench', { timeout: 60_000 });
    await resetWindow(page);
  });

  after(async () => {
    if (text !== undefined) writeFileSync(makefile, text);
    emptyBuildDirs();
    if (page) await resetWindow(page);
  });

  it('the report view opens on the new failure, above the totals, linking to its Makefile', async function () {
    this.timeout(90_000);
    await showContainer(page, 'pkgsrc');
    await waitFor(viewPane(page, 'Packages'), 'the Packages view');
    await runCommand(page, 'pkgsrc: Open Build Report');
    await waitFor(editorTab(page, 'pkgsrc Build Report'), 'the report tab');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const row = await waitFor(frame.locator('#since-new tr.row', { hasText: pkgname(ok()) }), 'the new failure in "Since the previous run"', {
      timeout: 30_000,
    });
    await waitFor(frame.locator('.since-counts', { hasText: /^1 new failure · 0 fixed · 1 still failing/ }), 'the counts of the changes');
    const since = await frame.locator('#since-section').boundingBox();
    const totals = await frame.locator('#totals').boundingBox();
    assert.ok(since && totals && since.y < totals.y, 'the changes come before the totals');
    await screenshot(page, 'history-report', { clip: await regionOf(page, '.part.editor'), docs: true });
    await row.locator('a', { hasText: ok() }).click();
    await waitFor(editorTab(page, 'Makefile'), `${ok()}/Makefile opened from the report`);
  });
});
