// Scenario 1 as a person sees it: the Packages view lists every category of the generated tree
// with its package count, a category expands to its packages, clicking one opens its Makefile,
// and "Go to package..." finds a package by words of its COMMENT.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { ctx } from '../lib/context.mjs';
import {
  editorTab,
  escapeRegExp,
  mainPage,
  regionOf,
  resetWindow,
  runCommand,
  screenshot,
  showContainer,
  treeRows,
  viewPane,
  waitFor,
} from '../lib/workbench.mjs';

/** A row of a tree view, by its label (the name the row starts with) and, optionally, its description. */
function row(pane, label, description) {
  let r = treeRows(pane).filter({ has: pane.page().locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  if (description) r = r.filter({ has: pane.page().locator('.label-description', { hasText: description }) });
  return r;
}

/**
 * A package and two consecutive words of its COMMENT that no other COMMENT and no package path
 * contains: what a person remembering a package by its description would type.
 */
function packageByCommentPhrase(packages) {
  const haystack = packages.flatMap((p) => [p.path.toLowerCase(), (p.comment ?? '').toLowerCase()]);
  for (const p of packages) {
    const words = (p.comment ?? '').split(/\s+/).filter(Boolean);
    for (let i = 0; i + 1 < words.length; i++) {
      const phrase = `${words[i]} ${words[i + 1]}`;
      if (phrase.length < 10) continue;
      if (haystack.filter((h) => h.includes(phrase.toLowerCase())).length === 1) return { pkg: p, phrase };
    }
  }
  throw new Error('no package of the sample tree has a COMMENT phrase of its own');
}

/** Waits for the active editor to show `<path>/Makefile`, judged by its breadcrumbs. */
async function makefileOpens(page, path) {
  await waitFor(editorTab(page, 'Makefile').and(page.locator('.tab.active')), 'the Makefile tab');
  const crumbs = page.locator('.part.editor .breadcrumbs-control');
  const [category, dir] = path.split('/');
  await waitFor(crumbs.filter({ hasText: category }).filter({ hasText: dir }), `breadcrumbs of ${path}/Makefile`);
}

describe('scenario 1 (UI): browsing the pkgsrc tree', () => {
  let page;
  let pane;

  before(async () => {
    page = await mainPage();
    await showContainer(page, 'pkgsrc');
    pane = await waitFor(viewPane(page, 'Packages'), 'the Packages view');
  });

  after(async () => {
    await resetWindow(page);
  });

  it('shows every category with its COMMENT and package count', async () => {
    for (const c of ctx.workspace.categories) {
      await waitFor(row(pane, c.name, `${c.comment} (${c.packages.length})`), `category ${c.name} with "${c.comment} (${c.packages.length})"`);
    }
    const labels = await pane.locator('.monaco-list-row .label-name').allInnerTexts();
    assert.deepEqual(labels.slice().sort(), ctx.workspace.categories.map((c) => c.name).sort(), 'the top level holds exactly the categories');
  });

  it('expands a category to its packages, and a click opens the Makefile', async () => {
    // The smallest category: all its packages fit in the view.
    const category = ctx.workspace.categories.slice().sort((a, b) => a.packages.length - b.packages.length)[0];
    await row(pane, category.name).click();
    const first = category.packages[0];
    const firstDir = first.split('/')[1];
    const comment = ctx.workspace.packages.find((p) => p.path === first)?.comment;
    const pkgRow = await waitFor(row(pane, firstDir, comment ?? undefined), `package ${first} under ${category.name}`);
    await pkgRow.click();
    await makefileOpens(page, first);
    await screenshot(page, 'tree-view', { clip: await regionOf(page, '.part.sidebar', '.part.editor'), docs: true });
  });

  it('"Go to package..." finds a package by its COMMENT', async () => {
    const { pkg, phrase } = packageByCommentPhrase(ctx.workspace.packages);
    await runCommand(page, 'pkgsrc: Go to Package...', { opensInput: true });
    await waitFor(page.locator('.quick-input-widget .monaco-list-row').first(), 'the package list');
    await page.locator('.quick-input-widget input.input').fill(phrase);
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    const hit = rows.filter({ hasText: pkg.path }).first();
    await waitFor(hit, `${pkg.path} for "${phrase}"`);
    assert.match(await rows.first().innerText(), new RegExp(escapeRegExp(pkg.path)), `"${phrase}" puts ${pkg.path} first`);
    await screenshot(page, 'go-to-package', { clip: await regionOf(page, '.quick-input-widget'), docs: true });
    await hit.click();
    await makefileOpens(page, pkg.path);
  });
});
