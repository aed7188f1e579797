// A package's log document: its phase logs in pkg-build's order with a title line each, the
// phase banners as sections, exact document lines for log lines (also in a huge log whose
// middle is left out), NULs and a missing directory handled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { composeLogDocument, documentLine, phasePart, readLogDocument } from '../../src/extension/logs/logDocument';
import { LiveLog } from '../../src/extension/logs/liveLog';
import { pbulkOutput } from '../fixtures/reference-data';

const REAL = pbulkOutput.limitedBulklog;

test('the real pdksh logs: phases in order, banners as sections, document lines equal to the log lines', async () => {
  const doc = await readLogDocument(REAL, { pkgname: 'pdksh-5.2.14nb5', location: 'shells/pdksh', facts: ['failed in the build phase'] });
  const lines = doc.text.split('\n');
  assert.equal(lines[0], 'pdksh-5.2.14nb5 (shells/pdksh) · failed in the build phase');
  assert.deepEqual(
    doc.parts.map((p) => p.name),
    ['pre-clean.log', 'checksum.log', 'configure.log', 'build.log', 'work.log'],
  );
  assert.match(lines[doc.parts[0]!.titleLine]!, /^==== pre-clean\.log \(Pre-clean phase\), \d+ bytes ====$/);
  const build = phasePart(doc, 'build')!;
  const { readFile } = await import('node:fs/promises');
  const raw = (await readFile(join(REAL, 'pdksh-5.2.14nb5/build.log'), 'utf8')).split('\n');
  for (const k of [0, 10, raw.length - 2]) assert.equal(lines[documentLine(doc, build.path, k)!], raw[k]);
  assert.ok(
    build.sections.some((s) => /^Building for pdksh/.test(s.title)),
    build.sections.map((s) => s.title).join('|'),
  );
  for (const p of doc.parts) for (const s of p.sections) assert.ok(s.startLine > p.titleLine && s.endLine <= p.endLine);
  assert.equal(documentLine(doc, '/elsewhere/nothing.log', 1), undefined);
});

test('a huge log keeps head and tail; lines in the middle map to the marker line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-logdoc-'));
  try {
    await mkdir(join(dir, 'big-1.0'));
    const fh = await open(join(dir, 'big-1.0/build.log'), 'w');
    const n = 200_000;
    for (let k = 0; k < n; k += 10_000) await fh.write(Array.from({ length: 10_000 }, (_, j) => `line ${k + j} ${'x'.repeat(20)}`).join('\n') + '\n');
    await fh.close();
    await writeFile(join(dir, 'big-1.0/work.log'), 'a\0b\n');
    const doc = await readLogDocument(dir, { pkgname: 'big-1.0', facts: [] });
    const lines = doc.text.split('\n');
    const part = phasePart(doc, 'build')!;
    assert.ok(part.markerLine !== undefined && /lines \(\d+ bytes\) not shown/.test(lines[part.markerLine]!));
    assert.equal(lines[documentLine(doc, part.path, 0)!], `line 0 ${'x'.repeat(20)}`);
    assert.equal(lines[documentLine(doc, part.path, n - 1)!], `line ${n - 1} ${'x'.repeat(20)}`);
    assert.equal(documentLine(doc, part.path, n / 2), part.markerLine);
    assert.ok(!doc.text.includes('\0'), 'no NULs in the document');
    assert.ok(doc.text.length < 6 * 1024 * 1024);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('no log directory: the header and a line saying so', async () => {
  const doc = await readLogDocument('/nonexistent/bulklog', { pkgname: 'gone-1.0', facts: ['done'] }, 'Built: pbulk removes the logs of packages that build.');
  assert.equal(doc.parts.length, 0);
  assert.deepEqual(doc.text.split('\n').slice(0, 3), ['gone-1.0 · done', '', 'Built: pbulk removes the logs of packages that build.']);
});

test('property: any log text gives sections and windows inside the document', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('===> Building for x-1', '===> Configuring for x-1', '', 'error: x')), { maxLength: 40 }),
      (lines) => {
        const doc = composeLogDocument({ pkgname: 'x-1', facts: [] }, [
          {
            file: { name: 'build.log', path: '/b/x-1/build.log', size: 1, mtimeMs: 0, phase: 'build' },
            log: { path: '/b/x-1/build.log', size: 1, windows: [{ firstLine: 0, lines }], hasNul: false, invalidUtf8: false },
          },
        ]);
        const count = doc.text.split('\n').length;
        for (const p of doc.parts) {
          assert.ok(p.titleLine < count && p.endLine < count);
          for (const s of p.sections) assert.ok(s.startLine >= 0 && s.endLine < count && s.startLine <= s.endLine);
        }
        lines.forEach((_, k) => assert.ok(documentLine(doc, '/b/x-1/build.log', k)! < count));
      },
    ),
    { numRuns: 200 },
  );
});

test('a live log from chunks: seeded, appended at byte offsets, overlaps trimmed, gaps and runaway logs refused', () => {
  const live = new LiveLog('/b/x-1', 64);
  assert.equal(live.empty, true);
  live.seed('configure', '===> Configuring for x-1\n');
  assert.equal(live.apply('configure', 0, '===> Configuring'), 'applied', 'already read');
  // Overlaps the seed by "for x-1\n": only the new part is added; multi-byte text counts bytes.
  assert.equal(live.apply('configure', 17, 'for x-1\nchecking ü\n'), 'applied');
  assert.equal(live.apply('build', 0, '===> Building for x-1\n'), 'applied');
  assert.equal(live.apply('build', 100, 'late'), 'gap');
  assert.equal(live.apply('build', 22, 'y'.repeat(60)), 'too-large');
  const logs = live.logs();
  assert.deepEqual(
    logs.map((l) => [l.file.phase, l.log.windows[0]!.lines]),
    [
      ['configure', ['===> Configuring for x-1', 'checking ü']],
      ['build', ['===> Building for x-1']],
    ],
  );
  assert.equal(logs[0]!.file.size, Buffer.byteLength('===> Configuring for x-1\nchecking ü\n'));
  const doc = composeLogDocument({ pkgname: 'x-1', facts: ['building'] }, logs);
  assert.deepEqual(
    doc.parts.map((p) => p.sections.map((x) => x.title)),
    [['Configuring for x-1'], ['Building for x-1']],
  );
});
