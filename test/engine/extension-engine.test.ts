// The extension's side of the engine process: it starts `pkgsrc-bulk serve` detached, attaches
// through the socket, starts a build, goes away (a window reload) and attaches again to see the
// build finish; a pbulk.conf the engine refuses comes back with its printed problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, engine as engineP, packages } from '../../src/protocol';
import { attachEngine, connectEngine, EngineStartError } from '../../src/extension/engine/engineProcess';
import { socketPathFor } from '../../src/extension/engine/engineSocket';
import { printedProblems } from '../../src/extension/diagnostics/engineErrors';
import { engineBundle } from './cli-harness';
import { makeWorkspace } from './harness';

function launch(conf: string, metaDir: string, logDir: string) {
  return { conf, metaDir, engineScript: engineBundle(), node: process.execPath, logFile: join(logDir, 'engine.log'), idleExitSeconds: 2 };
}

test('a detached engine survives its client: start, go away, re-attach, see the build finish', async (t) => {
  const ws = makeWorkspace('ext-engine', [
    { path: 'devel/liba', distname: 'liba-1.0' },
    { path: 'devel/slow', distname: 'slow-1.0', buildSeconds: 2, depends: ['devel/liba'] },
  ]);
  const logs = mkdtempSync(join(tmpdir(), 'pkgsrc-bulk-extlog-'));
  t.after(() => {
    ws.remove();
    rmSync(logs, { recursive: true, force: true });
  });
  const meta = join(ws.bulklog, 'meta');
  assert.equal(await attachEngine(meta), undefined, 'no engine yet');
  const first = await connectEngine(launch(ws.conf, meta, logs));
  assert.equal(first.started, true);
  const hello = await first.client.hello('test window');
  assert.equal(hello.status.stage, 'idle');
  const slowStarted = new Promise<void>((resolve) => first.client.on(packages.PackageStarted, (p) => p.pkgname === 'slow-1.0' && resolve()));
  await first.client.request(build.Start, {});
  await slowStarted;
  first.client.connection.dispose();

  const again = await attachEngine(meta);
  assert.ok(again, 'the engine still listens after its client went away');
  // Listening before hello: the build may finish between the answer and the next line.
  const finished = new Promise<void>((resolve) => again.client.on(build.StageChanged, (e) => e.stage === 'finished' && resolve()));
  const h = await again.client.hello('reloaded window');
  assert.equal(h.pid, hello.pid);
  if (h.status.stage !== 'finished') await finished;
  const st = await again.client.request(build.Status, {});
  assert.equal(st.counts.done, 2);
  assert.ok(existsSync(join(meta, 'timeline')), 'meta/timeline written');
  // The engine closes the socket as it exits; the answer to shutdown may not make it out first.
  const closed = new Promise<void>((resolve) => again.client.connection.onClose(() => resolve()));
  void again.client.request(engineP.Shutdown, {}).catch(() => undefined);
  await closed;
  again.client.connection.dispose();
  assert.match(readFileSync(join(logs, 'engine.log'), 'utf8'), /listening on/);
});

test('a pbulk.conf the engine refuses: the start fails with the problems it printed', async (t) => {
  const dir = mkdtempSync('/var/tmp/pkgsrc-bulk-badconf-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const conf = join(dir, 'pbulk.conf');
  writeFileSync(conf, 'bulklog=/\nprefix=/\n');
  await assert.rejects(connectEngine(launch(conf, join(dir, 'meta'), dir)), (e: unknown) => {
    assert.ok(e instanceof EngineStartError);
    assert.equal(e.exitCode, 2);
    const ds = printedProblems(e.output);
    assert.ok(
      ds.some((d) => d.target.kind === 'file' && d.target.path === conf && d.severity === 'error'),
      e.output,
    );
    return true;
  });
});

test('socket paths too long for a unix socket move to the temporary directory', () => {
  const long = `/var/tmp/${'x'.repeat(120)}/meta`;
  const p = socketPathFor(long);
  assert.equal(p.explicit, true);
  assert.ok(Buffer.byteLength(p.path) < 100 && p.path === socketPathFor(long).path);
  assert.deepEqual(socketPathFor('/b/meta'), { path: '/b/meta/engine.sock', explicit: false });
});
