// Workspace trust: in a window that does not trust the sample tree (a second server with trust
// on; the main one runs with it off), a build command and Publish are refused with a message
// saying why, before they ask anything else.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { openSecondServer } from '../lib/second-server.mjs';
import { runCommand, screenshot, waitFor } from '../lib/workbench.mjs';

describe('builds in an untrusted workspace (UI)', () => {
  let second;
  let page;

  before(async function () {
    this.timeout(120_000);
    // Trust on, and no startup prompt: the folder opens in restricted mode.
    second = await openSecondServer('untrusted', {
      workspaceTrust: true,
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
    });
    page = second.page;
  });

  after(async function () {
    // This server's log beside the main one's when something failed (its state goes away).
    await second?.close(this.test.parent.tests.some((t) => t.state === 'failed'));
  });

  it('refuses a full bulk build with the reason and a way to trust the workspace', async function () {
    this.timeout(90_000);
    await waitFor(page.locator('.part.statusbar', { hasText: 'Restricted Mode' }), 'Restricted Mode in the status bar', { timeout: 60_000 });
    // The extension runs in restricted mode too: its pbulk.conf item shows once it is active.
    await waitFor(page.locator('.part.statusbar .statusbar-item', { hasText: 'pbulk.conf' }), 'the active pbulk.conf in the status bar', { timeout: 60_000 });
    await runCommand(page, 'pkgsrc: Full Bulk Build');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Builds are off in this untrusted workspace' });
    await waitFor(toast, 'the refusal', { timeout: 60_000 });
    await waitFor(toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }), 'the button to trust the workspace');
    // Refused before the confirmation of a full build: no dialog asks first.
    if ((await page.locator('.monaco-dialog-box').count()) > 0) throw new Error('a dialog opened although the build is refused');
    await screenshot(page, 'build-untrusted');
  });

  it('refuses to publish, saying why, before it asks anything', async function () {
    this.timeout(90_000);
    // The extension is active (it may run alone with --grep).
    await waitFor(page.locator('.part.statusbar .statusbar-item', { hasText: 'pbulk.conf' }), 'the active pbulk.conf in the status bar', { timeout: 60_000 });
    await runCommand(page, 'pkgsrc: Publish Packages and Report...');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Publishing is off in this untrusted workspace' });
    await waitFor(toast, 'the refusal to publish', { timeout: 30_000 });
    if ((await page.locator('.quick-input-widget:visible').count()) > 0) throw new Error('Publish asked what to publish although it is refused');
  });
});
