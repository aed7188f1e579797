// A bulklog from another machine or CI: the sample build runs through the CLI, its bulklog is
// moved out of the workspace's configuration, and "Open Bulklog from Disk..." shows it with the
// same views as a build made here: the report, the Packages view's states and Problems.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { after, before, describe, it } from 'mocha';
import { ctx } from '../lib/context.mjs';
import { editorTab, mainPage, resetWindow, runCommand, showContainer, showProblems, treeRows, until, viewPane, waitFor } from '../lib/workbench.mjs';

describe('a bulklog opened from disk (UI)', () => {
  let page;
  let copy;

  /** No bulklog and no binary packages: the next build starts from nothing, later suites see no states. */
  const emptyBuildDirs = () => {
    for (const dir of [ctx.workspace.bulklog, ctx.workspace.packagesDir]) {
      for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true });
    }
  };

  before(async function () {
    this.timeout(180_000);
    // Packages the build scenarios left would be up to date, the failing one too once fixed.
    emptyBuildDirs();
    const engine = join(ctx.extensionDir, 'dist/engine.js');
    const r = await execa(process.execPath, [engine, 'build', '--config', ctx.workspace.pbulkConf], { reject: false, all: true, timeout: 120_000 });
    assert.equal(r.exitCode, 1, `pkgsrc-bulk build exited ${r.exitCode}:\n${r.all}`);
    // As if fetched from a CI run: a copy elsewhere, nothing left where the pbulk.conf points.
    copy = join(mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-e2e-ci-')), 'bulklog');
    cpSync(ctx.workspace.bulklog, copy, { recursive: true });
    emptyBuildDirs();
    page = await mainPage();
    await resetWindow(page);
  });

  after(async () => {
    emptyBuildDirs();
    if (copy) rmSync(join(copy, '..'), { recursive: true, force: true });
    if (page) await resetWindow(page);
  });

  it('shows its report, the failure in the Packages view and in Problems', async function () {
    this.timeout(90_000);
    const { fails } = ctx.workspace.build;
    const pkgname = ctx.workspace.packages.find((p) => p.path === fails).pkgname;
    // The Packages view first: the extension's commands are in the palette once it is up.
    await showContainer(page, 'pkgsrc');
    const pane = await waitFor(viewPane(page, 'Packages'), 'the Packages view');
    await runCommand(page, 'pkgsrc: Open Bulklog from Disk...', { opensInput: true });
    // VS Code's own folder dialog in the browser: a path in a quick input and its OK button.
    // It fills in its starting folder on its own time: type the path once it has, and accept
    // only while the input still holds it and the list shows the bulklog's meta/.
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    const target = `${copy}/`;
    await until('the folder dialog to show its starting folder', async () => (await input.inputValue()).startsWith('/'));
    const ok = widget.locator('.monaco-button', { hasText: 'Open Bulklog' });
    const meta = widget.locator('.monaco-list-row .label-name', { hasText: /^meta$/ });
    await until(
      `the dialog to take ${copy}`,
      async () => {
        if (!(await widget.isVisible())) return true;
        if ((await input.inputValue()) !== target) await input.fill(target);
        else if (await meta.isVisible()) await ok.click({ timeout: 2000 }).catch(() => {});
        return false;
      },
      { timeout: 30_000, interval: 300 },
    );
    await waitFor(editorTab(page, 'pkgsrc Build Report'), 'the report of the opened bulklog', { timeout: 30_000 });
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await waitFor(frame.locator('#failures tr.state-failed', { hasText: pkgname }), 'the failure in the report', { timeout: 30_000 });

    const category = fails.split('/')[0];
    const catRow = treeRows(pane).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${category}$`) }) });
    await waitFor(catRow.filter({ hasText: '1 failed' }), `"1 failed" on category ${category}`);
    const rows = await showProblems(page);
    await waitFor(rows.filter({ hasText: `${pkgname} failed in the build phase` }).first(), 'the failure in Problems');
  });
});
