// What a person sees first: the workbench on a pkgsrc tree shows the pkgsrc container, and
// its Packages view opens.
import { describe, it } from 'mocha';
import { mainPage, screenshot, showContainer, viewPane, waitFor } from '../lib/workbench.mjs';

describe('smoke: workbench', () => {
  it('shows the pkgsrc container and its Packages view', async () => {
    const page = await mainPage();
    await showContainer(page, 'pkgsrc');
    await waitFor(viewPane(page, 'Packages'), 'the Packages view');
    await screenshot(page, 'smoke-container');
  });
});
