// The engine's bulklog writers: flushed appends that survive kill -9 (a real child process
// killed at random moments), torn-tail repair, and atomic replacement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppendLog, appendLine, appendStatus, parsePkgList, parseStatus, writeFileAtomic, writePbuild } from '../../src/pkgsrc/bulklog';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'pkgsrc-bulk-write-'));
}

test('AppendLog cuts a torn last line before appending, so the next name starts on its own line', async () => {
  const dir = await tmp();
  try {
    const f = join(dir, 'success');
    await writeFile(f, 'a-1.0\nb-1.0\nc-1.');
    const log = await AppendLog.open(f);
    await log.append('d-1.0');
    await log.close();
    assert.equal(await readFile(f, 'utf8'), 'a-1.0\nb-1.0\nd-1.0\n');
    // A file with no newline at all is all torn.
    await writeFile(f, 'half');
    await appendLine(f, 'e-1.0');
    assert.equal(await readFile(f, 'utf8'), 'e-1.0\n');
    // A long file whose last newline is more than one read block back.
    await writeFile(f, `x-1.0\n${'y'.repeat(10000)}`);
    await appendLine(f, 'z-1.0');
    assert.equal(await readFile(f, 'utf8'), 'x-1.0\nz-1.0\n');
    await assert.rejects(appendLine(f, 'two\nlines'), /newline/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('appends survive kill -9 of the writing process at random moments', async () => {
  const { execa } = await import('execa');
  const dir = await tmp();
  try {
    const f = join(dir, 'error');
    const writer = join(dir, 'writer.ts');
    const lib = resolve(__dirname, '../../src/pkgsrc/bulklog/write.ts');
    await writeFile(
      writer,
      `import { AppendLog } from ${JSON.stringify(lib)};
(async () => {
  const log = await AppendLog.open(process.argv[2]!);
  process.stdout.write('ready\\n');
  for (let i = 0; ; i++) await log.append('pkg-' + 'x'.repeat(i % 200) + '-' + i);
})();
`,
    );
    for (let round = 0; round < 4; round++) {
      const child = execa(process.execPath, ['--import', 'tsx', writer, f], { reject: false, cwd: resolve(__dirname, '../..') });
      await new Promise<void>((ok) => child.stdout!.once('data', () => ok()));
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 120)));
      child.kill('SIGKILL');
      const r = await child;
      assert.equal(r.signal, 'SIGKILL');
      // Every complete line is a whole name; at most the last one is torn.
      const list = parsePkgList(await readFile(f, 'utf8'), f);
      for (const n of list.names) assert.match(n, /^pkg-x*-\d+$/);
      assert.ok(list.problems.every((p) => p.code === 'torn-line'));
    }
    // The next writer repairs the tail and the file is clean again.
    await appendLine(f, 'final-1.0');
    const text = await readFile(f, 'utf8');
    assert.ok(text.endsWith('\nfinal-1.0\n'));
    assert.deepEqual(parsePkgList(text, f).problems, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('writeFileAtomic replaces the whole file and leaves no temporary files', async () => {
  const dir = await tmp();
  try {
    const f = join(dir, 'pbuild');
    await writeFile(f, 'old\n');
    await writePbuild(f, [
      { pkgname: 'a-1.0', state: 'done', depth: 2 },
      { pkgname: 'b-1.0', state: 'failed', depth: 1, restricted: true },
    ]);
    assert.equal(await readFile(f, 'utf8'), 'a-1.0|done||2\nb-1.0|failed|restricted|1\n');
    await writeFileAtomic(f, Buffer.from([1, 2, 3]));
    assert.deepEqual([...(await readFile(f))], [1, 2, 3]);
    assert.deepEqual(await readdir(dir), ['pbuild']);
    await assert.rejects(writeFileAtomic(join(dir, 'no/such/dir/x'), 'x'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('appendStatus adds KEY=value lines the status reader takes (the last value of a key wins)', async () => {
  const dir = await tmp();
  try {
    const f = join(dir, 'status');
    await writeFile(f, 'PLATFORM=NetBSD 10.0/amd64\nBUILD_START_ISO=2026-01-01 10:00\n');
    await appendStatus(f, [['BUILD_END_ISO', '2026-01-01 12:00']]);
    await appendStatus(f, [['BUILD_END_ISO', '2026-01-01 13:00']]);
    const s = parseStatus(await readFile(f, 'utf8'), f);
    assert.equal(s.status.buildEndIso, '2026-01-01 13:00');
    assert.equal(s.status.entries.length, 4);
    await assert.rejects(appendStatus(f, [['BAD=KEY', 'v']]), /invalid status entry/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
