// Step of ui/15-bulklog-states.mjs: after the sample limited build ran through the CLI and the
// workspace setting pkgsrcBulk.bulklog names its bulklog, the Packages view holds the state of
// every package of the build.
import * as assert from 'assert/strict';
import { describe, it } from 'mocha';
import { activateExtension, sampleWorkspace, waitFor } from './util';

describe('build states from a bulklog', () => {
  it('holds the state of every package of the sample build', async () => {
    const api = await activateExtension();
    const ws = sampleWorkspace();
    await api.packages.ready();
    const provider = api.packages.provider;
    const states = await waitFor(
      'the states of the sample build',
      () => {
        const m = provider.states();
        return m.get(ws.build.fails)?.state === 'failed' ? m : undefined;
      },
      [provider.onDidChangeTreeData],
    );
    assert.equal(states.get(ws.build.dependsOnFailed)?.state, 'indirect-failed');
    assert.equal(states.get(ws.build.broken)?.state, 'prefailed');
    for (const p of ws.build.succeeds) assert.equal(states.get(p)?.state, 'done', p);
    // Packages outside the limited build have no state.
    const outside = ws.packages.find((p) => !ws.build.listed.includes(p.path))!;
    assert.equal(states.get(outside.path)?.state ?? 'unknown', 'unknown');
  });
});
