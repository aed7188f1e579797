// Huge, binary and malformed logs: the work stays bounded, line numbers stay exact, nothing
// throws; and properties of the matcher over random and mutated log text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { firstErrorLine, matchLog, matchLogFile, readLogBounded, segmentLog } from '../../src/pkgsrc/problems';
import { pbulkOutput } from '../fixtures/reference-data';

const LOGS = pbulkOutput.limitedBulklog;

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-logs-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a log larger than the bound: head and tail are matched with exact line numbers, the skipped middle is reported', async () => {
  await withTmp(async (dir) => {
    const f = join(dir, 'build.log');
    const fh = await open(f, 'w');
    const filler = 'gcc -O2 -c some/file.c -o some/file.o\n';
    const n = 60000;
    await fh.write('ERROR: early failure\n');
    await fh.write(filler.repeat(n));
    await fh.write('foo.c:10:2: error: late failure\n*** Error code 1\n');
    await fh.close();
    const t0 = Date.now();
    const m = await matchLogFile(f, { maxBytes: 256 * 1024 });
    assert.ok(Date.now() - t0 < 5000);
    assert.ok(m.log.skipped && m.log.skipped.lines > 0);
    const late = m.problems.find((p) => p.code === 'compiler-diagnostic')!;
    assert.equal(late.logLine, n + 1);
    assert.equal(m.problems.find((p) => p.code === 'make-error')!.logLine, n + 2);
    assert.equal(m.problems.find((p) => p.code === 'pkgsrc-error')!.logLine, 0);
    const note = m.problems.find((p) => p.code === 'log-truncated')!;
    assert.equal(note.logLine, m.log.skipped!.fromLine);
    assert.equal(firstErrorLine(m), 0);
  });
});

test('a 48 MB log is read within the default 16 MB bound', async () => {
  await withTmp(async (dir) => {
    const f = join(dir, 'work.log');
    const fh = await open(f, 'w');
    const chunk = Buffer.from('[*.c] cc -O2 -c x.c -o x.o -I/usr/pkg/include -L/usr/pkg/lib\n'.repeat(16384));
    const lines = 16384 * Math.ceil((48 * 1024 * 1024) / chunk.length);
    for (let written = 0; written < 48 * 1024 * 1024; written += chunk.length) await fh.write(chunk);
    await fh.write('x.c:1:1: error: at the end\n');
    await fh.close();
    const t0 = Date.now();
    const m = await matchLogFile(f);
    const ms = Date.now() - t0;
    assert.ok(ms < 15000, `${ms} ms`);
    assert.equal(m.problems.find((p) => p.code === 'compiler-diagnostic')!.logLine, lines);
    assert.ok(m.problems.some((p) => p.code === 'log-truncated'));
  });
});

test('binary logs: NUL bytes, invalid UTF-8 and no newline at all never crash', async () => {
  await withTmp(async (dir) => {
    const f = join(dir, 'build.log');
    const bytes = Buffer.alloc(300000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    await writeFile(f, Buffer.concat([bytes, Buffer.from('\nfoo.c:1:1: error: after binary\n')]));
    const m = await matchLogFile(f, { maxBytes: 64 * 1024 });
    assert.equal(m.log.hasNul, true);
    assert.ok(m.problems.some((p) => p.code === 'log-binary'));
    const noNewline = join(dir, 'blob.log');
    await writeFile(noNewline, Buffer.alloc(200000, 0));
    const b = await matchLogFile(noNewline, { maxBytes: 64 * 1024 });
    assert.ok(b.problems.every((p) => p.logLine === 0));
    const r = await readLogBounded(noNewline);
    assert.equal(r.windows[0]!.lines.length, 1);
  });
});

test('a single 8 MB line is matched on a bounded prefix', () => {
  const t0 = Date.now();
  const m = matchLog(`ERROR: ${'x'.repeat(8 * 1024 * 1024)}\nnext`);
  assert.ok(Date.now() - t0 < 3000);
  assert.equal(m.problems[0]!.message.length, 4096 - 'ERROR: '.length);
});

test('at most maxProblems problems are kept, and the cut is reported', () => {
  const text = Array.from({ length: 50 }, (_, i) => `f${i}.c:1:1: error: e${i}`).join('\n');
  const m = matchLog(text, { maxProblems: 10 });
  assert.equal(m.problems.length, 10);
  assert.equal(m.problemsTruncated, true);
});

const logLine = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '===> Building for foo-1.0',
    '===> ',
    'ERROR: x',
    'ERROR:     y',
    'WARNING:',
    '*** Error code 1',
    'foo.c:1:2: error: z',
    ':1:2: error: z',
    'a:0:0: warning: w',
    "ERROR: [depends.mk] A package matching ``x'' should",
    'This package has set PKG_FAIL_REASON:',
    'fetch: Unable to fetch expected file ',
    'Unresolvable dependencies found, exiting:',
    'configure: error: ',
    'CMake Error at :1 ():',
    '\0\r\u2028',
  ),
);

test('property: the matcher never throws; problems and sections lie inside the log, sections tile it', () => {
  fc.assert(
    fc.property(fc.array(logLine, { maxLength: 40 }), fc.nat(5), (ls, offset) => {
      const text = ls.join('\n');
      const n = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      const m = matchLog(text, { lineOffset: offset });
      for (const p of m.problems) {
        assert.ok(p.logLine >= offset && p.logEndLine >= p.logLine && p.logEndLine < offset + Math.max(n, 1), JSON.stringify(p));
        if (p.line !== undefined) assert.ok(p.line >= 0);
        if (p.column !== undefined) assert.ok(p.column >= 0);
      }
      const secs = segmentLog(text, { lineOffset: offset });
      if (n > 0 && text !== '') {
        assert.equal(secs[0]!.startLine, offset);
        assert.equal(secs.at(-1)!.endLine, offset + n - 1);
        for (let i = 1; i < secs.length; i++) assert.equal(secs[i]!.startLine, secs[i - 1]!.endLine + 1);
        for (const s of secs) assert.ok(s.endLine >= s.startLine);
      }
      const fe = firstErrorLine(m);
      if (fe !== undefined) assert.ok(m.problems.some((p) => p.logLine === fe && p.severity === 'error'));
    }),
    // A lone \r at the end is a line of its own, not a line ending.
    {
      numRuns: 500,
      examples: [
        [['\r'], 0],
        [['make: *** [all] Error 1', '\r'], 2],
      ],
    },
  );
});

test('property: mutated real logs (lines dropped, duplicated, cut, bytes flipped) never throw', async () => {
  const real = (await readFile(join(LOGS, 'pax-20080110nb2/build.log'), 'utf8')).split('\n');
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(real.length - 1), fc.nat(200), fc.constantFrom('keep', 'cut', 'flip', 'dup')), { maxLength: 60 }), (ops) => {
      const out: string[] = [];
      for (const [i, k, op] of ops) {
        const l = real[i]!;
        if (op === 'keep') out.push(l);
        else if (op === 'cut') out.push(l.slice(0, k));
        else if (op === 'dup') out.push(l, l);
        else out.push(l.slice(0, k) + String.fromCharCode(k) + l.slice(k + 1));
      }
      // A flipped byte may be a newline: count the lines of the text actually matched.
      const text = out.join('\n');
      const m = matchLog(text);
      for (const p of m.problems) assert.ok(p.logEndLine < Math.max(text.split('\n').length, 1));
    }),
    { numRuns: 300 },
  );
});
