// The run history on real engine runs: build, break a package, build, fix it, build, and the
// diffs say exactly that; kill -9 while a run is filed away; every refused request leaves the
// bulklog and the history as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ResponseError } from 'vscode-jsonrpc/node';
import { build, engine as engineP } from '../../src/protocol';
import { RpcErrors } from '../../src/protocol/rpc';
import { attachSocket } from '../../src/protocol/socket';
import { cli } from './cli-harness';
import { backdate, makeWorkspace, writePbulkConf, type Workspace } from './harness';
import { writePackage, type SmallPackage } from './tree';

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const [cmd, argv] = cli(...args);
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const libfoo: SmallPackage = { path: 'devel/libfoo', distname: 'libfoo-1.0' };
const tree: SmallPackage[] = [
  libfoo,
  { path: 'devel/libbad', distname: 'libbad-1.0', failPhase: 'configure' },
  { path: 'devel/app', distname: 'app-1.0', depends: ['devel/libbad', 'devel/libfoo'] },
  { path: 'devel/tool', distname: 'tool-1.0', depends: ['devel/libfoo'] },
];

interface Change {
  pkgname: string;
  before?: string;
  after?: string;
  phase?: string;
  breaks: number;
  log?: string;
  makefile?: string;
}
interface Diff {
  from: { id: string };
  to: { id: string; current: boolean };
  counts: Record<string, number>;
  newFailures: Change[];
  fixed: Change[];
  stillFailing: Change[];
  newlyBroken: { pkgname: string; before: number; after: number; newlyBroken: string[] }[];
  versions: Change[];
  added: Change[];
  removed: Change[];
  otherStates: Change[];
  times: unknown[];
}

function diff(ws: Workspace, ...refs: string[]): { code: number | null; d: Diff } {
  const r = run('diff', '-c', ws.conf, '--json', ...refs);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return { code: r.code, d: JSON.parse(r.stdout) as Diff };
}

const brief = (l: Change[]) => l.map((c) => `${c.pkgname}:${c.before ?? '-'}->${c.after ?? '-'}`);

test('build, break a package, build, fix it, build: the history keeps every run and the diffs say exactly that', async (t) => {
  const ws = makeWorkspace('hist', tree);
  t.after(() => ws.remove());
  backdate(ws.pkgsrc);
  assert.equal(run('build', '-c', ws.conf).code, 1);
  const nothing = run('diff', '-c', ws.conf);
  assert.equal(nothing.code, 2, 'one run: nothing to compare');
  assert.match(nothing.stderr, /no run before \w+ to compare with/);

  // A Makefile edit breaks libfoo (the RCS Id changes as a commit would change it).
  writePackage(ws.pkgsrc, { ...libfoo, failPhase: 'build', rcsRevision: 2 });
  assert.equal(run('build', '-c', ws.conf).code, 1);
  const broke = diff(ws);
  assert.equal(broke.code, 1, 'new failures: exit 1');
  assert.equal(broke.d.to.current, true);
  assert.deepEqual(brief(broke.d.newFailures), ['libfoo-1.0:done->failed']);
  assert.equal(broke.d.newFailures[0]!.phase, 'build');
  assert.equal(broke.d.newFailures[0]!.breaks, 2);
  assert.equal(broke.d.newFailures[0]!.log, join(ws.bulklog, 'libfoo-1.0/build.log'));
  assert.ok(existsSync(broke.d.newFailures[0]!.log!));
  assert.equal(broke.d.newFailures[0]!.makefile, join(ws.pkgsrc, 'devel/libfoo/Makefile'));
  assert.deepEqual(broke.d.newlyBroken, [{ pkgname: 'libfoo-1.0', location: 'devel/libfoo', before: 0, after: 2, newlyBroken: ['tool-1.0'] }]);
  assert.deepEqual(brief(broke.d.stillFailing), ['libbad-1.0:failed->failed']);
  assert.deepEqual(brief(broke.d.otherStates), ['tool-1.0:done->indirect-failed']);
  assert.deepEqual([broke.d.fixed, broke.d.versions, broke.d.added, broke.d.removed, broke.d.times], [[], [], [], [], []]);

  // Fixed again, with a version bump of tool on the way.
  writePackage(ws.pkgsrc, { ...libfoo, rcsRevision: 3 });
  writePackage(ws.pkgsrc, { path: 'devel/tool', distname: 'tool-1.1', depends: ['devel/libfoo'], rcsRevision: 2 });
  assert.equal(run('build', '-c', ws.conf).code, 1);
  const fixed = diff(ws);
  assert.equal(fixed.code, 0, 'no new failures: exit 0');
  assert.deepEqual(brief(fixed.d.newFailures), []);
  assert.deepEqual(brief(fixed.d.fixed), ['libfoo-1.0:failed->done', 'tool-1.1:indirect-failed->done']);
  assert.equal(fixed.d.fixed[0]!.phase, 'build', 'a fixed package says where it failed');
  assert.deepEqual(
    fixed.d.versions.map((c) => `${(c as Change & { was: string }).was}->${c.pkgname}`),
    ['tool-1.0->tool-1.1'],
  );
  assert.deepEqual(brief(fixed.d.stillFailing), ['libbad-1.0:failed->failed']);
  assert.deepEqual([fixed.d.newlyBroken, fixed.d.added, fixed.d.removed, fixed.d.otherStates], [[], [], [], []]);

  // history: two runs filed away and the current one, with their counts.
  const h = run('history', '-c', ws.conf, '--json');
  assert.equal(h.code, 0, h.stderr);
  const runs = (JSON.parse(h.stdout) as { runs: { id: string; current: boolean; kind: string; finished: boolean; counts: Record<string, number> }[] }).runs;
  assert.deepEqual(
    runs.map((r) => [r.current, r.kind, r.finished, r.counts.done, r.counts.failed, r.counts['indirect-failed']]),
    [
      [false, 'full', true, 2, 1, 1],
      [false, 'full', true, 0, 2, 2],
      [true, 'full', true, 2, 1, 1],
    ],
  );
  // The earlier runs by id: the first and the last build differ only in tool's version.
  const firstLast = diff(ws, runs[0]!.id.slice(0, 6), runs[2]!.id);
  assert.deepEqual(
    firstLast.d.versions.map((c) => c.pkgname),
    ['tool-1.1'],
  );
  assert.deepEqual([firstLast.d.newFailures, firstLast.d.fixed, firstLast.d.otherStates], [[], [], []]);
  // Between two stored runs a failed package's log is the gzipped one in the history.
  const stored = diff(ws, '~2', '~1');
  const log = stored.d.newFailures[0]!.log!;
  assert.equal(log, join(`${ws.bulklog}.history`, runs[1]!.id, 'files/libfoo-1.0/build.log.gz'));
  assert.match(gunzipSync(readFileSync(log)).toString(), /libfoo/);
  // The text form names the sections.
  const text = run('diff', '-c', ws.conf, 'previous');
  assert.match(text.stdout, /^Fixed \(2\):\n {2}devel\/libfoo {17}libfoo-1\.0 \(was failed in build\)$/m);
  assert.match(text.stdout, /^Version changes \(1\):\n {2}devel\/tool {19}tool-1\.0 -> tool-1\.1$/m);
  const bad = run('diff', '-c', ws.conf, 'nosuchrun');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /nosuchrun: no such run/);
});

/** Every file and directory under the given roots with its content's hash (symlinks: their target). */
function tree_(...roots: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (root: string, p: string) => {
    const st = lstatSync(p);
    const key = `${root}:${relative(root, p)}`;
    if (st.isDirectory()) {
      out[key] = `dir ${st.mode.toString(8)}`;
      for (const e of readdirSync(p)) walk(root, join(p, e));
    } else if (st.isSymbolicLink()) {
      out[key] = `link ${readlinkSync(p)}`;
    } else {
      out[key] = `${st.mode.toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  for (const r of roots) if (existsSync(r)) walk(r, r);
  return out;
}

test('a refused request leaves the bulklog and the history byte for byte as they were', async (t) => {
  const ws = makeWorkspace('hist-refuse', tree);
  t.after(() => ws.remove());
  backdate(ws.pkgsrc);
  const store = `${ws.bulklog}.history`;
  assert.equal(run('build', '-c', ws.conf).code, 1);
  assert.equal(run('build', '-c', ws.conf).code, 1);
  const before = tree_(ws.bulklog, store);
  assert.ok(
    Object.keys(before).some((k) => k.includes('libbad-1.0/configure.log')),
    'the bulklog holds a failure log',
  );
  assert.equal(Object.keys(before).filter((k) => k.endsWith('run.json')).length, 1, 'the history holds one run');
  const unchanged = (what: string) => assert.deepEqual(tree_(ws.bulklog, store), before, `${what} changed the bulklog or the history`);

  const list = join(ws.dir, 'list');
  const cases: [string, string[], number, RegExp][] = [
    [
      'a location not in the tree',
      ['build', '-c', ws.conf, 'devel/doesnotexist'],
      2,
      /devel\/doesnotexist: no such package in .*\/pkgsrc \(no devel\/doesnotexist\/Makefile\)/,
    ],
    ['one bad location among good ones', ['scan', '-c', ws.conf, 'devel/libfoo', 'devel/nosuch'], 2, /devel\/nosuch: no such package/],
    ['not a location', ['build', '-c', ws.conf, 'devel'], 2, /not a package location/],
    ['a limited_list naming a missing package', ['build', '-c', ws.conf, '--limited-list', list], 2, new RegExp(`${list}:2: devel/gone: no such package`)],
    ['a limited_list that cannot be read', ['build', '-c', ws.conf, '--limited-list', join(ws.dir, 'nolist')], 2, /nolist/],
    ['bad usage', ['build', '-c', ws.conf, '--jobs', 'x'], 2, /--jobs/],
    ['a settings file with errors', ['build', '-c', ws.conf, '--settings', join(ws.dir, 'bad-settings.json')], 2, /bad-settings\.json/],
    ['rebuild of an unknown package', ['rebuild', '-c', ws.conf, 'devel/nosuch'], 2, /devel\/nosuch: no such package or location/],
    ['a history that cannot be written', ['build', '-c', ws.conf, '--settings', join(ws.dir, 'blocked.json')], 2, /cannot file the run .* away into .*blocked/],
  ];
  writeFileSync(list, 'devel/libfoo\ndevel/gone\n');
  writeFileSync(join(ws.dir, 'bad-settings.json'), '{"jobs": "two"}');
  writeFileSync(join(ws.dir, 'blocked'), 'a file where the history directory would go\n');
  writeFileSync(join(ws.dir, 'blocked.json'), JSON.stringify({ historyDir: join(ws.dir, 'blocked/history') }));
  for (const [what, args, code, message] of cases) {
    const r = run(...args);
    assert.equal(r.code, code, `${what}: ${r.stderr}`);
    assert.match(r.stderr, message, what);
    assert.doesNotMatch(r.stderr, /internal error/, what);
    unchanged(what);
  }

  // pbulk.conf problems: its limited_list names a missing package; a broken pbulk.conf.
  writeFileSync(join(ws.dir, 'limited_list'), '# ours\ndevel/libfoo\ndevel/typo\n');
  writePbulkConf(ws, { limited_list: join(ws.dir, 'limited_list') });
  const fromConf = run('build', '-c', ws.conf);
  assert.equal(fromConf.code, 2, fromConf.stderr);
  assert.match(fromConf.stderr, new RegExp(`${join(ws.dir, 'limited_list')}:3: devel/typo: no such package`));
  unchanged("pbulk.conf's limited_list");
  writePbulkConf(ws, { bulklog: ws.bulklog, prefix: 'relative/prefix' });
  const badConf = run('build', '-c', ws.conf);
  assert.equal(badConf.code, 2, badConf.stderr);
  unchanged('a pbulk.conf with errors');
  writePbulkConf(ws);

  // The lock: another engine serves this bulklog.
  const [cmd, argv] = cli('serve', '-c', ws.conf, '--no-stdio');
  const server = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((r) => server.once('exit', r));
  t.after(() => server.kill('SIGKILL'));
  await new Promise<void>((resolve) => server.stderr.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()));
  const locked = run('build', '-c', ws.conf);
  assert.equal(locked.code, 3, locked.stderr);
  // The same engine asked over JSON-RPC, as the editor asks it: refused, nothing touched.
  const client = await attachSocket(join(ws.bulklog, 'meta/engine.sock'));
  await client.hello('test');
  const refusals: [object, RegExp][] = [
    [{ locations: ['devel/doesnotexist'] }, /no such package/],
    [{ locations: ['devel/libfoo', 'www/nosuch'] }, /www\/nosuch: no such package/],
    [{ resume: true }, /nothing to resume/],
  ];
  for (const [params, message] of refusals) {
    await assert.rejects(
      client.request(build.Start, params),
      (e: unknown) => e instanceof ResponseError && e.code === RpcErrors.badRequest && message.test(e.message),
    );
  }
  await assert.rejects(
    client.request(build.Start, { full: true, locations: ['devel/libfoo'] }),
    (e: unknown) => e instanceof ResponseError && /full build takes no locations/.test(e.message),
  );
  await assert.rejects(
    client.request(build.Rebuild, { packages: ['nosuch-1.0'] }),
    (e: unknown) => e instanceof ResponseError && e.code === RpcErrors.badRequest,
  );
  // The engine may exit before its answer is written: wait for the exit, not the answer.
  void client.request(engineP.Shutdown, {}).catch(() => undefined);
  await exited;
  client.connection.dispose();
  unchanged('the lock and the JSON-RPC requests');

  // And a request that is not refused does file the run away.
  const ok = run('build', '-c', ws.conf, 'devel/libfoo');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(readdirSync(store).filter((n) => !n.startsWith('.')).length, 2);
});

// kill -9 while a run is filed away ---------------------------------------------------------

/** A run whose filing takes a while: a failed package with a big (compressible) log. */
function bigLog(ws: Workspace): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < 400_000; i++) lines.push(`cc -O2 -c file${i % 997}.c -o file${i}.o # step ${i} of a long build log, ${(i * 7919) % 104729}`);
  const text = Buffer.from(lines.join('\n') + '\n');
  writeFileSync(join(ws.bulklog, 'libbad-1.0', 'build-output.log'), text);
  return text;
}

interface Entry {
  run: { id: string };
}

/** Checks every complete entry of the store is whole; returns the ids of the complete entries. */
function wholeEntries(store: string): string[] {
  if (!existsSync(store)) return [];
  const ids: string[] = [];
  for (const n of readdirSync(store)) {
    if (n.startsWith('.')) continue;
    const dir = join(store, n);
    const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Entry;
    assert.equal(info.run.id, n);
    JSON.parse(gunzipSync(readFileSync(join(dir, 'summary.json.gz'))).toString());
    const walk = (p: string) => {
      for (const e of readdirSync(p, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(p, e.name));
        else gunzipSync(readFileSync(join(p, e.name)));
      }
    };
    walk(join(dir, 'files'));
    ids.push(n);
  }
  return ids;
}

function buildKilledAfter(ws: Workspace, on: RegExp, delayMs: number): Promise<boolean> {
  const [cmd, argv] = cli('build', '-c', ws.conf, '--json');
  const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  let seen = '';
  let armed = false;
  const kill = () => {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // finished already
    }
  };
  p.stdout.on('data', (d: Buffer) => {
    seen += d.toString();
    if (!armed && on.test(seen)) {
      armed = true;
      setTimeout(kill, delayMs);
    }
  });
  return new Promise((resolve) => p.once('exit', (_code, signal) => resolve(signal === 'SIGKILL')));
}

test('kill -9 while a run is filed away leaves the old or the new history entry, never a torn one', async (t) => {
  const ws = makeWorkspace('hist-kill', tree);
  t.after(() => ws.remove());
  backdate(ws.pkgsrc);
  const store = `${ws.bulklog}.history`;
  assert.equal(run('build', '-c', ws.conf).code, 1);
  const first = (JSON.parse(readFileSync(join(ws.bulklog, 'meta/engine.json'), 'utf8')) as { runId: string }).runId;
  const big = bigLog(ws);
  const seed = Number(process.env.PKGSRC_BULK_KILL_SEED ?? Date.now() % 100000);
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  let pendingSeen = 0;
  for (let round = 0; round < 4; round++) {
    // The run is moved away as the new one starts; its compression runs while the new one scans.
    await buildKilledAfter(ws, /"stage":"scanning"/, Math.round(rand() * 400));
    const ids = wholeEntries(store);
    const staging = existsSync(store) ? readdirSync(store).filter((n) => n.startsWith('.filing-')) : [];
    const inBulklog = existsSync(join(ws.bulklog, 'meta/engine.json')) && readFileSync(join(ws.bulklog, 'meta/engine.json'), 'utf8').includes(first);
    // The first run is in exactly one place: still the bulklog's, being filed, or filed.
    const places = [inBulklog, staging.includes(`.filing-${first}`), ids.includes(first)].filter(Boolean).length;
    assert.ok(places >= 1, `seed ${seed} round ${round}: the first run is gone (entries ${ids.join(' ')}, staging ${staging.join(' ')})`);
    if (staging.includes(`.filing-${first}`) && !ids.includes(first)) {
      pendingSeen++;
      // Listed while it is being filed, read from the moved files.
      const h = JSON.parse(run('history', '-c', ws.conf, '--json').stdout) as { runs: { id: string; pending?: boolean }[] };
      assert.ok(
        h.runs.some((r) => r.id === first && r.pending),
        `seed ${seed}: a run being filed is listed`,
      );
    }
    if (ids.includes(first)) break;
  }
  // The next uninterrupted run completes whatever was left.
  assert.equal(run('build', '-c', ws.conf).code, 1);
  const ids = wholeEntries(store);
  assert.ok(ids.includes(first), `seed ${seed} (PKGSRC_BULK_KILL_SEED repeats it): ${ids.join(' ')}`);
  assert.deepEqual(
    readdirSync(store).filter((n) => n.startsWith('.')),
    [],
    'nothing half done is left',
  );
  const kept = gunzipSync(readFileSync(join(store, first, 'files/libbad-1.0/build-output.log.gz')));
  assert.ok(kept.equals(big), 'the big log is kept whole');
  t.diagnostic(`seed ${seed}: ${pendingSeen} kill(s) landed while the run was compressed`);
});

test('a run half moved into the history when the engine was killed goes back into the bulklog', async (t) => {
  const ws = makeWorkspace('hist-move', tree);
  t.after(() => ws.remove());
  backdate(ws.pkgsrc);
  assert.equal(run('build', '-c', ws.conf).code, 1);
  const store = `${ws.bulklog}.history`;
  const before = tree_(ws.bulklog);
  // What a kill -9 in the middle of the moves leaves: some files moved, no `moved` mark.
  const staged = join(store, '.filing-x/bulklog');
  mkdirSync(join(staged, 'meta'), { recursive: true });
  for (const f of ['presolve', 'success', 'engine.json']) {
    writeFileSync(join(staged, 'meta', f), readFileSync(join(ws.bulklog, 'meta', f)));
    spawnSync('rm', [join(ws.bulklog, 'meta', f)]);
  }
  spawnSync('mv', [join(ws.bulklog, 'libbad-1.0'), join(staged, 'libbad-1.0')]);
  // Any command that takes the bulklog puts it back first; a rebuild of it then works.
  const r = run('rebuild', '-c', ws.conf, '--failed');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /Rebuilding 2 package\(s\)/);
  assert.ok(!existsSync(join(store, '.filing-x')));
  const after = tree_(ws.bulklog);
  for (const k of ['meta/presolve', 'meta/engine.json'].map((f) => `${ws.bulklog}:${f}`)) assert.ok(after[k], `${k} is back`);
  assert.equal(after[`${ws.bulklog}:meta/presolve`], before[`${ws.bulklog}:meta/presolve`]);
});
