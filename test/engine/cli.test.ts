import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cli, hangUpAfterRequest } from './cli-harness';
import { BulklogLock } from '../../src/engine/lock';
import { normalizeLocation } from '../../src/engine/cli/setup';
import { backdate, makeWorkspace, writePbulkConf, type Workspace } from './harness';
import { writePackage, type SmallPackage } from './tree';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const [cmd, argv] = cli(...args);
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const small: SmallPackage[] = [
  { path: 'devel/libfoo', distname: 'libfoo-1.0' },
  { path: 'devel/libbad', distname: 'libbad-1.0', failPhase: 'configure' },
  { path: 'devel/app', distname: 'app-1.0', depends: ['devel/libbad', 'devel/libfoo'] },
];

test('build, scan, rebuild and status on the command line, with pbulk-style lines and exit codes', async (t) => {
  const ws = makeWorkspace('cli', small);
  t.after(() => ws.remove());
  backdate(ws.pkgsrc);
  const b = run('build', '-c', ws.conf);
  assert.equal(b.code, 1, b.stderr);
  assert.match(b.stdout, /^\[\d+\/3\] Starting build of  libfoo-1\.0$/m);
  assert.match(b.stdout, /^\[\d+\/3\] Failed to build    libbad-1\.0 in configure: .*libbad-1\.0\/configure\.log$/m);
  assert.match(b.stdout, /^Done in .*; 3 packages: 1 built, 1 failed, 1 depending on failed$/m);
  assert.match(b.stdout, /^Depending on failed:\n  \S+ +\S+: because of libbad-1\.0$/m);
  const st = run('status', '-c', ws.conf);
  assert.equal(st.code, 0);
  assert.match(st.stdout, /^3 packages: 1 built, 1 failed, 1 depending on failed$/m);
  // A scan starts a fresh bulklog: the failures of the build it replaces are not its own.
  const rescan = run('scan', '-c', ws.conf);
  assert.equal(rescan.code, 0, rescan.stderr);
  assert.match(rescan.stdout, /^Resolved: .*\/meta\/presolve$/m);
  // A path as shell completion types it, inside the tree, means the location.
  const limited = run('build', '-c', ws.conf, `${ws.pkgsrc}/devel/libfoo/`);
  assert.equal(limited.code, 0, limited.stderr);
  assert.match(limited.stdout, /Successfully built libfoo-1\.0 \(up to date\)/);
  const sc = run('scan', '-c', ws.conf, '--json', 'devel/app');
  assert.equal(sc.code, 0, sc.stderr);
  const events = sc.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; records?: number; cached?: number });
  const scanned = events.find((e) => e.event === 'scanFinished')!;
  assert.equal(scanned.records, 3);
  // The earlier builds left every location in the scan cache, and nothing changed since.
  assert.equal(scanned.cached, 3);
  assert.ok(!existsSync(join(ws.bulklog, 'meta/pbuild')));
  // --limited-list FILE: the same as locations on the command line; a bad file is exit 2.
  const list = join(ws.dir, 'list');
  writeFileSync(list, '# what to build\ndevel/app\n');
  const fromFile = run('scan', '-c', ws.conf, '--json', '--limited-list', list);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.match(fromFile.stdout, /"event":"scanFinished","runId":"\w+","records":3,"locations":3,"cached":3/);
  writeFileSync(list, 'devel/app\nnot a location\n');
  const badList = run('scan', '-c', ws.conf, '--limited-list', list);
  assert.equal(badList.code, 2, badList.stderr);
  assert.match(badList.stderr, new RegExp(`${list}:2:1: error: 'not a location' is not a package location \\(category/dir\\)`));
  assert.doesNotMatch(badList.stderr, /internal error/);
  // A location that does not scan is missing from the build: that is a failure too.
  writePackage(ws.pkgsrc, { path: 'devel/noscan', distname: 'noscan-1.0', extra: ['FIXTURE_SCAN_FAIL=yes'] });
  const missing = run('scan', '-c', ws.conf, 'devel/libfoo', 'devel/noscan');
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /1 location failed to scan and is not in the build \(.*meta\/pscan\.stderr says why\): devel\/noscan$/m);
  const rb = run('rebuild', '-c', ws.conf, '--failed');
  assert.equal(rb.code, 2, 'nothing failed in a scan-only bulklog');
  const bb = run('build', '-c', ws.conf);
  assert.equal(bb.code, 1);
  const again = run('rebuild', '-c', ws.conf, '--failed');
  assert.equal(again.code, 1);
  assert.match(again.stdout, /Rebuilding 2 package\(s\): libbad-1\.0 app-1\.0|Rebuilding 2 package\(s\): app-1\.0 libbad-1\.0/);
  const byPath = run('rebuild', '-c', ws.conf, 'devel/libfoo/');
  assert.match(byPath.stdout, /^Rebuilding 1 package\(s\): libfoo-1\.0$/m, byPath.stderr);
});

test('usage and config errors exit 2 with the file and line', async (t) => {
  const ws = makeWorkspace('cli-usage', small);
  t.after(() => ws.remove());
  assert.equal(run('build').code, 2);
  assert.equal(run('build', '-c', ws.conf, '--jobs', 'x').code, 2);
  assert.equal(run('rebuild', '-c', ws.conf).code, 2);
  const settings = join(ws.dir, 'settings.json');
  writeFileSync(settings, '{"socketGroup": "no-such-group-here"}\n');
  const noGroup = run('build', '-c', ws.conf, '--settings', settings);
  assert.equal(noGroup.code, 2, noGroup.stderr);
  assert.match(noGroup.stderr, /socketGroup no-such-group-here: no such group/);
  const notLocation = run('build', '-c', ws.conf, 'devel', '../../etc/passwd');
  assert.equal(notLocation.code, 2);
  assert.match(notLocation.stderr, /not a package location \(category\/dir in .*\): 'devel', '\.\.\/\.\.\/etc\/passwd'$/m);
  assert.deepEqual(
    ['devel/foo/', './devel/foo', `${ws.pkgsrc}/devel/foo`, 'devel/foo'].map((a) => normalizeLocation(a, ws.pkgsrc)),
    Array(4).fill('devel/foo'),
  );
  rmSync(ws.bulklog, { recursive: true });
  const noBulklog = run('status', '-c', ws.conf);
  assert.equal(noBulklog.code, 2);
  assert.match(noBulklog.stderr, new RegExp(`^pkgsrc-bulk status: ${ws.bulklog}: cannot open bulklog directory`));
  writePbulkConf(ws, { prefix: '/usr', bulklog: 'relative' });
  const bad = run('build', '-c', ws.conf);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, new RegExp(`${ws.conf}:\\d+:\\d+: error: bulklog='relative' is relative: .* Use an absolute path`));
  const missing = run('build', '-c', join(ws.dir, 'nope.conf'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.conf:1:1: error: cannot read/);
  writeFileSync(join(ws.dir, 's.json'), '{"jobs": "two"}');
  writePbulkConf(ws);
  const s = run('build', '-c', ws.conf, '--settings', join(ws.dir, 's.json'));
  assert.equal(s.code, 2);
  assert.match(s.stderr, /s\.json: jobs:/);
  writeFileSync(join(ws.dir, 's.json'), JSON.stringify({ socket: join(ws.dir, 'x'.repeat(120)) }));
  const long = run('build', '-c', ws.conf, '--settings', join(ws.dir, 's.json'));
  assert.equal(long.code, 2);
  assert.match(long.stderr, /at most 107 bytes/);
});

test('a second engine on the same bulklog exits 3 and says who holds it; a dead holder is taken over', async (t) => {
  const ws = makeWorkspace('cli-lock', small);
  t.after(() => ws.remove());
  const [cmd, argv] = cli('serve', '-c', ws.conf, '--no-stdio');
  const server = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve) => server.stderr.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()));
  const second = run('build', '-c', ws.conf);
  assert.equal(second.code, 3);
  assert.match(second.stderr, new RegExp(`in use by another pkgsrc-bulk engine \\(pid ${server.pid} `));
  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  const after = run('build', '-c', ws.conf);
  assert.equal(after.code, 1, after.stderr);
});

// Resume after kill -9 --------------------------------------------------------------------

const resumeTree: SmallPackage[] = [
  { path: 'lang/python27', distname: 'python27-2.7.3' },
  { path: 'lang/python26', distname: 'python26-2.6.8' },
  { path: 'devel/liba', distname: 'liba-1.0', buildSeconds: 0.3 },
  { path: 'devel/libb', distname: 'libb-2.1', revision: 1, depends: ['devel/liba'] },
  { path: 'devel/libc', distname: 'libc-0.9', depends: ['devel/libb'], failPhase: 'build', buildSeconds: 0.2 },
  { path: 'devel/tool', distname: 'tool-3.0', buildDepends: ['devel/libc'] },
  {
    path: 'devel/py-x',
    distname: 'x-1.2',
    pkgname: '${PYPKGPREFIX}-${DISTNAME}',
    pythonVersions: ['27', '26'],
    depends: ['devel/liba'],
    failPhase: 'package',
    failOnly: 'py26-*',
  },
  { path: 'misc/broken', distname: 'broken-1.0', broken: 'no', depends: ['devel/liba'] },
  { path: 'misc/user', distname: 'user-1.0', depends: ['misc/broken'] },
  { path: 'misc/inst', distname: 'inst-1.0', failPhase: 'install', buildSeconds: 0.3 },
  { path: 'misc/ok', distname: 'ok-1.0', depends: ['devel/libb'], buildSeconds: 0.3 },
];

/** What must not depend on interruptions: states, lists, kept logs, binary packages, report. */
function snapshot(ws: Workspace): Record<string, string> {
  const norm = (s: string) => s.split(ws.dir).join('<ws>');
  const sorted = (f: string) =>
    readFileSync(join(ws.bulklog, 'meta', f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .sort()
      .join('\n');
  const out: Record<string, string> = {
    pbuild: sorted('pbuild'),
    success: sorted('success'),
    error: sorted('error'),
    presolve: norm(readFileSync(join(ws.bulklog, 'meta/presolve'), 'utf8')),
    // Times differ between runs: the build start and end lines and the BUILD_START_DIR in links.
    report: norm(readFileSync(join(ws.bulklog, 'meta/report.txt'), 'utf8'))
      .replace(/^Build (start|end):.*$/gm, '')
      .replace(/\/\d{8}\.\d{4}\//g, '/<start>/'),
    packages: readdirSync(join(ws.packages, 'All')).sort().join(' '),
    dirs: readdirSync(ws.bulklog)
      .filter((d) => d !== 'meta' && !d.startsWith('.'))
      .sort()
      .join(' '),
  };
  for (const d of out.dirs!.split(' ').filter(Boolean)) {
    for (const f of readdirSync(join(ws.bulklog, d)).sort()) out[`${d}/${f}`] = norm(readFileSync(join(ws.bulklog, d, f), 'utf8'));
  }
  return out;
}

/**
 * Runs `build --json` and kills its whole process group with SIGKILL after `afterMs`, or as
 * soon as an event line matches `on`, whichever comes first.
 */
function buildUntilKilled(ws: Workspace, afterMs: number, on?: RegExp): Promise<{ code: number | null; killed: boolean }> {
  const [cmd, argv] = cli('build', '-c', ws.conf, '--json');
  const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const kill = () => {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // finished already
    }
  };
  let seen = '';
  p.stdout.on('data', (d: Buffer) => {
    seen += d.toString();
    if (on && on.test(seen)) kill();
  });
  return new Promise((resolve) => {
    const timer = setTimeout(kill, afterMs);
    p.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, killed: signal === 'SIGKILL' });
    });
  });
}

test('kill -9 at random points, then resume: the final bulklog equals an uninterrupted run', async (t) => {
  const ref = makeWorkspace('cli-ref', resumeTree);
  const ws = makeWorkspace('cli-kill', resumeTree);
  t.after(() => {
    ref.remove();
    ws.remove();
  });
  const t0 = Date.now();
  const r = run('build', '-c', ref.conf);
  const full = Date.now() - t0;
  assert.equal(r.code, 1, r.stderr);
  const want = snapshot(ref);

  const seed = Number(process.env.PKGSRC_BULK_KILL_SEED ?? Date.now() % 100000);
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  // In the middle of the scan, at random moments of the build, and while reports are written.
  const kills: string[] = [];
  const plan: [number, RegExp | undefined][] = [
    [full, /"event":"scanProgress"/],
    ...[0, 1, 2].map((): [number, RegExp | undefined] => [Math.round(150 + rand() * full * 0.9), undefined]),
    [full * 2, /"stage":"reporting"/],
  ];
  for (const [at, on] of plan) {
    const k = await buildUntilKilled(ws, at, on);
    kills.push(on ? String(on) : `${at} ms`);
    if (!k.killed) break;
  }
  const last = run('build', '-c', ws.conf);
  assert.equal(last.code, 1, `seed ${seed}, kills at ${kills.join(', ')} ms: ${last.stderr}`);
  assert.deepEqual(snapshot(ws), want, `seed ${seed}, kills at ${kills.join(', ')} ms (PKGSRC_BULK_KILL_SEED=${seed} repeats it)`);
});

test('a missing make is a clear configuration error, not a crash', async (t) => {
  const ws = makeWorkspace('cli-nomake', small);
  t.after(() => ws.remove());
  writePbulkConf(ws, { make: '/nonexistent/bmake' });
  const r = run('build', '-c', ws.conf);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot run make=\/nonexistent\/bmake/);
  assert.doesNotMatch(r.stderr, /internal error/);
});

test('status of a running build comes from the engine; --watch follows it to the end', async (t) => {
  const ws = makeWorkspace('cli-status', [
    { path: 'devel/liba', distname: 'liba-1.0' },
    { path: 'devel/slow', distname: 'slow-1.0', buildSeconds: 2.5, depends: ['devel/liba'] },
  ]);
  t.after(() => ws.remove());
  const [cmd, argv] = cli('build', '-c', ws.conf);
  const b = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => b.once('exit', r));
  await new Promise<void>((resolve) => {
    let out = '';
    b.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Starting build of  slow-1.0')) resolve();
    });
  });
  const st = run('status', '-c', ws.conf);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /engine running, building/);
  assert.match(st.stdout, /building in slot 0: slow-1\.0/);
  const watch = run('status', '-c', ws.conf, '--watch', '--json');
  assert.equal(watch.code, 0, watch.stderr);
  const events = watch.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event?: string; stage?: string });
  assert.ok(events.some((e) => e.event === 'summary'));
  assert.ok(
    events.some((e) => e.event === 'stage' && e.stage === 'finished'),
    watch.stdout.slice(-600),
  );
  assert.equal(await exited, 0);
});

test('status against an engine that holds the bulklog but hangs up unanswered: says so, shows the files, exit 0', async (t) => {
  const ws = makeWorkspace('cli-status-hangup', [{ path: 'devel/liba', distname: 'liba-1.0' }]);
  t.after(() => ws.remove());
  assert.equal(run('build', '-c', ws.conf).code, 0);
  // A stand-in for a broken engine (this test process, alive): it holds the bulklog's lock and
  // its socket closes every connection once the first request has arrived whole (closed
  // earlier, the client's write of the request's body fails instead).
  const lock = await BulklogLock.acquire(ws.bulklog, 'test');
  t.after(() => lock.release());
  const server = createServer(hangUpAfterRequest).listen(join(ws.bulklog, 'meta/engine.sock'));
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  // Asynchronously: the stand-in answers in this process's event loop.
  const [cmd, argv] = cli('status', '-c', ws.conf);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': the output is all read only once the pipes close.
  const code = await new Promise<number | null>((r) => child.once('close', r));
  assert.equal(code, 0, stderr);
  assert.match(
    stderr,
    /^pkgsrc-bulk status: an engine \(pid \d+\) holds the bulklog but its socket does not answer \(engine\/hello: the engine closed the connection without answering\); showing the files$/m,
  );
  assert.match(stdout, /^1 package: 1 built/m);
});
