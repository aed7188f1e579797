// Playwright helpers for the VS Code workbench. Every wait is on a condition with a timeout and
// says what it waited for; the runner takes the screenshot when a test fails.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { viewport } from './browser.mjs';
import { ctx } from './context.mjs';

/** Workbench URL for a folder, with an optional payload (extension development, tests). */
export function workbenchUrl(server, { folder, payload = [] }) {
  const all = [['skipWelcome', 'true'], ...payload];
  return `${server.origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(all))}`;
}

/** Waits for a locator (default: visible); on timeout the error names what was awaited. */
export async function waitFor(locator, what, { timeout = 30_000, state = 'visible' } = {}) {
  try {
    await locator.waitFor({ state, timeout });
  } catch (e) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what} to be ${state}`, { cause: e });
  }
  return locator;
}

/** Polls a condition (a DOM count, a file) until it holds; for what no locator expresses. */
export async function until(what, fn, { timeout = 30_000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

export async function newPage(browser) {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => ctx.log?.(`[pageerror] ${e.message}`));
  return page;
}

/** Opens the workbench on a folder and waits until the extension's container is in the activity bar. */
export async function openWorkbench(page, server, opts) {
  await page.goto(workbenchUrl(server, opts));
  await waitFor(page.locator('.monaco-workbench'), 'the workbench', { timeout: 60_000 });
}

/** The activity-bar entry of a view container, by its title. */
export function activityItem(page, title) {
  return page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`);
}

/**
 * Shows a view container in the sidebar. Its icon is clicked only while it is not selected: a
 * click on a selected one hides the sidebar, and after a reload the icon is selected a moment
 * before the sidebar shows.
 */
export async function showContainer(page, title) {
  const item = await waitFor(activityItem(page, title), `the "${title}" activity-bar item`, { timeout: 60_000 });
  const sidebarTitle = page.locator('.part.sidebar .composite.title h2', { hasText: title });
  let selectedHidden = 0;
  await until(
    `the "${title}" sidebar`,
    async () => {
      if (await sidebarTitle.isVisible()) return true;
      const checked = await item
        .locator('xpath=..')
        .getAttribute('aria-selected', { timeout: 1000 })
        .catch(() => null);
      // Selected but hidden for 3 s: not a sidebar on its way, click after all.
      selectedHidden = checked === 'true' ? selectedHidden + 1 : 0;
      if (checked !== 'true' || selectedHidden >= 6) {
        selectedHidden = 0;
        await item.click({ timeout: 2000 }).catch(() => {});
      }
      return false;
    },
    { timeout: 30_000, interval: 500 },
  );
}

/** A view's pane in the sidebar, by its name. */
export function viewPane(page, name) {
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: name }) });
}

/** Rows of a tree view pane. */
export function treeRows(pane) {
  return pane.locator('.monaco-list-row');
}

export const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Opens a quick input (F1, Ctrl+P) and types `text` into it, and finds `row` in its list, up to 3
 * times. An editor that takes the focus just then closes the quick input; and the command palette
 * lists only the commands enabled when it opened, so one whose context key follows a moment after
 * its editor (Reopen Editor With... after a file opens) shows only in a palette opened again.
 */
async function quickInput(page, key, text, rowOf, what) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  for (let attempt = 1; ; attempt++) {
    try {
      // Escape only closes an open quick input: pressed in a focused tree it would clear the
      // selection a command is about to act on.
      if (await widget.isVisible()) await page.keyboard.press('Escape');
      await page.keyboard.press(key);
      await waitFor(input, what, { timeout: 10_000 });
      await input.fill(text, { timeout: 5000 });
      const row = rowOf(widget);
      await waitFor(row, `${JSON.stringify(text)} to list its entry in ${what}`, { timeout: attempt < 3 ? 10_000 : 30_000 });
      return row;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/**
 * Runs a command from the command palette by its exact title ("Category: Title"). `opensInput`:
 * the command shows a quick pick of its own, so the widget stays open.
 */
export async function runCommand(page, title, { opensInput = false } = {}) {
  // Exactly this title: "View: Close All Editors" must not pick "... in Group".
  const label = page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
  const row = await quickInput(page, 'F1', '>' + title, (w) => w.locator('.monaco-list-row', { has: label }).first(), 'the command palette');
  await row.click();
  if (opensInput) {
    await waitFor(page.locator('.quick-input-widget input.input:not([placeholder^="Type the name of a command"])'), `the input of "${title}"`);
  } else {
    await waitFor(page.locator('.quick-input-widget'), 'the command palette to close', { state: 'hidden' });
  }
}

/** The tab of an open editor, by its label. */
export function editorTab(page, label) {
  return page.locator('.part.editor .tabs-container .tab', { hasText: label });
}

/** Active editor's text as the user sees it (the visible lines). */
export async function visibleEditorText(page) {
  const lines = page.locator('.part.editor .editor-instance .view-lines .view-line');
  return (await lines.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
}

/**
 * Screenshot into test-results/e2e/shots. One marked `docs` is a README image: with
 * `--docs-images` it is also written to docs/images. `clip` keeps those small: a region of the
 * page, not the whole window.
 */
export async function screenshot(page, name, { clip, docs = false } = {}) {
  const dir = join(ctx.resultsDir, 'shots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  // No hover tooltip in the picture: rest the mouse on the window title until hovers are gone.
  await page.mouse.move(viewport.width / 2, 10);
  const hovers = page.locator('.workbench-hover-container .workbench-hover, .monaco-hover:not(.hidden)');
  await until('hovers to close', async () => (await hovers.filter({ visible: true }).count()) === 0, { timeout: 5000 }).catch(() => {});
  await page.screenshot({ path: file, clip });
  if (docs && ctx.docsImages) {
    mkdirSync(ctx.docsImagesDir, { recursive: true });
    copyFileSync(file, join(ctx.docsImagesDir, `${name}.png`));
  }
  return file;
}

/** Opens a workspace file through Quick Open (Ctrl+P) by its path relative to the folder. */
export async function quickOpen(page, relPath) {
  const base = relPath.split('/').pop();
  await quickInput(page, 'Control+P', relPath, (w) => w.locator('.monaco-list-row', { hasText: base }).first(), 'Quick Open');
  await page.keyboard.press('Enter');
  await waitFor(page.locator('.quick-input-widget'), 'Quick Open to close', { state: 'hidden' });
  await waitFor(editorTab(page, base).and(page.locator('.active')), `the editor tab of ${base}`);
}

/**
 * Shows the Problems panel and returns its rows (files and their problems). `file`: only that
 * file's problems, through the panel's filter (its list renders only the rows in view, so
 * problems of other files could push the wanted ones out).
 */
export async function showProblems(page, { file } = {}) {
  await runCommand(page, 'Problems: Focus on Problems View');
  const panel = await waitFor(page.locator('.part.panel .markers-panel'), 'the Problems panel');
  const filter = page.locator('.part.panel .viewpane-filter input').first();
  await waitFor(filter, 'the Problems filter');
  await filter.fill(file ? `**/${file}` : '');
  return panel.locator('.monaco-list-row');
}

/**
 * The window most UI tests share, opened on the sample workspace at first use (a workbench takes
 * seconds to load). Tests leave it as they found it where it matters: editors closed, no widget open.
 */
export async function mainPage() {
  if (!ctx.page) {
    const page = await newPage(ctx.browser);
    ctx.pages.add(page);
    await openWorkbench(page, ctx.server, { folder: ctx.workspace.root });
    ctx.page = page;
  }
  return ctx.page;
}

/** Closes every editor and widget of the shared window. */
export async function resetWindow(page) {
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors');
}

/** The smallest rectangle around the given workbench parts (e.g. '.part.sidebar', '.part.editor'). */
export async function regionOf(page, ...selectors) {
  const boxes = [];
  for (const sel of selectors) {
    const box = await page.locator(sel).first().boundingBox();
    if (box) boxes.push(box);
  }
  if (boxes.length === 0) return undefined;
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x, y, width: right - x, height: bottom - y };
}
