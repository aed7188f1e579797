// Build states from a bulklog made outside the editor: the sample limited build runs through the
// packaged `pkgsrc-bulk` CLI (real bmake), the workspace setting pkgsrcBulk.bulklog names its
// bulklog, and the Packages view marks the failure; an extension-host step checks every state.
// Then the failure is fixed and rebuilt through the CLI again, outside the editor: the watched
// bulklog is read again and the tree and Problems drop it without any command.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { after, before, describe, it } from 'mocha';
import { ctx } from '../lib/context.mjs';
import { runExtensionTests } from '../lib/ext-tests.mjs';
import { mainPage, regionOf, resetWindow, screenshot, showContainer, showProblems, treeRows, until, viewPane, waitFor } from '../lib/workbench.mjs';

describe('build states from a bulklog (UI)', () => {
  let page;
  let pane;
  const settingsDir = () => join(ctx.workspace.root, '.vscode');
  let failSource;

  before(async () => {
    const engine = join(ctx.extensionDir, 'dist/engine.js');
    const r = await execa(process.execPath, [engine, 'build', '--config', ctx.workspace.pbulkConf], { reject: false, all: true, timeout: 120_000 });
    // Exit 1: some packages failed, as the sample build is made to.
    assert.equal(r.exitCode, 1, `pkgsrc-bulk build exited ${r.exitCode}:\n${r.all}`);
    assert.ok(existsSync(join(ctx.workspace.bulklog, 'meta/error')), 'the build wrote no meta/error');
    mkdirSync(settingsDir(), { recursive: true });
    writeFileSync(join(settingsDir(), 'settings.json'), JSON.stringify({ 'pkgsrcBulk.bulklog': ctx.workspace.bulklog }, null, 2));
    page = await mainPage();
    await showContainer(page, 'pkgsrc');
    pane = await waitFor(viewPane(page, 'Packages'), 'the Packages view');
  });

  after(async () => {
    if (failSource !== undefined) writeFileSync(ctx.workspace.build.failSource, failSource);
    rmSync(settingsDir(), { recursive: true, force: true });
    // Later suites see the tree as before the build: no states, no failures in Problems, and no
    // binary packages that would make their builds up to date.
    for (const dir of [ctx.workspace.bulklog, ctx.workspace.packagesDir]) {
      for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true });
    }
    await resetWindow(page);
  });

  it('marks the category and the package that failed', async () => {
    const { fails } = ctx.workspace.build;
    const [category, dir] = fails.split('/');
    const catRow = treeRows(pane).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${category}$`) }) });
    await waitFor(catRow.filter({ hasText: '1 failed' }), `"1 failed" on category ${category}`);
    if ((await catRow.getAttribute('aria-expanded')) !== 'true') await catRow.click();
    const pkgRow = treeRows(pane).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${dir}$`) }) });
    await waitFor(pkgRow.locator('.codicon-error'), `the failed icon on ${fails}`);
    await screenshot(page, 'tree-states', { clip: await regionOf(page, '.part.sidebar'), docs: true });
    await catRow.click();
  });

  it('holds every state of the build (extension host)', async () => {
    assert.equal(await runExtensionTests({ name: 'bulklog-states', files: ['bulklog-states.step.test.ts'] }), 0);
  });

  it('follows a rebuild run outside the editor: the fixed failure leaves the tree and Problems', async function () {
    this.timeout(180_000);
    const { fails } = ctx.workspace.build;
    const [category] = fails.split('/');
    const pkgname = ctx.workspace.packages.find((p) => p.path === fails).pkgname;
    const rows = await showProblems(page);
    const problem = rows.filter({ hasText: `${pkgname} failed in the build phase` }).first();
    await waitFor(problem, 'the failure in Problems');
    // The fix a maintainer makes: the source compiles again.
    failSource = readFileSync(ctx.workspace.build.failSource, 'utf8');
    writeFileSync(ctx.workspace.build.failSource, ctx.workspace.build.fixedSource);
    const engine = join(ctx.extensionDir, 'dist/engine.js');
    const r = await execa(process.execPath, [engine, 'rebuild', '--config', ctx.workspace.pbulkConf, '--failed'], {
      reject: false,
      all: true,
      timeout: 120_000,
    });
    assert.equal(r.exitCode, 0, `pkgsrc-bulk rebuild --failed exited ${r.exitCode}:\n${r.all}`);
    await waitFor(problem, 'the failure to leave Problems', { state: 'detached', timeout: 60_000 });
    const catRow = treeRows(pane).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${category}$`) }) });
    await until(`"failed" to leave category ${category}`, async () => (await catRow.count()) > 0 && !/failed/.test(await catRow.first().innerText()), {
      timeout: 30_000,
    });
  });
});
