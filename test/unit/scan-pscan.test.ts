import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateTree } from '../fixtures/generate';
import { resolveGlobal } from '../../src/pkgsrc/resolve/resolve';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { assemblePscan, checkIndexOutput, splitIndexOutput, type ScanJobResult } from '../../src/pkgsrc/scan/pscan';
import { pbulkOutput } from '../fixtures/reference-data';

const out = (name: string, extra = ''): string => `PKGNAME=${name}\nALL_DEPENDS=\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n${extra}SCAN_DEPENDS=Makefile\n`;

test('PKG_LOCATION goes in as the second line of every record of an output', () => {
  const s = splitIndexOutput(out('py27-foo-1.0', 'MULTI_VERSION= PYTHON_VERSION_REQD=27\n') + out('py26-foo-1.0'), 'devel/py-foo');
  assert.equal(s.message, undefined);
  assert.deepEqual(
    s.chunks.map((c) => c.pkgname),
    ['py27-foo-1.0', 'py26-foo-1.0'],
  );
  assert.equal(s.chunks[0]!.text.split('\n').slice(0, 3).join('\n'), 'PKGNAME=py27-foo-1.0\nPKG_LOCATION=devel/py-foo\nALL_DEPENDS=');
  assert.equal(s.chunks[0]!.text.length, out('py27-foo-1.0', 'MULTI_VERSION= PYTHON_VERSION_REQD=27\n').length + 'PKG_LOCATION=devel/py-foo\n'.length);
});

test('assemblePscan drops duplicates (first in job order wins) and reports like pbulk-scan', () => {
  const jobs: ScanJobResult[] = [
    { location: 'x11/libxcb', output: out('libxcb-1.9') },
    { location: 'devel/broken', failed: true },
    { location: 'wip/libxcb', output: out('libxcb-1.9') + out('libxcb-doc-1.9') },
    { location: 'devel/nul', output: out('nul-1.0').replace('ALL', 'A\0LL') },
    { location: 'devel/garbage', output: out('good-1.0') + 'PKGNAME=bad name\n' + out('lost-1.0') },
    { location: 'devel/make-error', output: 'make: *** error\n' + out('lost-2.0') },
    { location: 'devel/cut', output: out('cut-1.0').slice(0, -1) },
    { location: 'devel/never', notProcessed: true },
    { location: 'devel/empty', output: '' },
  ];
  const a = assemblePscan(jobs);
  assert.deepEqual(a.messages, [
    'Scan failed for devel/broken',
    'Duplicate package: libxcb-1.9',
    'Scan failed for devel/nul',
    'pbulk-index output not recognized for devel/garbage',
    'pbulk-index output not recognized for devel/make-error',
    'pbulk-index output not recognized for devel/cut',
    'devel/never was not processed',
  ]);
  assert.deepEqual(a.scanned, ['x11/libxcb', 'wip/libxcb', 'devel/garbage']);
  const p = parseScan(a.text, { format: 'pscan' });
  assert.equal(p.errors, 0);
  assert.deepEqual(
    p.records.map((r) => `${r.pkgname} ${r.location}`),
    ['libxcb-1.9 x11/libxcb', 'libxcb-doc-1.9 wip/libxcb', 'good-1.0 devel/garbage'],
  );
});

test('a junk line inside a record passes pbulk-scan but not our check', () => {
  const output = out('good-1.0') + 'make: warning: something\n';
  assert.equal(splitIndexOutput(output, 'a/b').chunks.length, 1);
  const c = checkIndexOutput(output, 'a/b');
  const errors = c.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(
    errors.map((p) => [p.code, p.file, p.range.start.line]),
    [['not-key-value', 'a/b (pbulk-index output)', 5]],
  );
});

test('short or blank PKGNAMEs are not pbulk-index output', () => {
  assert.equal(splitIndexOutput('PKGNAME=x\n', 'a/b').message, 'pbulk-index output not recognized for a/b');
  assert.equal(splitIndexOutput('PKGNAME=a b-1\n', 'a/b').message, 'pbulk-index output not recognized for a/b');
  assert.equal(splitIndexOutput('PKGNAME=ab\n', 'a/b').chunks.length, 1);
});

test('the records of a real presolve, split back into outputs per location, reassemble to the same text', () => {
  const text = readFileSync(path.join(pbulkOutput.limitedBulklog, 'meta/pscan'), 'latin1');
  const recs = parseScan(text, { format: 'pscan' }).records;
  const jobs = recs.map((r) => ({ location: r.location!, output: r.text.replace(`PKG_LOCATION=${r.location}\n`, '') }));
  const a = assemblePscan(jobs);
  assert.equal(a.text, text);
  assert.deepEqual(a.messages, []);
});

test('real bmake pbulk-index outputs of a generated tree assemble into a pscan that resolves', async () => {
  const { execa } = await import('execa');
  const dir = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-pscan-'));
  try {
    const tree = generateTree(path.join(dir, 'pkgsrc'), { packages: 12, seed: 7 });
    const locations = tree.packages.filter((p) => p.scanned && !p.oddities.length).map((p) => p.path);
    const jobs: ScanJobResult[] = await Promise.all(
      locations.map(async (location) => {
        const r = await execa('bmake', ['pbulk-index'], { cwd: path.join(tree.root, location), encoding: 'latin1', reject: false });
        return r.exitCode === 0 ? { location, output: r.stdout + '\n' } : { location, failed: true as const };
      }),
    );
    for (const j of jobs) {
      if ('output' in j)
        assert.deepEqual(
          checkIndexOutput(j.output, j.location).problems.filter((p) => p.severity === 'error'),
          [],
          j.location,
        );
    }
    const a = assemblePscan(jobs);
    const p = parseScan(a.text, { format: 'pscan', file: 'pscan' });
    assert.equal(p.errors, 0, JSON.stringify(p.problems.slice(0, 3)));
    assert.ok(p.records.length >= locations.length - a.messages.length);
    for (const r of p.records) assert.ok(locations.includes(r.location!));
    const res = resolveGlobal(p.records, { verbose: 1 });
    assert.equal(res.ok, true, res.messages.map((m) => m.message).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
