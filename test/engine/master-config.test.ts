// pbulk.conf's master mode as the engine reads it: which phases go to clients, ports parsed as
// pbulk parses them with the error on the setting's line, and the client command's refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngineConfig } from '../../src/engine/config/load';
import { defaultSettings } from '../../src/engine/config/settings';
import { checkMarker, writeMarker } from '../../src/engine/master/marker';
import { judgeProbe, masterPreflight, sshArgs } from '../../src/engine/master/preflight';
import { EventHub } from '../../src/engine/core/events';
import { findTool } from '../../src/engine/sandbox/tools';
import { entryHost } from '../../src/engine/master/names';
import { parseTimeline, formatTimelineLine } from '../../src/pkgsrc/bulklog/timeline';
import { cli } from './cli-harness';
import { loadWorkspaceConfig, makeWorkspace } from './harness';

const append = (file: string, text: string) => writeFileSync(file, readFileSync(file, 'utf8') + text);

test('master_mode=yes with clients sends the phases with clients to them; ports that pbulk cannot parse stop the run on their line', async (t) => {
  const ws = makeWorkspace('mconf', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  append(
    ws.conf,
    'master_mode=yes\nmaster_ip=10.0.0.1\nmaster_port_scan=${master_ip}:2001\nmaster_port_build=${master_ip}:2002\nscan_clients=""\nbuild_clients="b1 pbulk@b2:2222"\npbuild_start_script=/usr/pbulk/libexec/pbulk/build-client-start\n',
  );
  const r = await loadEngineConfig(ws.conf, defaultSettings());
  assert.ok(r.config);
  assert.equal(r.config.master?.scan, undefined, 'no scan clients: the scan stays here');
  assert.deepEqual(r.config.master?.build?.address, { host: '10.0.0.1', port: 2002, anyAddress: false });
  assert.deepEqual(r.config.master?.build?.clients, ['b1', 'pbulk@b2:2222']);
  assert.equal(r.config.configVersion, '0.51');

  append(ws.conf, 'master_port_build=buildmaster.example.org:2002\n');
  const bad = await loadEngineConfig(ws.conf, defaultSettings());
  assert.equal(bad.config, undefined);
  const p = bad.problems.find((x) => x.code === 'engine-config')!;
  assert.match(p.message, /host name 'buildmaster.example.org'.*Could not parse addr\/port/);
  assert.match(readFileSync(ws.conf, 'utf8').split('\n')[p.range.start.line]!, /^master_port_build=buildmaster/);

  // master_mode=yes with empty client lists (the chroot variant) builds here.
  append(ws.conf, 'master_port_build=2002\nbuild_clients=""\n');
  assert.equal((await loadEngineConfig(ws.conf, defaultSettings())).config?.master, undefined);
});

test("the shared-paths marker: a client with the master's directories passes, another packages directory, tree or config_version is refused", async (t) => {
  const ws = makeWorkspace('marker', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  const cfg = await loadWorkspaceConfig(ws);
  assert.equal((await checkMarker(cfg)).warnings.length, 1, 'no marker: only a warning (a real pbulk master writes none)');
  const m = await writeMarker(cfg);
  assert.deepEqual(await checkMarker(cfg), { errors: [], warnings: [] });
  const other = await checkMarker({ ...cfg, packages: join(ws.dir, 'elsewhere'), pkgsrc: join(ws.dir, 'nothing'), configVersion: '0.68' });
  assert.deepEqual(
    other.errors.map((e) => e.split(' ')[0]),
    [`packages=${join(ws.dir, 'elsewhere')}`, `pkgsrc=${join(ws.dir, 'nothing')}`, 'config_version=0.68'],
  );
  // The same judgement on what ssh brought back from a client.
  const probe = (bulk: string, pk: string, size: string, cv: string) =>
    `== bulklog\n${bulk}\n== packages\n${pk}\n== pkgsrc\n${size}\n== config_version\n${cv}\n`;
  const token = JSON.stringify(m);
  assert.deepEqual(judgeProbe('b1', cfg, m, probe(token, token, String(m.pkgsrcMakefile), '0.51')), []);
  const found = judgeProbe('b1', cfg, m, probe('cat: x: No such file or directory', token, '12', '0.68'));
  assert.deepEqual(
    found.map((f) => [f.variable, f.code]),
    [
      ['bulklog', 'shared-path'],
      ['pkgsrc', 'shared-path'],
      ['config_version', 'client-config-version'],
    ],
  );
  assert.deepEqual([sshArgs('pbulk@b2:2222'), sshArgs('b1'), sshArgs('/chroot/x')], [['-p', '2222', 'pbulk@b2'], ['b1'], undefined]);
  assert.deepEqual(['pbulk@b2:2222', '[10.0.0.2]:22', 'b3', '/chroot/x'].map(entryHost), ['b2', '10.0.0.2', 'b3', undefined]);
});

test('meta/timeline keeps the host of a multi-host build; lines without one still read', () => {
  const line = formatTimelineLine({ pkgname: 'a-1.0', slot: 3, start: 1000, end: 2000, state: 'done', host: 'build1' });
  assert.equal(line, 'a-1.0|3|1000|2000|done|build1');
  const r = parseTimeline(`${line}\nb-1.0|0|1000|3000|failed\nc-1.0|0|1|2|done|\n`, 'timeline');
  assert.deepEqual(
    r.entries.map((e) => e.host),
    ['build1', undefined],
  );
  assert.deepEqual(
    r.problems.map((p) => p.code),
    ['bad-timeline-line'],
  );
});

test('pkgsrc-bulk client refuses bad usage with exit 2 and says why', () => {
  const [node, args] = cli('client', '--build', '--master', 'master.example.org:2002', '-c', '/nonexistent.conf');
  const r = spawnSync(node, args, { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /host name 'master.example.org'/);
  const [n2, a2] = cli('client', '--master', '10.0.0.1:2002', '-c', '/nonexistent.conf');
  const r2 = spawnSync(n2, a2, { encoding: 'utf8' });
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /exactly one of --scan and --build/);
});

test(
  'pre-flight: with a start script using ssh, a client ssh cannot reach in batch mode is an error on the client list line',
  { skip: findTool('ssh') ? false : 'no ssh program' },
  async (t) => {
    const ws = makeWorkspace('preflight', [{ path: 'devel/a', distname: 'a-1.0' }]);
    t.after(() => ws.remove());
    const script = join(ws.dir, 'build-client-start');
    writeFileSync(script, '#!/bin/sh\nfor client in ${build_clients}; do\n\tssh $client "pbulk-build -c ${master_port_build} -b pkg-build" &\ndone\n');
    append(ws.conf, `master_mode=yes\nmaster_port_build=127.0.0.1:2002\nbuild_clients="127.0.0.1:1"\npbuild_start_script=${script}\n`);
    const cfg = await loadWorkspaceConfig(ws);
    const hub = new EventHub();
    const seen: { code: string; message: string; line: number }[] = [];
    hub.on((name, p) => {
      if (name === 'error') {
        const e = p as { code: string; message: string; location?: { line: number } };
        seen.push({ code: e.code, message: e.message, line: e.location?.line ?? -1 });
      }
    });
    await masterPreflight(cfg, hub);
    const e = seen.find((x) => x.code === 'client-unreachable');
    assert.ok(e, JSON.stringify(seen));
    assert.match(e.message, /^127\.0\.0\.1:1 in build_clients cannot be reached with ssh in batch mode \(.*refused.*\)/);
    assert.match(readFileSync(ws.conf, 'utf8').split('\n')[e.line]!, /^build_clients=/);
    assert.ok(readFileSync(join(ws.bulklog, '.pkgsrc-bulk-master'), 'utf8').includes('"token"'));
  },
);
