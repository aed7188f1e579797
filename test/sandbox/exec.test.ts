// exec(): environment, cwd, input, streamed or captured output, limits, timeouts and aborts
// that kill the whole process group, user switching. On the host (`none`) and in a chroot.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { NoneBackend } from '../../src/engine/sandbox/backends/none';
import { ChrootBackend } from '../../src/engine/sandbox/backends/chroot';
import { SandboxError } from '../../src/engine/sandbox/errors';
import { isRunning } from '../../src/engine/sandbox/procs';
import { ENV, dropScratch, hostTree, requireRoot, scratch, specFor } from './fixtures';

class Collect extends Writable {
  chunks: Buffer[] = [];
  bytes = 0;
  constructor(private readonly keep = true) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.bytes += chunk.length;
    if (this.keep) this.chunks.push(chunk);
    cb();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const warnings: string[] = [];
const none = new NoneBackend({ warn: (m) => warnings.push(m) });
const host = none.create();
after(async () => (await host).destroy());

test('none: one slot only, and creating it warns once', async () => {
  await host;
  await assert.rejects(none.create(), (e: unknown) => e instanceof SandboxError && e.code === 'owned');
  assert.equal(warnings.filter((w) => /builds run directly on this host/.test(w)).length, 1);
});

test('the environment is exactly the one given, the cwd is honoured, input reaches stdin', async () => {
  const sb = await host;
  const env = await sb.exec(['/usr/bin/env'], { env: { ONLY: 'this', PATH: '/usr/bin:/bin' }, cwd: '/', capture: true });
  assert.equal(env.stdout, 'ONLY=this\nPATH=/usr/bin:/bin\n');
  const pwd = await sb.exec(['/bin/pwd'], { env: ENV, cwd: '/usr/share', capture: true });
  assert.equal(pwd.stdout, '/usr/share\n');
  const cat = await sb.exec(['cat'], { env: ENV, cwd: '/', input: 'PKGNAME=foo-1.0\nline two\n', capture: true });
  assert.equal(cat.stdout, 'PKGNAME=foo-1.0\nline two\n');
});

test('output: streamed interleaved as written, or captured apart; exit codes and signals come back', async () => {
  const sb = await host;
  const out = new Collect();
  const r = await sb.exec(['/bin/sh', '-c', 'echo one; echo two >&2; sleep 0.05; echo three; exit 3'], { env: ENV, cwd: '/', output: out });
  assert.deepEqual(r, { exitCode: 3, signal: null, timedOut: false });
  assert.equal(out.text, 'one\ntwo\nthree\n');
  const c = await sb.exec(['/bin/sh', '-c', 'echo out; echo err >&2'], { env: ENV, cwd: '/', capture: true });
  assert.equal(c.stdout, 'out\n');
  assert.equal(c.stderr, 'err\n');
  const k = await sb.exec(['/bin/sh', '-c', 'kill -TERM $$'], { env: ENV, cwd: '/', capture: true });
  assert.equal(k.exitCode, null);
  assert.equal(k.signal, 'SIGTERM');
  await assert.rejects(sb.exec(['true'], { env: ENV, cwd: '/nonexistent/dir' }), /working directory \/nonexistent\/dir does not exist/);
  const missing = await sb.exec(['/nonexistent/tool'], { env: ENV, cwd: '/', capture: true });
  assert.equal(missing.exitCode, 127);
  assert.match(missing.stderr!, /cannot run \/nonexistent\/tool: ENOENT/);
});

test('20 MB of output streams through without being kept in memory', async () => {
  const sb = await host;
  const sink = new Collect(false);
  const r = await sb.exec(['head', '-c', '20000000', '/dev/zero'], { env: ENV, cwd: '/', output: sink });
  assert.equal(r.exitCode, 0);
  assert.equal(sink.bytes, 20_000_000);
});

test('a timeout kills the whole process group, children included', async () => {
  const s = scratch('exec');
  try {
    const sb = await host;
    const t0 = Date.now();
    const r = await sb.exec(['/bin/sh', '-c', `sleep 60 & echo $! > ${s}/child; sleep 60`], { env: ENV, cwd: '/', capture: true, limits: { timeoutMs: 300 } });
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGTERM');
    assert.ok(Date.now() - t0 < 5000, 'returned promptly');
    const child = Number(readFileSync(`${s}/child`, 'utf8'));
    assert.equal(isRunning(child), false, 'the background child died with the group');
  } finally {
    await dropScratch(s);
  }
});

test('an abort signal stops the command; a daemon holding the output pipe cannot hang exec', async () => {
  const sb = await host;
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  const r = await sb.exec(['sleep', '60'], { env: ENV, cwd: '/', capture: true, signal: ac.signal });
  assert.equal(r.signal, 'SIGTERM');
  assert.equal(r.timedOut, false);
  const t0 = Date.now();
  const out = new Collect();
  const d = await sb.exec(['/bin/sh', '-c', 'setsid sleep 30 & echo $!'], { env: ENV, cwd: '/', output: out });
  assert.equal(d.exitCode, 0);
  assert.ok(Date.now() - t0 < 8000, `exec returned after ${Date.now() - t0} ms`);
  const daemon = Number(out.text.trim());
  assert.ok(daemon > 0);
  if (isRunning(daemon)) process.kill(daemon, 'SIGKILL');
});

test('limits: ulimit -t and -v as pbulk.conf sets them, enforced', async () => {
  const sb = await host;
  const r = await sb.exec(['/bin/sh', '-c', 'ulimit -t; ulimit -v'], {
    env: ENV,
    cwd: '/',
    capture: true,
    limits: { cpuSeconds: 7, virtualMemoryKiB: 1048576 },
  });
  assert.equal(r.stdout, '7\n1048576\n');
  const burn = await sb.exec(['/bin/sh', '-c', 'while :; do :; done'], { env: ENV, cwd: '/', capture: true, limits: { cpuSeconds: 1, timeoutMs: 20_000 } });
  assert.equal(burn.timedOut, false);
  assert.ok(burn.signal === 'SIGXCPU' || burn.signal === 'SIGKILL', `killed by the CPU limit, got ${burn.signal}`);
  await assert.rejects(sb.exec(['true'], { env: ENV, cwd: '/', limits: { cpuSeconds: -1 } }), /positive integer/);
});

test("user switching: a command runs as the given user with that user's groups", async () => {
  requireRoot();
  const sb = await host;
  const r = await sb.exec(['id'], { env: ENV, cwd: '/', capture: true, user: 'nobody' });
  assert.match(r.stdout!, /^uid=65534\(nobody\) gid=65534\(nogroup\)/);
  await assert.rejects(sb.exec(['id'], { env: ENV, cwd: '/', user: 'no-such-user-here' }), /user 'no-such-user-here' not found in \/etc\/passwd/);
});

test('in a chroot: a timeout kills the group inside, and exec after destroy is refused', async () => {
  requireRoot();
  const s = scratch('exec');
  try {
    const be = new ChrootBackend({ warn: () => undefined });
    const sb = await be.create(specFor(`${s}/base/x`, [hostTree(`${s}/host`)]));
    const r = await sb.exec(['/bin/sh', '-c', 'sleep 60 & echo $! > /tmp/child; sleep 60'], {
      env: ENV,
      cwd: '/tmp',
      capture: true,
      limits: { timeoutMs: 300 },
    });
    assert.equal(r.timedOut, true);
    const child = Number(readFileSync(`${s}/base/x/tmp/child`, 'utf8'));
    assert.equal(isRunning(child), false);
    await sb.destroy();
    await assert.rejects(sb.exec(['true'], { env: ENV, cwd: '/' }), /destroyed/);
  } finally {
    await dropScratch(s);
  }
});
