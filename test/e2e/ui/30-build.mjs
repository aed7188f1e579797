// Scenarios 3 and 4 as a person sees them: select three packages of the sample tree in the
// Packages view and build them (real engine, real bmake): progress shows, the tree marks the
// states with Building and Failed groups, the failure lands in Problems, activating it opens
// the Makefile on its line, Show Log opens the failing phase at the compiler error, the report
// view draws its charts; then a window reload in the middle of a build re-attaches to it, and
// a build is stopped and resumed.
// Extension-host steps check the same from the inside (suite/build-state.step.test.ts).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { execa } from 'execa';
import { viewport } from '../lib/browser.mjs';
import { ctx } from '../lib/context.mjs';
import { shutdownEngine } from '../lib/engine.mjs';
import { runExtensionTests } from '../lib/ext-tests.mjs';
import {
  editorTab,
  escapeRegExp,
  mainPage,
  regionOf,
  resetWindow,
  runCommand,
  screenshot,
  showContainer,
  showProblems,
  until,
  viewPane,
  visibleEditorText,
  waitFor,
} from '../lib/workbench.mjs';

/** A row of the Packages view by its label (and description); not the sticky copies of parents at the top. */
function row(pane, label, description) {
  let r = pane
    .locator('.monaco-list-row:not(.monaco-tree-sticky-row)')
    .filter({ has: pane.page().locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  if (description) r = r.filter({ has: pane.page().locator('.label-description', { hasText: description }) });
  return r;
}

/** Scrolls the view to its top, where the Failed and Building groups are. */
async function scrollTop(pane) {
  const page = pane.page();
  const box = await pane.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const slider = pane.locator('.scrollbar.vertical .slider');
  await until(
    'the Packages view at its top',
    async () => {
      if ((await slider.count()) === 0 || parseFloat((await slider.first().evaluate((e) => e.style.top)) || '0') === 0) return true;
      await page.mouse.wheel(0, -400);
      return false;
    },
    { timeout: 20_000, interval: 50 },
  );
}

/**
 * Expands the categories of these packages, every other category collapsed, in a window tall
 * enough for all their rows: the list renders only the rows in view, and scrolling it under a
 * moving pointer is what makes clicks land on the wrong row.
 */
async function showPackages(page, pane, paths) {
  await page.setViewportSize({ width: viewport.width, height: 3600 });
  await page
    .locator('.part.sidebar .pane-header .action-label[aria-label="Collapse All"]')
    .click({ timeout: 5000 })
    .catch(() => {});
  await scrollTop(pane);
  for (const category of [...new Set(paths.map((p) => p.split('/')[0]))]) {
    const c = await waitFor(row(pane, category).first(), `category ${category}`);
    if ((await c.getAttribute('aria-expanded')) !== 'true') await c.click();
    await until(`${category} to expand`, async () => (await c.getAttribute('aria-expanded', { timeout: 1000 })) === 'true');
  }
  for (const p of paths) await waitFor(row(pane, p.split('/')[1]).first(), `package ${p}`);
}

/** Back to the usual window size. */
async function restoreSize(page) {
  await page.setViewportSize(viewport);
}

/** The status bar item once the build is over: its counts, none building or queued. */
const FINISHED = /pkgsrc: \d+ built(, \d+ (failed|broken|depending on failed|depending on broken))*$/;

/** The status bar item while a build runs: its spinning icon. */
function buildingItem(page) {
  return page.locator('.part.statusbar .statusbar-item', { hasText: 'pkgsrc:', has: page.locator('.codicon-sync.codicon-modifier-spin') });
}

function statusItem(page, text) {
  return page.locator('.part.statusbar .statusbar-item', { hasText: text });
}

/** The 1-based line of the editor's cursor, from the status bar ("Ln 6, Col 1"). */
async function cursorLine(page) {
  const t = await page.locator('.part.statusbar .statusbar-item[id="status.editor.selection"]').innerText();
  const m = /Ln (\d+)/.exec(t);
  return m ? Number(m[1]) : undefined;
}

/** The report webview's document (VS Code nests the page in two iframes). */
function reportFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

function pkgnameOf(path) {
  return ctx.workspace.packages.find((p) => p.path === path).pkgname;
}

describe('scenarios 3 and 4 (UI): builds from the editor', () => {
  let page;
  let pane;
  const makefiles = new Map();

  /** Adds lines to a package Makefile for this test; after() puts it back. */
  function editMakefile(path, edit) {
    const file = join(ctx.workspace.root, path, 'Makefile');
    if (!makefiles.has(file)) makefiles.set(file, readFileSync(file, 'utf8'));
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  }

  before(async () => {
    page = await mainPage();
    await showContainer(page, 'pkgsrc');
    pane = await waitFor(viewPane(page, 'Packages'), 'the Packages view');
  });

  after(async () => {
    await shutdownEngine(ctx.workspace.bulklog);
    for (const [file, text] of makefiles) writeFileSync(file, text);
    // Later suites see the tree without build states, as they found it.
    for (const e of readdirSync(ctx.workspace.bulklog)) rmSync(join(ctx.workspace.bulklog, e), { recursive: true, force: true });
    if (page) await resetWindow(page);
  });

  it('builds three selected packages: progress, Building and Failed groups, category counts', async function () {
    this.timeout(240_000);
    const b = ctx.workspace.build;
    // The failing package takes a while before it fails: long enough to watch the progress.
    editMakefile(b.fails, (t) => t.replace('.include "../../mk/bsd.pkg.mk"', 'FIXTURE_BUILD_SECONDS=\t6\n\n.include "../../mk/bsd.pkg.mk"'));
    const picks = [b.fails, b.dependsOnFailed, b.broken].sort();
    await showPackages(page, pane, picks);
    for (const [k, p] of picks.entries()) {
      await row(pane, p.split('/')[1])
        .first()
        .click({ modifiers: k === 0 ? [] : ['Control'] });
      // A plain click also opens the Makefile, which takes the focus: let it, before going on.
      if (k === 0) await waitFor(page.locator('.part.editor .breadcrumbs-control', { hasText: p.split('/')[1] }), `the Makefile of ${p}`);
    }
    await until('three selected rows', async () => (await pane.locator('.monaco-list-row.selected').count()) === 3);
    await restoreSize(page);
    await runCommand(page, 'pkgsrc: Build Selected Packages');

    // Progress: the notification and the status bar item, while the failing package builds.
    await waitFor(page.locator('.notifications-toasts .notification-toast', { hasText: 'pkgsrc bulk build' }), 'the build progress notification', {
      timeout: 60_000,
    });
    await waitFor(buildingItem(page), 'the build status bar item', { timeout: 60_000 });
    const building = row(pane, 'Building');
    await scrollTop(pane);
    await waitFor(building, 'the Building group', { timeout: 60_000 });
    await waitFor(row(pane, b.fails, /build/), `${b.fails} in the Building group with its phase`, { timeout: 30_000 });
    await screenshot(page, 'build-progress', { clip: await regionOf(page, '.part.sidebar', '.part.editor', '.part.statusbar'), docs: true });

    // Done: the Failed group on top, the category of the failure counts it.
    await waitFor(statusItem(page, FINISHED), 'the status bar to show the finished build', { timeout: 120_000 });
    await waitFor(row(pane, 'Failed'), 'the Failed group');
    await waitFor(row(pane, b.fails, 'build phase'), `${b.fails} under Failed, with its phase`);
    await waitFor(building, 'the Building group to go', { state: 'detached' });
    const failedCategory = b.fails.split('/')[0];
    await page
      .locator('.part.sidebar .pane-header .action-label[aria-label="Collapse All"]')
      .click({ timeout: 5000 })
      .catch(() => {});
    await waitFor(row(pane, failedCategory, '1 failed'), `"1 failed" on ${failedCategory}`);
  });

  it('says the build in the same numbers and words everywhere: status bar, notification, tree header, report; one icon per state, its severity in Problems', async function () {
    this.timeout(120_000);
    const b = ctx.workspace.build;
    const counts = '0 built, 1 failed, 1 broken, 1 depending on failed';
    const total = `3 packages: ${counts}`;
    const said = {};
    said.statusBar = (await waitFor(statusItem(page, FINISHED), 'the finished build in the status bar').then((l) => l.innerText())).trim();
    // The notification: its toast, or the notification centre once the toast has gone.
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Build finished' });
    if ((await toast.count()) === 0) await runCommand(page, 'Notifications: Show Notifications');
    const notice = page
      .locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item', { hasText: 'Build finished' })
      .first();
    said.notification = (await waitFor(notice.locator('.notification-list-item-message'), 'the "Build finished" notification').then((l) => l.innerText()))
      .replace(/\s+/g, ' ')
      .trim();
    said.treeHeader = (await waitFor(pane.locator('.message', { hasText: 'Bulklog' }), 'the message above the tree').then((l) => l.innerText())).trim();
    await page.keyboard.press('Escape');
    await runCommand(page, 'pkgsrc: Open Build Report');
    const frame = reportFrame(page);
    said.report = (
      await waitFor(frame.locator('#summary', { hasText: 'packages' }), 'the report totals', { timeout: 30_000 }).then((l) => l.innerText())
    ).trim();
    const rows = await frame.locator('#totals tr:not(.total)').allInnerTexts();
    for (const [where, text] of Object.entries(said)) assert.ok(text.includes(counts), `${where} says "${text}", not "${counts}"`);
    assert.ok(said.statusBar.endsWith(`pkgsrc: ${counts}`), said.statusBar);
    assert.equal(said.notification, `Build finished — ${total}.`);
    assert.equal(said.treeHeader, `Bulklog ${ctx.workspace.bulklog} — ${total}`);
    assert.equal(said.report, total);
    assert.deepEqual(
      rows.map((r) => r.replace(/\s+/g, ' ').trim()),
      ['built 0', 'failed 1', 'broken 1', 'depending on failed 1'],
    );
    await resetWindow(page);

    // Each state's one icon in the tree is the icon of its severity in Problems.
    const icons = { [b.fails]: 'error', [b.broken]: 'warning', [b.dependsOnFailed]: 'info' };
    await showPackages(page, pane, Object.keys(icons));
    for (const [path, icon] of Object.entries(icons))
      await waitFor(row(pane, path.split('/')[1]).first().locator(`.codicon-${icon}`), `the ${icon} icon on ${path} in the tree`);
    await restoreSize(page);
    const problems = await showProblems(page);
    const lines = {
      [b.fails]: `${pkgnameOf(b.fails)} failed in the build phase`,
      [b.broken]: `${pkgnameOf(b.broken)} is not built`,
      [b.dependsOnFailed]: `${pkgnameOf(b.dependsOnFailed)} was not built`,
    };
    for (const [path, text] of Object.entries(lines))
      await waitFor(problems.filter({ hasText: text }).first().locator(`.codicon-${icons[path]}`), `the ${icons[path]} severity of ${path} in Problems`);
    await resetWindow(page);
  });

  it('lists the failure in Problems; activating it opens the Makefile on its line', async () => {
    const b = ctx.workspace.build;
    const rows = await showProblems(page);
    const failure = rows.filter({ hasText: `${pkgnameOf(b.fails)} failed in the build phase` }).first();
    await waitFor(failure, 'the failed package in Problems', { timeout: 60_000 });
    // The "Build finished" toast would cover the panel in the picture.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await screenshot(page, 'build-problems', { clip: await regionOf(page, '.part.editor', '.part.panel'), docs: true });
    await failure.dblclick();
    await waitFor(editorTab(page, 'Makefile').and(page.locator('.active')), 'the Makefile of the failed package');
    await waitFor(page.locator('.part.editor .breadcrumbs-control', { hasText: b.fails.split('/')[1] }), `breadcrumbs of ${b.fails}`);
    assert.equal(await cursorLine(page), 1, 'a build-phase failure has no better line than the first');

    // The BROKEN package: its warning sits on the BROKEN line.
    const makefile = readFileSync(join(ctx.workspace.root, b.broken, 'Makefile'), 'utf8').split('\n');
    const brokenLine = makefile.findIndex((l) => l.startsWith('BROKEN')) + 1;
    const broken = rows.filter({ hasText: `${pkgnameOf(b.broken)} is not built` }).first();
    await waitFor(broken, 'the BROKEN package in Problems');
    await broken.dblclick();
    await waitFor(page.locator('.part.editor .breadcrumbs-control', { hasText: b.broken.split('/')[1] }), `the Makefile of ${b.broken}`);
    await until(`the cursor on line ${brokenLine}`, async () => (await cursorLine(page)) === brokenLine);
  });

  it('Show Log opens the failing phase at the first error', async () => {
    const b = ctx.workspace.build;
    await scrollTop(pane);
    const group = await waitFor(row(pane, 'Failed').first(), 'the Failed group');
    if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
    const failed = await waitFor(row(pane, b.fails, 'build phase'), `${b.fails} under Failed`);
    // The row's inline action (the context menu has it too).
    await failed.hover();
    await failed.locator('.actions .action-label[aria-label^="Show Log"]').click();
    const pkgname = pkgnameOf(b.fails);
    await waitFor(editorTab(page, `${pkgname}.log`).and(page.locator('.active')), 'the log document');
    await until('the compiler error in view', async () => /error: 'undeclared_symbol' undeclared/.test(await visibleEditorText(page)));
    // Opened at the error, not at the top (the extension-host step checks the exact line).
    assert.ok((await cursorLine(page)) > 2, `the log opened at line ${await cursorLine(page)}`);
    await screenshot(page, 'build-log', { clip: await regionOf(page, '.part.sidebar', '.part.editor'), docs: true });
  });

  it('opens the report view with its totals, timeline and broken-dependency graph', async () => {
    const b = ctx.workspace.build;
    await resetWindow(page);
    await runCommand(page, 'pkgsrc: Open Build Report');
    await waitFor(editorTab(page, 'pkgsrc Build Report'), 'the report tab');
    const frame = reportFrame(page);
    await waitFor(frame.locator('#totals tr', { hasText: /^failed/ }), 'the totals', { timeout: 30_000 });
    await waitFor(frame.locator('#timeline svg rect.bar').first(), 'the timeline of the build slots');
    await waitFor(frame.locator('#graph svg g.node', { hasText: pkgnameOf(b.fails) }), 'the failed package in the graph');
    // A straight edge has an empty box, which Playwright calls hidden: attached is what counts.
    await waitFor(frame.locator('#graph svg path.edge.failed').first(), 'the edge to the package it breaks', { state: 'attached' });
    await waitFor(frame.locator('#failures tr', { hasText: pkgnameOf(b.dependsOnFailed) }), 'the indirect failure in the list');
    await screenshot(page, 'build-report', { clip: await regionOf(page, '.part.editor'), docs: true });
    await frame.locator('#graph').scrollIntoViewIfNeeded();
    await screenshot(page, 'build-report-graph', { clip: await regionOf(page, '.part.editor'), docs: true });
    // A link in the report opens the package's log beside it.
    await frame
      .locator('#failures a', { hasText: new RegExp(`^${escapeRegExp(pkgnameOf(b.fails))}$`) })
      .first()
      .click();
    await waitFor(editorTab(page, `${pkgnameOf(b.fails)}.log`).and(page.locator('.active')), 'the log opened from the report');
  });

  it('holds the diagnostics, code actions, log symbols and report data; a fixed package loses its diagnostics (extension host)', async function () {
    // A rebuild runs in there.
    this.timeout(300_000);
    assert.equal(await runExtensionTests({ name: 'build-state', files: ['build-state.step.test.ts'] }), 0);
  });

  it('Build This Package from its Makefile; its log document follows the build as it goes', async function () {
    this.timeout(180_000);
    const pkg = ctx.workspace.build.succeeds[0];
    // Building until the test has seen its log follow the build, whatever the load.
    const gate = join(ctx.workspace.root, pkg, 'build-may-end');
    rmSync(gate, { force: true });
    editMakefile(pkg, (t) => t.replace('.include "../../mk/bsd.pkg.mk"', 'FIXTURE_BUILD_UNTIL=\tbuild-may-end\n\n.include "../../mk/bsd.pkg.mk"'));
    await resetWindow(page);
    await showPackages(page, pane, [pkg]);
    await row(pane, pkg.split('/')[1]).first().click();
    await waitFor(page.locator('.part.editor .breadcrumbs-control', { hasText: pkg.split('/')[1] }), `the Makefile of ${pkg}`);
    await restoreSize(page);
    await runCommand(page, 'pkgsrc: Build This Package');
    await scrollTop(pane);
    await waitFor(row(pane, pkg), `${pkg} in the Building group`, { timeout: 60_000 });
    await runCommand(page, 'pkgsrc: Show Log', { opensInput: true });
    const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: pkgnameOf(pkg) }).first();
    await waitFor(item, `${pkgnameOf(pkg)} among the packages building`);
    await item.click();
    await waitFor(editorTab(page, `${pkgnameOf(pkg)}.log`).and(page.locator('.active')), 'the log document of the building package');
    await until('the build phase in the log', async () => /===> Building for/.test(await visibleEditorText(page)), { timeout: 60_000 });
    writeFileSync(gate, '');
    // Written after the build phase: the open document shows it without being reopened.
    await until('the install phase to appear in the open log', async () => /===> Installing for/.test(await visibleEditorText(page)), { timeout: 60_000 });
    await waitFor(statusItem(page, FINISHED), 'the build to finish', { timeout: 60_000 });
    await until('the logs kept in view after the package built', async () => /Above is what they held/.test(await visibleEditorText(page)), {
      timeout: 30_000,
    });
  });

  it('scenario 4: a window reload during a build re-attaches to it, and the build finishes', async function () {
    this.timeout(240_000);
    const b = ctx.workspace.build;
    const slow = b.succeeds[1] ?? b.succeeds[0];
    // The build goes on until the test lets it end, however long the reload takes.
    const gate = join(ctx.workspace.root, slow, 'build-may-end');
    rmSync(gate, { force: true });
    editMakefile(slow, (t) => t.replace('.include "../../mk/bsd.pkg.mk"', 'FIXTURE_BUILD_UNTIL=\tbuild-may-end\n\n.include "../../mk/bsd.pkg.mk"'));
    await resetWindow(page);
    await showPackages(page, pane, [slow]);
    await row(pane, slow.split('/')[1]).first().click();
    await waitFor(page.locator('.part.editor .breadcrumbs-control', { hasText: slow.split('/')[1] }), `the Makefile of ${slow}`);
    await restoreSize(page);
    await runCommand(page, 'pkgsrc: Build Selected Packages');
    await scrollTop(pane);
    await waitFor(row(pane, slow, /build/), `${slow} building`, { timeout: 60_000 });

    await page.reload();
    await waitFor(page.locator('.monaco-workbench'), 'the reloaded workbench', { timeout: 60_000 });
    await showContainer(page, 'pkgsrc');
    pane = await waitFor(viewPane(page, 'Packages'), 'the Packages view after the reload');
    // Re-attached: the running build shows again, then finishes.
    await waitFor(buildingItem(page), 'the re-attached build in the status bar', { timeout: 60_000 });
    await waitFor(row(pane, slow, /build/), `${slow} still building after the reload`, { timeout: 30_000 });
    await screenshot(page, 'build-reattached', { clip: await regionOf(page, '.part.sidebar', '.part.statusbar') });
    writeFileSync(gate, '');
    await waitFor(statusItem(page, FINISHED), 'the build to finish after the reload', { timeout: 120_000 });
    await waitFor(row(pane, 'Building'), 'the Building group to go', { state: 'detached' });
  });

  it('Stop ends a running build (Building group gone, "Build stopped"); Resume carries it to the end', async function () {
    this.timeout(240_000);
    const b = ctx.workspace.build;
    // Not built by the tests above: a package already built would be up to date at once.
    assert.ok(b.succeeds.length >= 3, 'the sample build has three packages that build');
    const pkg = b.succeeds[2];
    // Building until the test lets it end: stopped while it builds, whatever the load.
    const gate = join(ctx.workspace.root, pkg, 'build-may-end');
    rmSync(gate, { force: true });
    editMakefile(pkg, (t) => t.replace('.include "../../mk/bsd.pkg.mk"', 'FIXTURE_BUILD_UNTIL=\tbuild-may-end\n\n.include "../../mk/bsd.pkg.mk"'));
    await resetWindow(page);
    await runCommand(page, 'Notifications: Clear All Notifications');
    await showPackages(page, pane, [pkg]);
    await row(pane, pkg.split('/')[1]).first().click();
    await waitFor(page.locator('.part.editor .breadcrumbs-control', { hasText: pkg.split('/')[1] }), `the Makefile of ${pkg}`);
    await restoreSize(page);
    await runCommand(page, 'pkgsrc: Build Selected Packages');
    await scrollTop(pane);
    await waitFor(row(pane, pkg, /build/), `${pkg} building`, { timeout: 60_000 });

    await runCommand(page, 'pkgsrc: Stop Build');
    const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
    await waitFor(toast('Build stopped'), 'the stopped build', { timeout: 60_000 });
    await waitFor(row(pane, 'Building'), 'the Building group to go', { state: 'detached' });
    // Waiting for Resume (the clock), no longer building.
    await waitFor(row(pane, pkg.split('/')[1]).first().locator('.codicon-clock'), `${pkg} marked as not finished`);
    await runCommand(page, 'Notifications: Clear All Notifications');

    await runCommand(page, 'pkgsrc: Resume Build');
    await waitFor(row(pane, pkg, /build/), `${pkg} building again`, { timeout: 60_000 });
    writeFileSync(gate, '');
    await waitFor(toast('Build finished'), 'the resumed build to finish', { timeout: 120_000 });
    await waitFor(statusItem(page, FINISHED), 'the finished build in the status bar');
  });

  it('Clean Up Sandboxes takes down a sandbox whose owner was killed', async function () {
    this.timeout(120_000);
    const base = ctx.workspace.sandboxBase;
    const mountsUnder = () =>
      readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m === base || m.startsWith(`${base}/`));
    // What a killed engine leaves: a sandbox with its mounts whose owner died (kill -9).
    const owner = execa(
      process.execPath,
      [join(ctx.extensionDir, 'dist/engine.js'), 'sandbox', 'create', '--base', base, 'stale-e2e', '--run', '--', 'sleep', '600'],
      {
        detached: true,
        reject: false,
        stdin: 'ignore',
      },
    );
    await until('the stale sandbox mounted', () => mountsUnder().length > 0, { timeout: 60_000 });
    process.kill(-owner.pid, 'SIGKILL');
    await owner;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'pkgsrc: Clean Up Sandboxes...');
    const done = page.locator('.notifications-toasts .notification-toast', { hasText: `Sandboxes in ${base} cleaned up` });
    await waitFor(done, 'the sandboxes cleaned up', { timeout: 90_000 });
    assert.deepEqual(mountsUnder(), [], 'mounts left under the sandboxes');
  });
});
