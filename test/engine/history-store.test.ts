// The history store's own rules on small hand-written bulklogs (no builds): what is filed and
// what is not, ids that collide, retention by runs and by days, and reading a stored run back
// as a bulklog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunFiler } from '../../src/engine/history/filer';
import { listRuns, extractRun, readRunSummary } from '../../src/pkgsrc/history/store';
import { readBulklog } from '../../src/pkgsrc/bulklog/read';
import { makeWorkspace, workspaceConfig, type Workspace } from './harness';

const DAY = 86_400_000;

/** A finished run in the bulklog: two packages, one failed with a log. */
function writeRun(ws: Workspace, runId: string | undefined, startedAt: number): void {
  rmSync(ws.bulklog, { recursive: true, force: true });
  const meta = join(ws.bulklog, 'meta');
  mkdirSync(join(ws.bulklog, 'bad-1.0'), { recursive: true });
  mkdirSync(meta, { recursive: true });
  writeFileSync(join(meta, 'success'), 'good-1.0\n');
  writeFileSync(join(meta, 'error'), 'bad-1.0\n');
  writeFileSync(join(meta, 'status'), `PLATFORM=Linux\nBUILD_START_ISO=2013-02-01 10:00\nBUILD_START_DIR=20130201.1000\n`);
  writeFileSync(join(ws.bulklog, 'bad-1.0', 'build.log'), `error: ${runId ?? 'pbulk'} failed here\n`);
  if (runId) writeFileSync(join(meta, 'engine.json'), JSON.stringify({ runId, configFile: ws.conf, startedAt, stage: 'done', force: [] }));
}

test('runs are filed whole, a scan alone is not a run, ids never collide, retention by runs and days', async (t) => {
  const ws = makeWorkspace('hist-store', (pkgsrc) => mkdirSync(pkgsrc, { recursive: true }));
  t.after(() => ws.remove());
  let now = Date.parse('2024-06-01T12:00:00Z');
  const filer = (settings: Record<string, unknown> = {}) =>
    new RunFiler(
      workspaceConfig(ws, {}, settings),
      () => undefined,
      () => now,
    );
  const store = `${ws.bulklog}.history`;

  // Only a scan in the bulklog: nothing to keep.
  mkdirSync(join(ws.bulklog, 'meta'), { recursive: true });
  writeFileSync(join(ws.bulklog, 'meta/presolve'), '');
  assert.equal(await filer().stage(), undefined);

  for (const [k, id] of ['r1', 'r2', 'r3', 'r4'].entries()) {
    writeRun(ws, id, now + k * DAY);
    const f = filer({ historyKeepRuns: 3 });
    assert.ok(await f.stage());
    // The bulklog is empty the moment its run is staged (the socket and lock would stay).
    assert.deepEqual(
      readdirSync(ws.bulklog).filter((n) => n !== 'meta'),
      [],
    );
    assert.deepEqual(readdirSync(join(ws.bulklog, 'meta')), []);
    assert.deepEqual(await f.complete(), [id]);
  }
  let { runs } = await listRuns(store);
  assert.deepEqual(
    runs.map((r) => r.info.id),
    ['r2', 'r3', 'r4'],
    'the newest three are kept',
  );
  const s = await readRunSummary(runs[2]!);
  assert.deepEqual(s.packages.map((p) => `${p.pkgname}:${p.state}`).sort(), ['bad-1.0:failed', 'good-1.0:done']);

  // A stored run reads back as the bulklog it was.
  const dest = mkdtempSync('/var/tmp/pkgsrc-bulk-hist-extract-');
  t.after(() => rmSync(dest, { recursive: true, force: true }));
  await extractRun(runs[2]!, dest);
  assert.equal(readFileSync(join(dest, 'bad-1.0/build.log'), 'utf8'), 'error: r4 failed here\n');
  const b = await readBulklog(dest);
  assert.equal(b.byName.get('bad-1.0')?.failingPhase, 'build');

  // Two pbulk runs started in the same minute: the second gets an id of its own.
  writeRun(ws, undefined, 0);
  await filer().stage();
  writeRun(ws, undefined, 0);
  await filer().stage();
  assert.deepEqual((await filer().complete()).sort(), ['pbulk-20130201.1000', 'pbulk-20130201.1000-2']);

  // Days: runs that ended more than two days ago go.
  now += 4.5 * DAY;
  const gone = await filer({ historyKeepDays: 2 }).prune();
  assert.deepEqual(gone.sort(), ['r2', 'r3', 'pbulk-20130201.1000', 'pbulk-20130201.1000-2'].sort());
  ({ runs } = await listRuns(store));
  assert.deepEqual(
    runs.map((r) => r.info.id),
    ['r4'],
  );
  assert.deepEqual(
    readdirSync(store).filter((n) => n.startsWith('.')),
    [],
  );

  // historyKeepRuns 0: no history at all, the run is left for pre-build to empty.
  writeRun(ws, 'r5', now);
  assert.equal(await filer({ historyKeepRuns: 0 }).stage(), undefined);
  assert.ok(readdirSync(ws.bulklog).includes('bad-1.0'));
});
