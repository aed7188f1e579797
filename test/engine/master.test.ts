// Master mode over real TCP: the engine as pbulk's scan and build master in a network namespace
// of its own, `pkgsrc-bulk client` on client hosts that are namespaces joined by a bridge,
// started by pbulk.conf's start scripts. Root only (network namespaces, sandboxes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBulklog } from '../../src/pkgsrc/bulklog';
import { masterSetup, runMaster } from './master-harness';
import { netnsAvailable } from './netns';
import type { SmallPackage } from './tree';

const skip = netnsAvailable() ? false : 'needs root and ip(8) to make network namespaces';

const TREE: SmallPackage[] = [
  { path: 'devel/liba', distname: 'liba-1.0' },
  { path: 'devel/libb', distname: 'libb-1.0', depends: ['devel/liba'] },
  { path: 'misc/app', distname: 'app-1.0', depends: ['devel/libb'] },
  { path: 'misc/tool', distname: 'tool-1.0', depends: ['devel/liba'] },
  { path: 'misc/bad', distname: 'bad-1.0', failPhase: 'build' },
  { path: 'misc/needsbad', distname: 'needsbad-1.0', depends: ['misc/bad'] },
];

test('two client hosts scan and build a limited build for the engine as master', { skip }, async (t) => {
  const setup = masterSetup('master', TREE, { clients: 2 });
  t.after(() => setup.remove());
  const run = runMaster(setup, ['build', 'misc/app', 'misc/tool', 'misc/needsbad']);
  const code = await run.done;
  const ev = run.events;
  assert.equal(code, 1, run.stderr());
  const b = await readBulklog(setup.ws.bulklog);
  const states = Object.fromEntries(b.packages.map((p) => [p.pkgname, p.state]));
  assert.deepEqual(states, { 'liba-1.0': 'done', 'libb-1.0': 'done', 'app-1.0': 'done', 'tool-1.0': 'done', 'bad-1.0': 'failed', 'needsbad-1.0': 'indirect-failed' });
  const hosts = new Set(ev.filter((e) => e.event === 'started').map((e) => e.host));
  const t0 = ev[0]!.time as number;
  console.log(ev.filter((e) => e.event === 'client' || e.event === 'stage' || e.event === 'scanFinished').map((e) => `${(e.time as number) - t0} ${e.event} ${e.stage ?? e.message ?? e.durationMs}`).join('\n'), hosts, readFileSync(join(setup.ws.bulklog, 'meta/timeline'), 'utf8'));
});
