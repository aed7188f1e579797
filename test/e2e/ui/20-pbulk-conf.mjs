// Scenario 2 as a person sees it: a pbulk.conf with mistakes opens, Problems lists them with
// their lines, the quick fix menu repairs one, and completion shows variables with their docs.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { ctx } from '../lib/context.mjs';
import { mainPage, quickOpen, regionOf, resetWindow, runCommand, screenshot, showProblems, until, visibleEditorText, waitFor } from '../lib/workbench.mjs';

const FILE = 'mistakes-ui.pbulk.conf';

/** 1-based lines of the mistakes, as Problems shows them. */
const LINES = { misspelt: 6, boolean: 7, bulklogRoot: 8, placeholder: 9, unsetReference: 13 };

function mistakesText(root) {
  const base = root.replace(/\/pkgsrc$/, '');
  return [
    '# A pbulk.conf with the mistakes that stop pbulk hours into a build.',
    'config_version=0.68',
    'master_mode=no',
    'cross_compile=no',
    'use_unprivileged_checksum=no',
    'mastr_ip=127.0.0.1',
    'keep_wrkdir=Yes',
    'bulklog=/',
    'prefix=@PREFIX@',
    `pkgsrc=${root}`,
    `pkgdb=${base}/pkgdb`,
    `varbase=${base}/var`,
    'packages=${packagez}/All',
    'loc=${bulklog}/meta',
    '',
  ].join('\n');
}

/** The Problems rows of one line, by the "[Ln N, Col M]" VS Code appends to each. */
function problemsOnLine(rows, line) {
  return rows.filter({ hasText: new RegExp(`\\[Ln ${line}, Col \\d+\\]`) });
}

describe('scenario 2 (UI): editing a pbulk.conf with mistakes', () => {
  let page;
  const file = () => join(ctx.workspace.root, FILE);

  before(async () => {
    writeFileSync(file(), mistakesText(ctx.workspace.root));
    page = await mainPage();
  });

  after(async () => {
    // The completion test typed into the file: drop that, so closing asks nothing.
    await runCommand(page, 'File: Revert File');
    await showProblems(page);
    await resetWindow(page);
    rmSync(file(), { force: true });
  });

  it('Problems lists each mistake on its line', async () => {
    await quickOpen(page, FILE);
    const rows = await showProblems(page, { file: FILE });
    for (const [what, line] of Object.entries(LINES)) {
      await waitFor(problemsOnLine(rows, line).first(), `a problem on line ${line} (${what})`);
    }
    const bulklog = await problemsOnLine(rows, LINES.bulklogRoot).allInnerTexts();
    assert.ok(
      bulklog.some((t) => /rm -rf/.test(t)),
      `line ${LINES.bulklogRoot}: ${bulklog.join(' | ')}`,
    );
    await screenshot(page, 'pbulk-conf-problems', { clip: await regionOf(page, '.part.editor', '.part.panel'), docs: true });
  });

  it('the quick fix renames the misspelt variable', async () => {
    const rows = await showProblems(page, { file: FILE });
    const row = problemsOnLine(rows, LINES.misspelt).filter({ hasText: 'master_ip' }).first();
    await waitFor(row, 'the unknown-variable problem');
    // Activating a problem puts the cursor on it in the editor; Ctrl+. opens its fixes there.
    await row.dblclick();
    await waitFor(page.locator('.part.editor .monaco-editor.focused'), 'the editor to take the focus');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Rename to master_ip' });
    await waitFor(fix, 'the "Rename to master_ip" quick fix, selected');
    await page.keyboard.press('Enter');
    await until('line 6 to read master_ip=', async () => (await visibleEditorText(page)).includes('master_ip=127.0.0.1'));
    await waitFor(problemsOnLine(rows, LINES.misspelt).filter({ hasText: 'master_ip' }), 'the fixed problem to leave Problems', {
      state: 'detached',
    });
  });

  it('completion offers variables with their documentation', async () => {
    // A new line at the end of the file, then Ctrl+Space.
    await page.keyboard.press('Control+End');
    await page.keyboard.type('limi');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.editor-widget.suggest-widget');
    await waitFor(suggest.locator('.monaco-list-row', { hasText: 'limited_list' }).first(), 'limited_list among the suggestions');
    // The documentation of the focused suggestion (opened with a second Ctrl+Space if needed).
    const details = page.locator('.suggest-details-container .suggest-details');
    if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
    await waitFor(details, 'the documentation of the suggestion');
    assert.ok((await details.innerText()).length > 20, 'the documentation is empty');
    await screenshot(page, 'pbulk-conf-completion', { clip: await regionOf(page, '.part.editor', '.part.panel'), docs: true });
    await page.keyboard.press('Escape');
  });
});
