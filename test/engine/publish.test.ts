// The package repository of a build and its publication, with real tools: the pkg_info
// stand-in's -X records, gzip, bzip2, the digest stand-in, real rsync to a local directory and
// to an rsync daemon on a loopback port, the mail stand-in. One full build serves every test.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Engine } from '../../src/engine/core/engine';
import type { EngineConfig } from '../../src/engine/config/types';
import { writeRepository } from '../../src/engine/publish/repository';
import { publish } from '../../src/engine/publish/upload';
import { parsePkgSummary, summaryFileName, summaryValue } from '../../src/pkgsrc/summary';
import { pkgtoolsDir } from '../fixtures/mk';
import { cli } from './cli-harness';
import { loadWorkspaceConfig, makeWorkspace, type Workspace } from './harness';

let ws: Workspace;
let cfg: EngineConfig;
let remote: string;
let spool: string;

const BUILT = ['liba-1.0', 'libb-1.0', 'secret-1.0', 'usesecret-1.0'];
const UPLOADED = ['liba-1.0', 'libb-1.0'];

function confWith(file: string, over: Record<string, string>): string {
  const text =
    readFileSync(ws.conf, 'utf8') +
    Object.entries(over)
      .map(([k, v]) => `${k}=${v}\n`)
      .join('');
  writeFileSync(file, text);
  return file;
}

function sh(cmd: string, args: string[], input?: Buffer): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Checks a repository as a client would: every pkg_summary record's file is there, and every
 * SHA512 line matches. An uploaded copy lacks the restricted packages' files, which pbulk's
 * pkg_summary still lists (pbulk uploads the build's summary as it is).
 */
function checkRepository(dir: string, uploaded = false): string[] {
  const summary = parsePkgSummary(gunzipSync(readFileSync(join(dir, 'All/pkg_summary.gz'))).toString('latin1'));
  assert.deepEqual(summary.problems, []);
  assert.equal(sh('bzip2', ['-dc', join(dir, 'All/pkg_summary.bz2')]).toString('latin1'), formatBack(dir));
  for (const r of summary.records) {
    if (uploaded && !UPLOADED.includes(r.pkgname)) assert.ok(!existsSync(join(dir, 'All', summaryFileName(r))), `${r.pkgname} is restricted`);
    else assert.ok(existsSync(join(dir, 'All', summaryFileName(r))), `${summaryFileName(r)} missing in ${dir}`);
  }
  const sums = sh('bzip2', ['-dc', join(dir, 'SHA512.bz2')])
    .toString()
    .trim()
    .split('\n');
  for (const l of sums) {
    const m = /^SHA512 \((.*)\) = ([0-9a-f]+)$/.exec(l)!;
    assert.ok(m, l);
    if (uploaded && !existsSync(join(dir, m[1]!))) continue;
    assert.equal(
      createHash('sha512')
        .update(readFileSync(join(dir, m[1]!)))
        .digest('hex'),
      m[2],
      m[1],
    );
  }
  return summary.records.map((r) => r.pkgname);
}

function formatBack(dir: string): string {
  return gunzipSync(readFileSync(join(dir, 'All/pkg_summary.gz'))).toString('latin1');
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const [node, argv] = cli(...args);
  const r = spawnSync(node, argv, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function live(dir = join(remote, 'packages')): string {
  return readlinkSync(join(dir, 'Linux'));
}

function releases(dir = join(remote, 'packages')): string[] {
  return readdirSync(dir)
    .filter((n) => n.startsWith('Linux.'))
    .sort();
}

before(async () => {
  ws = makeWorkspace('publish', [
    { path: 'devel/liba', distname: 'liba-1.0', extra: ['CATEGORIES+=\tnet'] },
    { path: 'devel/libb', distname: 'libb-1.0', depends: ['devel/liba'] },
    { path: 'misc/bad', distname: 'bad-1.0', failPhase: 'build' },
    { path: 'misc/secret', distname: 'secret-1.0', extra: ['NO_BIN_ON_FTP=\tno binaries'] },
    { path: 'misc/usesecret', distname: 'usesecret-1.0', depends: ['misc/secret'] },
  ]);
  remote = join(ws.dir, 'remote');
  spool = join(ws.dir, 'spool');
  for (const d of [join(remote, 'packages'), join(remote, 'reports'), spool]) mkdirSync(d, { recursive: true });
  confWith(ws.conf, {
    gzip: '"/bin/gzip -nf -9"',
    bzip2: '/bin/bzip2',
    digest: join(pkgtoolsDir, 'digest'),
    rsync: '/usr/bin/rsync',
    pkg_rsync_args: '"-a --delete-excluded"',
    pkg_rsync_target: join(remote, 'packages/Linux'),
    report_rsync_args: '-a',
    report_rsync_target: join(remote, 'reports'),
    mail: `"${join(pkgtoolsDir, 'mail')} --spool ${spool}"`,
    report_recipients: '"bulk@example.org dev@example.org"',
    report_subject_prefix: 'pkgsrc',
  });
  cfg = await loadWorkspaceConfig(ws);
  const engine = new Engine(cfg);
  await (
    await engine.start({})
  ).done;
});

after(() => ws?.remove());

test('a full build writes pkg_summary and SHA512.bz2 as pbulk does, mails the report and publishes', () => {
  const status = readFileSync(join(ws.bulklog, 'meta/status'), 'utf8');
  const start = /BUILD_START_DIR=(.*)/.exec(status)![1]!;
  // Every successful package has its record and nothing else; the records are pkg_info's.
  const names = checkRepository(ws.packages);
  assert.deepEqual(names, [...BUILT].sort());
  const success = readFileSync(join(ws.bulklog, 'meta/success'), 'utf8').trim().split('\n').sort();
  assert.deepEqual(names, success);
  const summary = parsePkgSummary(formatBack(ws.packages)).records;
  assert.equal(summaryValue(summary[0]!, 'PKGPATH'), 'devel/liba');
  assert.equal(summaryValue(summary[0]!, 'CATEGORIES'), 'devel net');
  assert.equal(summaryValue(summary[1]!, 'DEPENDS'), 'liba-[0-9]*');
  assert.equal(readlinkSync(join(ws.packages, 'net/liba-1.0.tgz')), '../All/liba-1.0.tgz');

  // The report mail: pbulk's subject, report.txt as the body.
  const args = readFileSync(join(spool, 'mail.1.args'), 'utf8').trim().split('\n');
  assert.equal(args[0], '-s');
  assert.match(args[1]!, /^pkgsrc Linux .+\/.+ \d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.deepEqual(args.slice(2), ['bulk@example.org', 'dev@example.org']);
  assert.equal(readFileSync(join(spool, 'mail.1.body'), 'utf8'), readFileSync(join(ws.bulklog, 'meta/report.txt'), 'utf8'));

  // The report upload: pbulk's files and the failed package's logs only.
  const reports = join(remote, 'reports', start);
  assert.deepEqual(readdirSync(reports).sort(), ['bad-1.0', 'meta']);
  assert.deepEqual(readdirSync(join(reports, 'meta')).sort(), ['report.bz2', 'report.dot', 'report.html', 'report.txt', 'status']);
  assert.ok(existsSync(join(reports, 'bad-1.0/build.log')));

  // The packages: a release beside the target, the target a link to it; restricted ones left out.
  const rel = live();
  assert.match(rel, /^Linux\.\d{8}\.\d{6}$/);
  assert.deepEqual(releases(), [rel]);
  const published = join(remote, 'packages/Linux');
  assert.deepEqual(readdirSync(join(published, 'All')).sort(), [...UPLOADED.map((n) => `${n}.tgz`), 'pkg_summary.bz2', 'pkg_summary.gz'].sort());
  assert.deepEqual(readdirSync(published).sort(), ['All', 'SHA512.bz2', 'devel', 'net']);
  assert.ok(lstatSync(join(published, 'net/liba-1.0.tgz')).isSymbolicLink());
  const state = JSON.parse(readFileSync(`${ws.bulklog}.publish.json`, 'utf8'));
  assert.equal(state.repository.packages, 4);
  assert.deepEqual(state.repository.restricted, ['secret-1.0', 'usesecret-1.0']);
  assert.equal(state.published.release, rel);
  assert.equal(state.published.packages, 2);
  assert.equal(state.gates.passed, true);
});

test('a client reading pkg_summary.gz while the build rewrites it never sees a torn file', async () => {
  const reader = join(ws.dir, 'reader.js');
  const stop = join(ws.dir, 'stop');
  const out = join(ws.dir, 'reads.json');
  writeFileSync(
    reader,
    `const fs = require('fs'), zlib = require('zlib');
const [file, stop, out] = process.argv.slice(2);
let reads = 0; const bad = []; const counts = {};
while (!fs.existsSync(stop)) {
  try {
    const t = zlib.gunzipSync(fs.readFileSync(file)).toString('latin1');
    const n = (t.match(/^PKGNAME=/gm) || []).length;
    counts[n] = (counts[n] || 0) + 1;
    if (!t.endsWith('\\n\\n')) bad.push('record cut short');
  } catch (e) { bad.push(e.message); }
  reads++;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
}
fs.writeFileSync(out, JSON.stringify({ reads, bad, counts }));`,
  );
  const child = spawn(process.execPath, [reader, join(ws.packages, 'All/pkg_summary.gz'), stop, out], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const successFile = join(ws.bulklog, 'meta/success');
  const full = readFileSync(successFile, 'utf8');
  try {
    for (let i = 0; i < 4; i++) {
      // Every other rewrite has one package fewer, so old and new summaries differ.
      writeFileSync(successFile, i % 2 === 0 ? full.replace('libb-1.0\n', '') : full);
      await writeRepository(cfg);
    }
  } finally {
    writeFileSync(successFile, full);
    writeFileSync(stop, '');
    await exited;
  }
  const r = JSON.parse(readFileSync(out, 'utf8')) as { reads: number; bad: string[]; counts: Record<string, number> };
  assert.deepEqual(r.bad, []);
  assert.ok(r.reads > 10, `only ${r.reads} reads`);
  assert.deepEqual(
    Object.keys(r.counts).filter((n) => n !== '3' && n !== '4'),
    [],
  );
  assert.deepEqual(checkRepository(ws.packages), [...BUILT].sort());
});

test('publish: a new release, switched at once; the previous one kept for rollback; gates; dry runs', async () => {
  const dir = join(remote, 'packages');
  const first = live();
  const dry = run(['publish', '-c', ws.conf, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /would upload 2 packages \(2 restricted left out\)/);
  assert.match(dry.stdout, /then switch .*Linux -> Linux\.\d{8}\.\d{6}/);
  assert.deepEqual(releases(), [first]);

  const second = await publish(cfg, { only: 'packages' });
  assert.equal(second.ok, true, second.error);
  const rel2 = live();
  assert.equal(second.published?.release, rel2);
  assert.notEqual(rel2, first);
  assert.deepEqual(releases(), [first, rel2].sort());
  assert.deepEqual(checkRepository(join(dir, 'Linux'), true), [...BUILT].sort());
  // Unchanged files are hard links into the previous release, not copies.
  assert.equal(lstatSync(join(dir, rel2, 'All/liba-1.0.tgz')).ino, lstatSync(join(dir, first, 'All/liba-1.0.tgz')).ino);

  assert.equal((await publish(cfg, { only: 'packages' })).ok, true);
  const rel3 = live();
  assert.deepEqual(releases(), [rel2, rel3], 'the live release and the one before it stay');
  assert.equal((await publish(cfg, { rollback: true })).ok, true);
  assert.equal(live(), rel2);

  // Gates from the engine settings: too few packages, a required package that did not build.
  const settings = join(ws.dir, 'gates.json');
  writeFileSync(settings, JSON.stringify({ publish: { minPackages: 50, requiredPackages: ['devel/liba', 'misc/bad'] } }));
  const refused = run(['publish', '-c', ws.conf, '--settings', settings, '--packages-only']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /not published: 4 package\(s\) built, fewer than the 50 .*; required package\(s\) not built: misc\/bad/);
  assert.equal(live(), rel2);
  const gated = { ...cfg, settings: { ...cfg.settings, publish: { ...cfg.settings.publish, minPackages: 50 } } };
  const forced = await publish(gated, { only: 'packages', force: true });
  assert.equal(forced.ok, true, forced.error);
  assert.equal(forced.published?.previous, rel2);
  assert.equal(live(), forced.published?.release);

  // The mail's dry run prints what would be sent and sends nothing.
  const mails = readdirSync(spool).length;
  const mail = run(['mail', '-c', ws.conf, '--dry-run']);
  assert.equal(mail.status, 0, mail.stderr);
  assert.match(mail.stdout, /would run: .*mail --spool .* -s 'pkgsrc Linux .*' bulk@example.org dev@example.org/);
  assert.match(mail.stdout, /pkgsrc bulk build report/);
  assert.equal(readdirSync(spool).length, mails);

  // An unfinished build is not published.
  const runState = join(ws.bulklog, 'meta/engine.json');
  const finishedState = readFileSync(runState, 'utf8');
  writeFileSync(runState, finishedState.replace('"stage": "done"', '"stage": "build"'));
  const unfinished = await publish(cfg, {});
  writeFileSync(runState, finishedState);
  assert.equal(unfinished.ok, false);
  assert.match(unfinished.error!, /is not finished/);

  // A target that is a plain directory is refused before anything is uploaded.
  mkdirSync(join(remote, 'plain/Linux'), { recursive: true });
  const plain = await publish({ ...cfg, publish: { ...cfg.publish!, pkgRsyncTarget: join(remote, 'plain/Linux') } }, { only: 'packages' });
  assert.equal(plain.ok, false);
  assert.match(plain.error!, /is a directory, not the link pkgsrc-bulk publishes through/);
  assert.deepEqual(readdirSync(join(remote, 'plain')), ['Linux']);
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('publish to an rsync daemon on a loopback port', async (t) => {
  const module = join(ws.dir, 'daemon');
  mkdirSync(module);
  const conf = join(ws.dir, 'rsyncd.conf');
  writeFileSync(
    conf,
    `pid file = ${join(ws.dir, 'rsyncd.pid')}\n[pkgs]\n  path = ${module}\n  read only = false\n  use chroot = yes\n  munge symlinks = no\n  uid = root\n  gid = root\n`,
  );
  let daemon: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !daemon; attempt++) {
    port = await freePort();
    const d = spawn('rsync', ['--daemon', '--no-detach', `--config=${conf}`, `--port=${port}`, '--address=127.0.0.1'], { stdio: 'ignore' });
    // Listening once a client gets the module list.
    for (let i = 0; i < 50; i++) {
      if (spawnSync('rsync', [`rsync://127.0.0.1:${port}/`]).status === 0) {
        daemon = d;
        break;
      }
      if (d.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!daemon) d.kill('SIGKILL');
  }
  assert.ok(daemon, 'the rsync daemon did not start');
  t.after(() => {
    daemon!.kill('SIGTERM');
  });
  const dcfg = { ...cfg, publish: { ...cfg.publish!, pkgRsyncTarget: `rsync://127.0.0.1:${port}/pkgs/Linux` } };
  for (let i = 0; i < 2; i++) {
    const r = await publish(dcfg, { only: 'packages' });
    assert.equal(r.ok, true, r.lines.join('\n'));
  }
  assert.equal(releases(module).length, 2);
  assert.equal(live(module), releases(module)[1]);
  assert.deepEqual(checkRepository(join(module, 'Linux'), true), [...BUILT].sort());
});

test('kill -9 mid-upload: the previous repository stays complete and in use, the next publish succeeds', async () => {
  const dir = join(remote, 'packages');
  const before = live();
  const beforeNames = checkRepository(join(dir, 'Linux'), true);
  // A package large enough (and incompressible) that a bandwidth-limited upload takes seconds.
  const work = join(ws.dir, 'big');
  mkdirSync(join(work, 'share'), { recursive: true });
  sh('tar', ['-xzf', join(ws.packages, 'All/libb-1.0.tgz'), '-C', work]);
  const blob = Buffer.alloc(3 << 20);
  for (let i = 0; i < blob.length; i += 64) createHash('sha512').update(String(i)).digest().copy(blob, i);
  writeFileSync(join(work, 'share/blob'), blob);
  sh('tar', [
    '-czf',
    join(ws.packages, 'All/libb-1.0.tgz'),
    '-C',
    work,
    '+CONTENTS',
    '+COMMENT',
    '+DESC',
    '+BUILD_INFO',
    '+BUILD_VERSION',
    '+SIZE_PKG',
    'bin',
    'share',
  ]);
  await writeRepository(cfg);

  const slow = confWith(join(ws.dir, 'slow.conf'), { pkg_rsync_args: '"-a --delete-excluded --bwlimit=300"' });
  const [node, argv] = cli('publish', '-c', slow, '--packages-only');
  const existing = new Set(releases());
  const child = spawn(node, argv, { detached: true, stdio: 'ignore' });
  // Killed (with its rsync: the whole process group) once the new release is being written.
  let partial: string | undefined;
  for (let i = 0; i < 300 && !partial; i++) {
    await new Promise((r) => setTimeout(r, 50));
    partial = releases().find((n) => !existing.has(n) && existsSync(join(dir, n, 'All')));
  }
  assert.ok(partial, 'the upload never started');
  await new Promise((r) => setTimeout(r, 300));
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.equal(live(), before, 'the link still points to the previous release');
  assert.ok(!existsSync(join(dir, partial, 'All/libb-1.0.tgz')), 'the upload was cut off');
  assert.deepEqual(checkRepository(join(dir, 'Linux'), true), beforeNames);

  const again = await publish(cfg, { only: 'packages' });
  assert.equal(again.ok, true, again.error);
  assert.notEqual(live(), before);
  assert.ok(!releases().includes(partial), 'the cut-off release is removed');
  assert.deepEqual(checkRepository(join(dir, 'Linux'), true), [...BUILT].sort());
  assert.equal(lstatSync(join(dir, 'Linux/All/libb-1.0.tgz')).size, lstatSync(join(ws.packages, 'All/libb-1.0.tgz')).size);
  rmSync(work, { recursive: true, force: true });
});

test('a limited build writes its own pkg_summary and publishes nothing', async () => {
  const rel = live();
  const engine = new Engine(cfg);
  await (
    await engine.start({ locations: ['devel/libb'] })
  ).done;
  assert.deepEqual(checkRepository(ws.packages), ['liba-1.0', 'libb-1.0']);
  assert.equal(live(), rel);
  assert.equal(readdirSync(spool).filter((f) => f.endsWith('.args')).length, 1);
});
