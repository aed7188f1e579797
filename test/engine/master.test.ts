// Master mode over real TCP: the engine as pbulk's scan and build master in a network namespace
// of its own, `pkgsrc-bulk client` on client hosts that are namespaces joined by a bridge,
// started by pbulk.conf's start scripts; wire-client.mjs, written from the protocol text, is
// the peer the engine's client would never be (statistics, garbage, a job held and dropped).
// Root only (network and mount namespaces).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBulklog } from '../../src/pkgsrc/bulklog';
import { Engine } from '../../src/engine/core/engine';
import { engineBundle } from './cli-harness';
import { loadWorkspaceConfig, makeWorkspace } from './harness';
import { clientPid, masterSetup, runMaster, shq, type MasterSetup } from './master-harness';
import { netnsAvailable } from './netns';
import type { SmallPackage } from './tree';

const skip = netnsAvailable() ? false : 'needs root and ip(8) to make network namespaces';
const WIRE_CLIENT = join(__dirname, 'wire-client.mjs');

const TREE: SmallPackage[] = [
  { path: 'devel/liba', distname: 'liba-1.0' },
  { path: 'devel/libb', distname: 'libb-1.0', depends: ['devel/liba'], buildSeconds: 2 },
  { path: 'misc/app', distname: 'app-1.0', depends: ['devel/libb'] },
  { path: 'misc/tool', distname: 'tool-1.0', depends: ['devel/liba'] },
  { path: 'misc/bad', distname: 'bad-1.0', failPhase: 'build' },
  { path: 'misc/needsbad', distname: 'needsbad-1.0', depends: ['misc/bad'] },
];
const LIST = ['misc/app', 'misc/tool', 'misc/needsbad'];
const STATES = { 'liba-1.0': 'done', 'libb-1.0': 'done', 'app-1.0': 'done', 'tool-1.0': 'done', 'bad-1.0': 'failed', 'needsbad-1.0': 'indirect-failed' };

async function states(bulklog: string): Promise<Record<string, string>> {
  return Object.fromEntries((await readBulklog(bulklog)).packages.map((p) => [p.pkgname, p.state]));
}

/** The wire client in a client host's namespace. */
function wireClient(setup: MasterSetup, k: number, mode: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(setup.hosts.exec(setup.hosts.clients[k]!.ns)[0]!, [
      ...setup.hosts.exec(setup.hosts.clients[k]!.ns).slice(1),
      process.execPath,
      WIRE_CLIENT,
      mode,
      setup.hosts.master.ip,
      '2002',
    ]);
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    c.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const isEvent =
  (name: string, more: Record<string, unknown> = {}) =>
  (e: Record<string, unknown>) =>
    e.event === name && Object.entries(more).every(([k, v]) => e[k] === v);

test(
  'master mode: two client hosts scan (in rounds, on one port) and build; S answers meanwhile, garbage is refused, a second master and a missing client are reported',
  { skip },
  async (t) => {
    const setup = masterSetup('master', TREE, { clients: 2, extraBuildClients: ['10.255.255.99'], masterSettings: { clientWaitMs: 2500 } });
    t.after(() => setup.remove());
    const run = runMaster(setup, ['build', ...LIST]);
    await run.until(isEvent('started', { pkgname: 'libb-1.0' }));

    const stats = await wireClient(setup, 0, 'stats');
    const counters = JSON.parse(stats.out) as Record<string, number>;
    assert.equal(
      Object.values(counters).reduce((a, b) => a + b, 0),
      6,
      stats.out,
    );
    assert.ok(counters.in_processing! >= 1 && counters.done! >= 1, stats.out);

    const garbage = await wireClient(setup, 1, 'garbage');
    assert.match(garbage.out, /closed by the master/);
    const refused = await run.until(isEvent('client', { change: 'garbage' }));
    assert.match(
      String(refused.message),
      /broke pbulk's build protocol: sent "HELLO, is this the build" \(\+9 bytes\) where pbulk's build protocol has G or S; connection closed/,
    );

    const second = spawnSync(process.execPath, [engineBundle(), 'build', '-c', setup.ws.conf, ...LIST], { encoding: 'utf8' });
    assert.equal(second.status, 3, second.stderr);
    assert.match(second.stderr, /in use by another pkgsrc-bulk engine/);

    assert.equal(await run.done, 1, run.stderr());
    assert.deepEqual(await states(setup.ws.bulklog), STATES);
    const ev = run.events;
    const builtOn = new Set(ev.filter((e) => e.event === 'started').map((e) => e.host));
    assert.deepEqual([...builtOn].sort(), setup.hosts.clients.map((c) => c.ip).sort(), 'both hosts built');
    const scanConnections = ev.filter((e) => e.event === 'client' && e.role === 'scan' && e.change === 'connected').length;
    const rounds = ev.filter((e) => e.event === 'scanProgress').reduce((a, e) => Math.max(a, e.round as number), 0);
    assert.ok(rounds >= 2 && scanConnections === 2 * rounds, `${rounds} scan rounds, each on the same port with both clients (${scanConnections} connections)`);
    const missing = ev.find((e) => e.event === 'client' && e.change === 'missing' && e.host === '10.255.255.99');
    assert.ok(missing, 'the client that never connects is reported');
    const onLine = ev.find((e) => e.event === 'error' && e.code === 'client-missing' && String(e.message).startsWith('10.255.255.99'));
    const confLines = readFileSync(setup.ws.conf, 'utf8').split('\n');
    assert.match(confLines[(onLine!.location as { line: number }).line]!, /^build_clients=/, 'the diagnostic is on the build_clients line');
    // The timeline says which host built what.
    assert.match(
      readFileSync(join(setup.ws.bulklog, 'meta/timeline'), 'utf8'),
      new RegExp(`^liba-1\\.0\\|\\d+\\|\\d+\\|\\d+\\|done\\|${setup.hosts.clients.map((c) => c.ip.replace(/\./g, '\\.')).join('|')}$`, 'm'),
    );
  },
);

test('master mode: a client host dying mid-package hands it back; it is built on the other host with the states of a one-host build', { skip }, async (t) => {
  const tree = TREE.map((p) => (p.path === 'devel/libb' ? { ...p, buildSeconds: 4 } : p));
  const setup = masterSetup('master-kill', tree, { clients: 2 });
  t.after(() => setup.remove());
  const run = runMaster(setup, ['build', ...LIST]);
  const started = await run.until(isEvent('started', { pkgname: 'libb-1.0' }));
  const k = setup.hosts.clients.findIndex((c) => c.ip === started.host);
  await run.until(isEvent('phase', { pkgname: 'libb-1.0', phase: 'build' }), 30_000).catch(() => undefined);
  // The host dies: every process in its namespace, the build included.
  const pids = execFileSync('ip', ['netns', 'pids', setup.hosts.clients[k]!.ns], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  const gone = await run.until(isEvent('client', { role: 'build', change: 'disconnected', pkgname: 'libb-1.0' }));
  assert.equal(gone.host, started.host);
  const again = await run.until((e) => e.event === 'started' && e.pkgname === 'libb-1.0' && e.time !== started.time);
  assert.notEqual(again.host, started.host);
  assert.equal(await run.done, 1, run.stderr());
  const multi = await states(setup.ws.bulklog);

  const one = makeWorkspace('master-one', tree);
  t.after(() => one.remove());
  await (
    await new Engine(await loadWorkspaceConfig(one)).start({ locations: LIST })
  ).done;
  assert.deepEqual(multi, await states(one.bulklog));
  assert.deepEqual(multi, STATES);
  assert.equal(clientPid(setup, 'build', k) !== undefined, true);
});

test(
  'master mode: Stop ends the clients cleanly, a killed master resumes like a local build, a start script that fails is an error on its line',
  { skip },
  async (t) => {
    const tree = TREE.map((p) => (p.path === 'devel/libb' ? { ...p, buildSeconds: 4 } : p));
    const setup = masterSetup('master-stop', tree, { clients: 2 });
    t.after(() => setup.remove());

    const first = runMaster(setup, ['build', ...LIST]);
    await first.until(isEvent('started', { pkgname: 'libb-1.0' }));
    first.child.kill('SIGINT');
    assert.equal(await first.done, 1);
    assert.ok(first.events.some(isEvent('stage', { stage: 'cancelled' })));
    // Every client saw the end of its connection and left.
    for (const k of [0, 1]) {
      const pid = clientPid(setup, 'build', k)!;
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(alive(pid), false, `build client ${k + 1} exited after Stop`);
      assert.match(readFileSync(join(setup.ws.dir, `client-build-${k + 1}.out`), 'utf8'), /is done|ended the connection/);
    }

    const second = runMaster(setup, ['build', ...LIST]);
    await second.until((e) => e.event === 'started');
    second.child.kill('SIGKILL');
    await second.done;

    const third = runMaster(setup, ['build', ...LIST]);
    assert.equal(await third.done, 1, third.stderr());
    assert.deepEqual(await states(setup.ws.bulklog), STATES);
    assert.ok(!third.events.some(isEvent('stage', { stage: 'scanning' })), 'the resumed run does not scan again');

    // A start script that fails stops the run with pbulk's message, on its pbulk.conf line.
    const script = join(setup.ws.dir, 'build-client-start');
    const text = readFileSync(script, 'utf8');
    spawnSync('sh', ['-c', `printf '#!/bin/sh\\necho no ssh key >&2\\nexit 3\\n' > '${script}'`]);
    const failing = runMaster(setup, ['rebuild', '--failed']);
    assert.equal(await failing.done, 2, failing.stderr());
    const err = failing.events.find(isEvent('error', { code: 'start-script' }));
    assert.match(String(err?.message), /^Start script failed: pbuild_start_script=.* exited 3/);
    assert.match(readFileSync(setup.ws.conf, 'utf8').split('\n')[(err!.location as { line: number }).line]!, /^pbuild_start_script=/);
    assert.ok(text.length > 0);
  },
);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
}

test('master mode: a client failing every package it gets is reported and dropped; the other host builds the rest', { skip }, async (t) => {
  const tree: SmallPackage[] = Array.from({ length: 6 }, (_, i) => ({ path: `misc/p${i}`, distname: `p${i}-1.0` }));
  const setup = masterSetup('master-drop', tree, {
    clients: 2,
    masterSettings: { clientFailureLimit: 2 },
    // Host 2 runs the wire client, which fails whatever it is given, once host 1's client is
    // there (a lone client is never dropped).
    buildScript: (s) => {
      const out1 = shq(join(s.ws.dir, 'client-build-1.out'));
      const failing = [...s.hosts.exec(s.hosts.clients[1]!.ns), process.execPath, WIRE_CLIENT, 'fail', s.hosts.master.ip, '2002'].map(shq).join(' ');
      return `#!/bin/sh\n${s.clientCommand('build', 0).map(shq).join(' ')} >> ${out1} 2>&1 &\n(while ! grep -q 'Building package' ${out1} 2>/dev/null; do sleep 0.1; done; exec ${failing}) >> ${shq(join(s.ws.dir, 'failing.out'))} 2>&1 &\n`;
    },
  });
  t.after(() => setup.remove());
  const run = runMaster(setup, ['build', ...tree.map((p) => p.path)]);
  assert.equal(await run.done, 1, run.stderr());
  const dropped = run.events.find(isEvent('client', { change: 'dropped' }));
  assert.equal(dropped?.host, setup.hosts.clients[1]!.ip);
  assert.match(String(dropped?.message), /failed its last 2 packages in a row \(p\d-1\.0, p\d-1\.0\) and was dropped/);
  const err = run.events.find(isEvent('error', { code: 'client-dropped' }));
  assert.match(readFileSync(setup.ws.conf, 'utf8').split('\n')[(err!.location as { line: number }).line]!, /^build_clients=/);
  const st = await states(setup.ws.bulklog);
  assert.deepEqual(Object.values(st).sort(), ['done', 'done', 'done', 'done', 'failed', 'failed']);
  assert.match(readFileSync(join(setup.ws.dir, 'failing.out'), 'utf8'), /closed by the master/);
});
