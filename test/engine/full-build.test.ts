// `build/start` with `full`: a full build of the tree even when pbulk.conf names a limited_list
// (the editor's "Full Bulk Build"); without it the limited_list decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/core/engine';
import { startParams } from '../../src/protocol/build';
import { readBulklog } from '../../src/pkgsrc/bulklog';
import { loadWorkspaceConfig, makeWorkspace } from './harness';

test('full: true scans the whole tree although pbulk.conf sets a limited_list', async (t) => {
  const ws = makeWorkspace(
    'full',
    [
      { path: 'devel/liba', distname: 'liba-1.0' },
      { path: 'devel/libb', distname: 'libb-1.0' },
      { path: 'misc/app', distname: 'app-1.0', depends: ['devel/liba'] },
    ],
    {},
  );
  t.after(() => ws.remove());
  const list = join(ws.dir, 'limited_list');
  writeFileSync(list, 'misc/app\n');
  writeFileSync(ws.conf, `${readFileSync(ws.conf, 'utf8')}limited_list=${list}\n`);
  const engine = new Engine(await loadWorkspaceConfig(ws));

  await (
    await engine.start({ scanOnly: true })
  ).done;
  assert.deepEqual((await readBulklog(ws.bulklog)).packages.map((p) => p.pkgname).sort(), ['app-1.0', 'liba-1.0']);

  await (
    await engine.start({ scanOnly: true, full: true, resume: false })
  ).done;
  assert.deepEqual((await readBulklog(ws.bulklog)).packages.map((p) => p.pkgname).sort(), ['app-1.0', 'liba-1.0', 'libb-1.0']);

  assert.equal(startParams.safeParse({ full: true, locations: ['a/b'] }).success, false);
});
