// Build-wide problems as diagnostics: pbulk's meta logs, the engine's error events, and the
// lines the engine prints when it refuses a pbulk.conf or a build request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { range } from '../../src/pkgsrc/problem';
import { engineErrorDiagnostics, metaLogDiagnostics, printedProblems, type BuildFiles } from '../../src/extension/diagnostics/engineErrors';
import { readBulklog } from '../../src/pkgsrc/bulklog';

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-engdiag-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function files(dir: string): BuildFiles {
  return {
    conf: join(dir, 'pbulk.conf'),
    limitedListLine: 7,
    limitedList: {
      file: join(dir, 'limited_list'),
      entries: [
        { location: 'devel/app', line: 1, range: range(1, 0, 1, 9) },
        { location: 'misc/gone', line: 2, range: range(2, 0, 2, 9) },
      ],
    },
    pkgsrc: join(dir, 'pkgsrc'),
  };
}

test('meta logs: an unresolved dependency goes on the DEPENDS line and the limited_list line, a scan failure on its list line', async () => {
  await withTmp(async (dir) => {
    await mkdir(join(dir, 'bulklog/meta'), { recursive: true });
    await mkdir(join(dir, 'pkgsrc/devel/app'), { recursive: true });
    await writeFile(join(dir, 'pkgsrc/devel/app/Makefile'), '# $NetBSD$\nDISTNAME=\tapp-1.0\nDEPENDS+=\tlibnone>=2:../../devel/libnone\n');
    await writeFile(
      join(dir, 'bulklog/meta/presolve-err.log'),
      'No match found for dependency libnone>=2 of package app-1.0\nBest matching x-1 differs from location a/b for dependency x>=1 of package app-1.0\n',
    );
    await writeFile(join(dir, 'bulklog/meta/pscan.stderr'), 'pbulk-scan: Scan failed for misc/gone\npbulk-scan: Duplicate package: dup-1.0\n');
    await writeFile(
      join(dir, 'bulklog/meta/pscan'),
      'PKGNAME=app-1.0\nPKG_LOCATION=devel/app\nALL_DEPENDS=libnone>=2:../../devel/libnone\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n',
    );
    const b = await readBulklog(join(dir, 'bulklog'));
    const ds = await metaLogDiagnostics(join(dir, 'bulklog/meta'), files(dir), b);
    const unresolved = ds.filter((d) => d.code === 'unresolved-dependency');
    assert.deepEqual(
      unresolved.map((d) => [d.target.kind === 'file' && d.target.path.replace(dir, ''), d.range.start.line]),
      [
        ['/pkgsrc/devel/app/Makefile', 2],
        ['/limited_list', 1],
      ],
    );
    assert.ok(unresolved.every((d) => d.related[0]!.target.kind === 'file'));
    const scan = ds.find((d) => d.code === 'scan-failed')!;
    assert.deepEqual([scan.target.kind === 'file' && scan.target.path.endsWith('limited_list'), scan.range.start.line], [true, 2]);
    // Warnings stay on the meta log; information lines are left out.
    const dup = ds.find((d) => d.code === 'duplicate-package')!;
    assert.equal(dup.target.kind === 'file' && dup.target.path.endsWith('pscan.stderr'), true);
    assert.equal(
      ds.some((d) => d.code === 'best-match-differs'),
      false,
    );
  });
});

test('engine errors: unresolvable locations, scan failures, located and unlocated errors', async () => {
  const f = files('/w');
  const unres = await engineErrorDiagnostics({ severity: 'error', code: 'resolve', message: 'Unresolvable dependencies found, exiting:\nmisc/gone\nx/y' }, f);
  assert.deepEqual(
    unres.map((d) => [d.target.kind === 'file' && d.target.path, d.range.start.line]),
    [
      ['/w/pbulk.conf', 7],
      ['/w/limited_list', 2],
    ],
  );
  assert.match(unres[0]!.message, /misc\/gone, x\/y/);
  const scan = await engineErrorDiagnostics({ severity: 'warning', code: 'scan-failed', message: 'Scan failed for devel/app: bmake exited 2' }, f);
  assert.equal(scan[0]!.target.kind === 'file' && scan[0]!.target.path, '/w/limited_list');
  const located = await engineErrorDiagnostics(
    { severity: 'warning', code: 'torn-line', message: 'incomplete', location: { file: '/w/bulklog/meta/success', line: 3, character: 0 } },
    f,
  );
  assert.deepEqual([located[0]!.target, located[0]!.range.start.line], [{ kind: 'file', path: '/w/bulklog/meta/success' }, 3]);
  const plain = await engineErrorDiagnostics(
    { severity: 'error', code: 'build-graph', message: 'Cyclic dependency for package:\na-1\nb-1' },
    { conf: '/w/pbulk.conf' },
  );
  assert.deepEqual([plain[0]!.target, plain[0]!.range.start.line], [{ kind: 'file', path: '/w/pbulk.conf' }, 0]);
  assert.match(plain[0]!.message, /^Cyclic dependency for package: \(2 more lines/);
});

test('printed problems: the engine refusing a pbulk.conf, a refused limited list', () => {
  const text = [
    '/etc/pbulk.conf:12:1: error: bulklog is `/`: pre-build runs rm -rf ${bulklog}/* [dangerous-path]',
    '/etc/pbulk.conf:3:8: warning: unknown variable [unknown-variable]',
    'pkgsrc-bulk serve: /etc/pbulk.conf: 1 error(s); the engine cannot use this pbulk.conf',
    "/etc/limited_list:4: 'a/b/c' is not a category/package location",
  ].join('\n');
  const ds = printedProblems(text);
  assert.deepEqual(
    ds.map((d) => [d.target.kind === 'file' && d.target.path, d.range.start.line, d.range.start.character, d.severity, d.code]),
    [
      ['/etc/pbulk.conf', 11, 0, 'error', 'dangerous-path'],
      ['/etc/pbulk.conf', 2, 7, 'warning', 'unknown-variable'],
      ['/etc/limited_list', 3, 0, 'error', 'engine'],
    ],
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (t) => {
      for (const d of printedProblems(t)) assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0);
    }),
  );
});
