// sandbox/cleanup over the engine protocol (what the extension's Clean Up Sandboxes sends): the
// engine of a pbulk.conf takes down a sandbox whose owner was killed with -9, in the directory
// its builds put sandboxes (the parent of chroot_dir), and answers with what it did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection, ResponseError, ErrorCodes } from 'vscode-jsonrpc/node';
import { EngineClient, RpcErrors, sandbox as sandboxP } from '../../src/protocol';
import { listStateFiles } from '../../src/engine/sandbox/state';
import { makeWorkspace } from '../engine/harness';
import { REPO, dropScratch, engineBundle, hostTree, mountPointsUnder, requireRoot, scratch, treeHash } from './fixtures';

function serve(conf: string) {
  const child = spawn(process.execPath, [engineBundle(), 'serve', '-c', conf, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.listen();
  return { child, client: new EngineClient(conn), stderr: () => stderr };
}

async function until(what: string, ok: () => boolean, limitMs: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > limitMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("sandbox/cleanup: the engine of a pbulk.conf removes a killed owner's sandbox from the parent of chroot_dir", { timeout: 120_000 }, async (t) => {
  requireRoot();
  const s = scratch('rpc-cleanup');
  const base = `${s}/base`;
  const ws = makeWorkspace('rpc-cleanup', [{ path: 'devel/liba', distname: 'liba-1.0' }], { chroot_dir: `${base}/sample` });
  const engines: ReturnType<typeof serve>[] = [];
  t.after(async () => {
    for (const e of engines) e.child.kill('SIGKILL');
    spawnSync(process.execPath, [engineBundle(), 'sandbox', 'cleanup', '--base', base], { cwd: REPO, timeout: 60_000 });
    ws.remove();
    await dropScratch(s);
  });
  const host = hostTree(`${s}/host`);
  const before = treeHash(host);

  // What a killed engine leaves: a sandbox with its mounts whose owner died.
  const owner = spawn(process.execPath, [engineBundle(), 'sandbox', 'create', '--base', base, '--pkgsrc', host, 'stale', '--run', '--', 'sleep', '600'], {
    cwd: REPO,
    detached: true,
    stdio: 'ignore',
  });
  const ownerExit = new Promise((r) => owner.once('exit', r));
  // Made whole: its command runs (the first mount alone may be one the creation still undoes).
  const running = () => spawnSync('pgrep', ['-P', String(owner.pid), '-x', 'unshare|sleep']).status === 0;
  await until('the stale sandbox made and running its command', () => running() && mountPointsUnder(base).length > 0, 60_000);
  process.kill(-owner.pid!, 'SIGKILL');
  await ownerExit;

  const e = serve(ws.conf);
  engines.push(e);
  await e.client.hello('test');

  const dry = await e.client.request(sandboxP.Cleanup, { dryRun: true });
  assert.equal(dry.base, base, e.stderr());
  assert.deepEqual(dry.removed, [`${base}/stale`]);
  assert.ok(mountPointsUnder(base).length > 0, 'a dry run unmounts nothing');

  const r = await e.client.request(sandboxP.Cleanup, {});
  assert.equal(r.base, base);
  assert.deepEqual(r.removed, [`${base}/stale`]);
  assert.deepEqual(r.failed, []);
  assert.deepEqual(mountPointsUnder(s), [], 'no mount left');
  assert.deepEqual(await listStateFiles(base), [], 'no sandbox left');
  assert.equal(treeHash(host), before, 'the host tree is intact');

  const again = await e.client.request(sandboxP.Cleanup, { base });
  assert.deepEqual([again.removed, again.failed, again.skipped], [[], [], []], 'nothing left the second time');

  // Running as root, the engine cleans up only its own base: a client's directory could hold
  // state files that client wrote.
  await assert.rejects(
    e.client.request(sandboxP.Cleanup, { base: `${s}/elsewhere` }),
    (err: unknown) => err instanceof ResponseError && err.code === RpcErrors.badRequest && /only where its builds put sandboxes/.test(err.message),
  );
  // A relative base is refused by the schema, naming the field.
  await assert.rejects(
    e.client.request(sandboxP.Cleanup, { base: 'sandboxes' }),
    (err: unknown) => err instanceof ResponseError && err.code === ErrorCodes.InvalidParams && /base/.test(err.message),
  );
});

test('sandbox/cleanup: with no chroot_dir and no sandboxBase the engine says it has no base and does nothing', { timeout: 60_000 }, async (t) => {
  const ws = makeWorkspace('rpc-cleanup-none', [{ path: 'devel/liba', distname: 'liba-1.0' }]);
  const e = serve(ws.conf);
  t.after(() => {
    e.child.kill('SIGKILL');
    ws.remove();
  });
  await e.client.hello('test');
  const r = await e.client.request(sandboxP.Cleanup, undefined);
  assert.deepEqual(r, { base: null, removed: [], leftovers: [], skipped: [], failed: [], warnings: [] });
});
