// What a person sees first: the workbench on a pkgsrc tree shows the pkgsrc container, and
// its Packages view opens.
import { after, before, describe, it } from 'mocha';
import { ctx } from '../lib/context.mjs';
import { newPage, openWorkbench, screenshot, showContainer, viewPane, waitFor } from '../lib/workbench.mjs';

describe('smoke: workbench', () => {
  let page;
  before(async () => {
    page = await newPage(ctx.browser);
    ctx.pages.add(page);
  });
  after(async () => {
    ctx.pages.delete(page);
    await page?.close();
  });

  it('shows the pkgsrc container and its Packages view', async () => {
    await openWorkbench(page, ctx.server, { folder: ctx.workspace.root });
    await showContainer(page, 'pkgsrc');
    await waitFor(viewPane(page, 'Packages'), 'the Packages view');
    await screenshot(page, 'smoke-container');
  });
});
