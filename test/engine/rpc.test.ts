import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection, ResponseError } from 'vscode-jsonrpc/node';
import { build, EngineClient, engine as engineP, logs, packages } from '../../src/protocol';
import { attachSocket } from '../../src/protocol/socket';
import { allowedPeer, closeSocket, listenSocket } from '../../src/engine/rpc/socket';
import { parseSs, peerCredentials } from '../../src/engine/rpc/peercred';
import { RpcErrors } from '../../src/protocol/rpc';
import { existingLogChunks } from '../../src/engine/core/follow';
import { cli, hangUpAfterRequest } from './cli-harness';
import { makeWorkspace } from './harness';
import type { SmallPackage } from './tree';

const tree: SmallPackage[] = [
  { path: 'devel/liba', distname: 'liba-1.0' },
  { path: 'devel/slow', distname: 'slow-1.0', buildSeconds: 2, depends: ['devel/liba'] },
  { path: 'devel/bad', distname: 'bad-1.0', failPhase: 'checksum' },
];

function serve(conf: string, ...extra: string[]) {
  const [cmd, argv] = cli('serve', '-c', conf, '--stdio', ...extra);
  const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.listen();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, client: new EngineClient(conn), exited, stderr: () => stderr };
}

test('serve over stdio; a second client attaches to the socket mid-build and gets the events', async (t) => {
  const ws = makeWorkspace('rpc', tree);
  t.after(() => ws.remove());
  const s = serve(ws.conf);
  t.after(() => s.child.kill('SIGKILL'));
  const hello = await s.client.hello('test');
  assert.equal(hello.status.stage, 'idle');
  assert.equal(hello.root, process.getuid?.() === 0);

  const finished: string[] = [];
  s.client.on(packages.PackageFinished, (p) => finished.push(`${p.pkgname}:${p.state}`));
  const slowStarted = new Promise<void>((resolve) => s.client.on(packages.PackageStarted, (p) => p.pkgname === 'slow-1.0' && resolve()));
  const summary1 = new Promise<build.BuildSummary>((resolve) => s.client.on(build.Summary, resolve));
  const r = await s.client.request(build.Start, {});
  assert.equal(r.resumed, false);

  // Starting again while busy is refused with the busy code.
  await assert.rejects(s.client.request(build.Start, {}), (e: unknown) => e instanceof ResponseError && e.code === RpcErrors.busy);
  // Bad params are refused with the field.
  await assert.rejects(s.client.request(build.Start, { jobs: -1 } as never), (e: unknown) => e instanceof ResponseError && /jobs/.test(e.message));

  await slowStarted;
  const second = await attachSocket(join(ws.bulklog, 'meta/engine.sock'));
  t.after(() => second.connection.dispose());
  const h2 = await second.hello('second window');
  assert.equal(h2.status.stage, 'building');
  assert.deepEqual(
    h2.status.running.map((x) => x.pkgname),
    ['slow-1.0'],
  );
  const chunks: string[] = [];
  second.on(logs.LogChunked, (c) => chunks.push(c.text));
  const followed = await second.request(logs.Follow, { pkgname: 'slow-1.0' });
  assert.equal(followed.live, true);
  const secondFinished: string[] = [];
  second.on(packages.PackageFinished, (p) => secondFinished.push(`${p.pkgname}:${p.state}`));
  const summary2 = new Promise<build.BuildSummary>((resolve) => second.on(build.Summary, resolve));

  const [s1, s2] = await Promise.all([summary1, summary2]);
  assert.equal(s1.runId, r.runId);
  assert.deepEqual(s2.counts, s1.counts);
  assert.deepEqual(finished.sort(), ['bad-1.0:failed', 'liba-1.0:done', 'slow-1.0:done']);
  assert.ok(secondFinished.includes('slow-1.0:done'));
  assert.match(chunks.join(''), /===> (Building|Installing) for slow-1\.0/);

  await s.client.request(engineP.Shutdown, {});
  assert.equal(await s.exited, 0, s.stderr());
});

test('a build goes on when the window goes away; a new client re-attaches; an idle engine exits', async (t) => {
  const ws = makeWorkspace('rpc-reattach', tree);
  t.after(() => ws.remove());
  const s = serve(ws.conf, '--idle-exit', '1');
  t.after(() => s.child.kill('SIGKILL'));
  await s.client.hello('first window');
  const started = new Promise<void>((resolve) => s.client.on(packages.PackageStarted, (p) => p.pkgname === 'slow-1.0' && resolve()));
  await s.client.request(build.Start, {});
  await started;
  // The window reloads: its pipe closes.
  s.client.connection.dispose();
  s.child.stdin.end();
  const again = await attachSocket(join(ws.bulklog, 'meta/engine.sock'));
  const h = await again.hello('reloaded window');
  assert.ok(['building', 'reporting', 'finished'].includes(h.status.stage), h.status.stage);
  if (h.status.stage !== 'finished') await new Promise<void>((resolve) => again.on(build.StageChanged, (e) => e.stage === 'finished' && resolve()));
  const st = await again.request(build.Status, {});
  assert.equal(st.counts.done, 2);
  again.connection.dispose();
  assert.equal(await s.exited, 0, s.stderr());
});

test('peer credentials come from the kernel: the uid of a process of another user', async (t) => {
  const dir = mkdtempSync('/var/tmp/pkgsrc-bulk-peer-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  const path = join(dir, 's.sock');
  const got = new Promise<Awaited<ReturnType<typeof peerCredentials>>>((resolve) => {
    const srv = createServer((sock) => {
      void peerCredentials(sock).then((c) => {
        sock.destroy();
        srv.close();
        resolve(c);
      });
    });
    srv.listen(path, () => chmodSync(path, 0o777));
  });
  await new Promise((r) => setTimeout(r, 100));
  const asNobody = process.getuid?.() === 0;
  const code = `const s=require('net').connect(${JSON.stringify(path)});s.on('connect',()=>setTimeout(()=>s.end(),2000));s.on('error',()=>{})`;
  const child = asNobody ? spawn('runuser', ['-u', 'nobody', '--', process.execPath, '-e', code]) : spawn(process.execPath, ['-e', code]);
  const creds = await got;
  child.kill();
  assert.ok(creds && creds.length > 0);
  const uid = asNobody ? 65534 : process.getuid?.();
  assert.equal(creds[0]!.uid, uid);
  assert.equal(allowedPeer(creds, 0, undefined), !asNobody || uid === 0);
  assert.equal(allowedPeer(creds, 0, 65534), true);
});

test("a root engine's socket refuses a peer that is neither root, its owner nor in its group, even with the socket opened to all", async (t) => {
  const dir = mkdtempSync('/var/tmp/pkgsrc-bulk-peer-refuse-');
  chmodSync(dir, 0o755);
  const path = join(dir, 'engine.sock');
  const refused: string[] = [];
  let admitted!: () => void;
  const admittedP = new Promise<void>((r) => (admitted = r));
  let accepted = 0;
  const server = await listenSocket({ path, onConnection: (conn) => (accepted++, conn.listen(), admitted()), onRefused: (m) => refused.push(m) });
  t.after(async () => {
    await closeSocket(server, path);
    rmSync(dir, { recursive: true, force: true });
  });
  if (process.getuid?.() !== 0) {
    // A user's engine: only the file mode guards it, and that lets no one else in.
    assert.equal(statSync(path).mode & 0o777, 0o600);
    return;
  }
  assert.equal(statSync(path).mode & 0o777, 0o660);
  // Only the credentials check stands between nobody and the engine now.
  chmodSync(path, 0o777);
  const code = `const s=require('net').connect(${JSON.stringify(path)});s.on('close',()=>process.exit(0));s.on('error',()=>process.exit(0));setTimeout(()=>process.exit(3),5000)`;
  const child = spawn('runuser', ['-u', 'nobody', '--', process.execPath, '-e', code]);
  const exit = await new Promise<number | null>((r) => child.once('exit', r));
  assert.equal(exit, 0, 'the engine hung up on nobody');
  assert.equal(accepted, 0);
  assert.match(refused.join('\n'), /refused a connection from pid \d+ uid 65534/);
  // Root itself is let in.
  const client = await attachSocket(path);
  await admittedP;
  assert.equal(accepted, 1);
  client.connection.dispose();
});

test('ss output parsing and the peer rule', () => {
  const t = parseSs(
    'u_str ESTAB 0 0 /b/meta/engine.sock 100 * 101 users:(("node",pid=7,fd=3))\nu_str ESTAB 0 0 * 101 * 100 users:(("node",pid=9,fd=4),("sh",pid=10,fd=4))\n',
  );
  assert.deepEqual(t.get('100'), { peer: '101', pids: [7] });
  assert.deepEqual(t.get('101'), { peer: '100', pids: [9, 10] });
  assert.equal(allowedPeer(undefined, 0, undefined), false);
  assert.equal(allowedPeer([{ pid: 1, uid: 1000, gids: [50] }], 0, 50), true);
  assert.equal(
    allowedPeer(
      [
        { pid: 1, uid: 1000, gids: [51] },
        { pid: 2, uid: 0, gids: [] },
      ],
      0,
      50,
    ),
    false,
  );
});

test('following a package first replays the tails of its existing phase logs, in phase order', async (t) => {
  const dir = mkdtempSync('/var/tmp/pkgsrc-bulk-follow-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'configure.log'), 'checking...\n');
  writeFileSync(join(dir, 'pre-clean.log'), '===> Cleaning\n');
  writeFileSync(join(dir, 'work.log'), 'not a phase\n');
  writeFileSync(join(dir, 'build.log'), 'x'.repeat(100));
  const chunks = await existingLogChunks(dir, 40);
  assert.deepEqual(
    chunks.map((c) => [c.phase, c.offset, c.text.length]),
    [
      ['pre-clean', 0, 14],
      ['configure', 0, 12],
      ['build', 60, 40],
    ],
  );
  assert.deepEqual(await existingLogChunks(join(dir, 'none')), []);
});

test('a request to an engine that hangs up or never answers fails, saying which, instead of waiting forever', async (t) => {
  const dir = mkdtempSync('/tmp/pkgsrc-bulk-rpc-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Stand-ins for a broken engine (real sockets, no engine behind them): one closes every
  // connection once the first request has arrived whole, one reads requests and never answers.
  const hangsUp = join(dir, 'hangs-up.sock');
  const silent = join(dir, 'silent.sock');
  const servers = [createServer(hangUpAfterRequest).listen(hangsUp), createServer((s) => s.on('data', () => {})).listen(silent)];
  t.after(() => servers.forEach((s) => s.close()));
  await Promise.all(servers.map((s) => new Promise((r) => s.once('listening', r))));

  const a = await attachSocket(hangsUp);
  await assert.rejects(a.hello('test'), /^Error: engine\/hello: the engine closed the connection without answering$/);
  await assert.rejects(a.hello('test'), /the connection to the engine is closed/);

  const b = await attachSocket(silent);
  t.after(() => b.connection.dispose());
  await assert.rejects(b.hello('test', 300), /^Error: engine\/hello: no answer within 300 ms$/);
});
