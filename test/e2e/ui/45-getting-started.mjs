// Getting Started: on a newcomer's first start (a fresh server state, VS Code left to open
// walkthroughs as it does by default) the extension opens its walkthrough, whose steps open the
// Packages view and the active pbulk.conf; it does not open again on the next start.
import { after, before, describe, it } from 'mocha';
import { openSecondServer } from '../lib/second-server.mjs';
import { editorTab, screenshot, until, viewPane, waitFor } from '../lib/workbench.mjs';

const TITLE = 'Get Started with pkgsrc Bulk Builds';
const STEPS = ['Browse the pkgsrc tree', 'Check pbulk.conf', 'Build a selection', 'Read the report'];

describe('Getting Started walkthrough (UI)', () => {
  let second;
  let page;

  before(async function () {
    this.timeout(120_000);
    second = await openSecondServer('welcome', { settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true } });
    page = second.page;
  });

  after(async function () {
    await second?.close(this.test.parent.tests.some((t) => t.state === 'failed'));
  });

  it('opens on the first start with its four steps; a step opens the Packages view, another pbulk.conf', async function () {
    this.timeout(120_000);
    const walkthrough = page.locator('.gettingStartedContainer');
    await waitFor(walkthrough.locator('.category-title', { hasText: TITLE }), 'the walkthrough', { timeout: 60_000 });
    for (const step of STEPS) await waitFor(walkthrough.locator('.step-title', { hasText: step }), `the step "${step}"`);
    await screenshot(page, 'getting-started');

    await walkthrough.locator('.step-title', { hasText: STEPS[0] }).click();
    await walkthrough
      .locator('.getting-started-step.expanded .monaco-button, .getting-started-step.expanded a', { hasText: 'Open the Packages View' })
      .first()
      .click();
    await waitFor(viewPane(page, 'Packages'), 'the Packages view');

    await walkthrough.locator('.step-title', { hasText: STEPS[1] }).click();
    await walkthrough
      .locator('.getting-started-step.expanded .monaco-button, .getting-started-step.expanded a', { hasText: 'Open pbulk.conf' })
      .first()
      .click();
    await waitFor(editorTab(page, 'pbulk.conf'), 'the active pbulk.conf in an editor');
  });

  it('does not open again on the next start', async function () {
    this.timeout(120_000);
    // Closed by the user, then the window reloads: the extension starts again.
    await page.keyboard.press('Escape');
    const closeAll = page.locator('.part.editor .tabs-container .tab .action-label.codicon-close');
    while ((await closeAll.count()) > 0) await closeAll.first().click({ force: true });
    await until('every editor closed', async () => (await page.locator('.part.editor .tabs-container .tab').count()) === 0);
    await page.reload();
    // Active again once its pbulk.conf item is in the status bar; the walkthrough would have been asked for before.
    await waitFor(page.locator('.part.statusbar .statusbar-item', { hasText: 'pbulk.conf' }), 'the extension active again', { timeout: 60_000 });
    await new Promise((r) => setTimeout(r, 2000));
    if ((await page.locator('.gettingStartedContainer .category-title', { hasText: TITLE }).count()) > 0) throw new Error('the walkthrough opened again');
  });
});
