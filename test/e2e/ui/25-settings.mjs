// The pbulk.conf settings form as a person uses it: the title-bar button opens the form over the
// sample pbulk.conf; a setting it lacks (tar) has its finding under that setting; setting
// bulklog to / shows the language server's error under bulklog and in Problems; undo in the form restores the value, and the text editor shows the same text.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { ctx } from '../lib/context.mjs';
import {
  editorTab,
  mainPage,
  quickOpen,
  regionOf,
  resetWindow,
  runCommand,
  screenshot,
  showProblems,
  until,
  visibleEditorText,
  waitFor,
} from '../lib/workbench.mjs';

const FILE = 'settings-ui.pbulk.conf';

/** The form's document (VS Code nests a webview's page in two iframes). */
function formFrame(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** A title-bar action of the active editor, by its label. */
function titleAction(page, label) {
  return page.locator(`.part.editor .editor-group-container.active .editor-actions .action-label[aria-label="${label}"]`).first();
}

/** The tabs of the file (the text editor's and the form's) that show it as modified. */
function dirtyTabs(page) {
  return editorTab(page, FILE).and(page.locator('.dirty'));
}

/** Quick Open, again while a fresh window is still indexing the workspace's files. */
async function openFile(page, name) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await quickOpen(page, name);
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

describe('settings form (UI): pbulk.conf as a form over the same file', () => {
  let page;
  let bulklog;
  const file = () => join(ctx.workspace.root, FILE);

  before(async () => {
    const text = readFileSync(join(ctx.workspace.root, 'pbulk.conf'), 'utf8');
    bulklog = /^bulklog=(.*)$/m.exec(text)[1];
    // Without tar: the finding names the variable, so the form shows it under tar.
    assert.match(text, /^tar=/m);
    writeFileSync(file(), text.replace(/^tar=.*\n/m, ''));
    page = await mainPage();
  });

  after(async () => {
    await resetWindow(page);
    rmSync(file(), { force: true });
  });

  it('opens from the title bar; bulklog=/ shows its error in the form and in Problems', async () => {
    await openFile(page, FILE);
    await (await waitFor(titleAction(page, 'Open pbulk.conf Settings'), 'the "Open pbulk.conf Settings" title button')).click();
    const form = formFrame(page);
    const input = await waitFor(form.locator('#input-bulklog'), 'the bulklog setting in the form');
    await until('the form to show the value as written', async () => (await input.inputValue()) === bulklog);
    // Documentation from the schema, and the label names the input.
    await waitFor(form.locator('#doc-bulklog', { hasText: 'rm -rf' }), "bulklog's documentation");
    // The language server names the variable of each finding: the missing tar is under tar.
    await waitFor(form.locator('#problems-tar .problem', { hasText: 'does not set: tar' }), 'the missing tar under tar in the form');
    await waitFor(form.locator('label[for="input-bulklog"]', { hasText: 'bulklog' }), 'the label of the bulklog input');

    // Keyboard only: focus the input, type, Enter.
    await input.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('/');
    await page.keyboard.press('Enter');
    await waitFor(form.locator('#problems-bulklog .problem.severity-error', { hasText: 'deletes the whole system' }), 'the error under bulklog in the form');
    await until("the form's tab to show the file as modified", async () => (await dirtyTabs(page).and(page.locator('.active')).count()) === 1);
    await screenshot(page, 'pbulk-conf-settings', { clip: await regionOf(page, '.part.editor'), docs: true });

    const rows = await showProblems(page, { file: FILE });
    await waitFor(rows.filter({ hasText: 'bulklog=/: pre-build runs rm -rf' }).first(), 'the error in Problems');
  });

  it('undo in the form brings the value back, and the text editor shows the same text', async () => {
    const form = formFrame(page);
    const input = form.locator('#input-bulklog');
    await input.focus();
    await page.keyboard.press('Control+Z');
    await until('the form to show the old value again', async () => (await input.inputValue()) === bulklog);
    await waitFor(form.locator('#problems-bulklog .problem.severity-error'), 'the error to leave the form', { state: 'detached' });
    await until('the tabs to be clean again', async () => (await dirtyTabs(page).count()) === 0);

    await (await waitFor(titleAction(page, 'Open pbulk.conf as Text'), 'the "Open pbulk.conf as Text" title button')).click();
    await waitFor(page.locator('.part.editor .editor-instance .monaco-editor'), 'the text editor');
    await until('the text editor to show the original bulklog line', async () => (await visibleEditorText(page)).includes(`bulklog=${bulklog}`));
    assert.ok(!(await visibleEditorText(page)).includes('bulklog=/\n'), 'the text editor still shows bulklog=/');
  });

  it('an edit in the text editor shows in the form; a quick fix is a button; Ctrl+S saves', async () => {
    // In the text editor: build_chroots=2 becomes 20.
    const line =
      readFileSync(file(), 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('build_chroots=')) + 1;
    await page.locator('.part.editor .editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type('0');
    await (await waitFor(titleAction(page, 'Open pbulk.conf Settings'), 'the "Open pbulk.conf Settings" title button')).click();
    const form = formFrame(page);
    const chroots = form.locator('#input-build_chroots');
    await until('the form to show build_chroots=20', async () => (await chroots.inputValue()) === '20');

    // loc away from ${bulklog}/meta: a warning whose fix is a button.
    const loc = form.locator('#input-loc');
    await loc.fill('/tmp/meta');
    await loc.press('Enter');
    const fix = await waitFor(form.locator('#problems-loc button.fix', { hasText: 'Change to ${bulklog}/meta' }), 'the quick fix button under loc');
    await fix.click();
    await until('the fix to set loc back', async () => (await loc.inputValue()) === '${bulklog}/meta');

    // The search box narrows the form; the group links still work.
    await form.locator('#search').fill('chroot');
    await waitFor(form.locator('#setting-bulklog'), 'bulklog to be filtered out', { state: 'hidden' });
    await form.locator('#toc-sandboxes').click();
    await waitFor(form.locator('#setting-chroot_dir'), 'chroot_dir in the filtered form');
    await form.locator('#search').fill('');
    await chroots.focus();
    await page.keyboard.press('Control+S');
    await until('the tabs to be clean after saving', async () => (await dirtyTabs(page).count()) === 0);
    const saved = readFileSync(file(), 'utf8');
    assert.match(saved, /^build_chroots=20$/m);
    assert.match(saved, /^loc=\$\{bulklog\}\/meta$/m);
  });

  it('Reopen Editor With... offers pbulk.conf Settings', async () => {
    await resetWindow(page);
    await openFile(page, FILE);
    await runCommand(page, 'View: Reopen Editor With...', { opensInput: true });
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'pbulk.conf Settings' }).first();
    await (await waitFor(row, '"pbulk.conf Settings" among the editors')).click();
    await waitFor(formFrame(page).locator('#input-bulklog'), 'the form');
  });
});
