// `pkgsrc-bulk resolve` as a real process (the engine entry point loaded through tsx).
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseResolveArgs, resolveCommand } from '../../src/engine/commands/resolve';
import { UsageError } from '../../src/engine/commands/types';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { formatScan } from '../../src/pkgsrc/scan/format';
import { dependsOf, makeRecord } from '../../src/pkgsrc/scan/record';
import { FULL_PRESOLVE_SHA256, fullPscanGzFile, pbulkOutput } from '../fixtures/reference-data';

const root = path.resolve(__dirname, '../..');
const limited = path.join(pbulkOutput.limitedBulklog, 'meta');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { execa } = await import('execa');
  const r = await execa(process.execPath, ['--import', 'tsx', path.join(root, 'src/engine/main.ts'), 'resolve', ...args], {
    cwd: root,
    reject: false,
    encoding: 'latin1',
    stripFinalNewline: false,
  });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function withTmp(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-resolve-cli-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  "incremental round of the real limited build: presolve on stdout, identical to pbulk's; gzip input",
  withTmp(async (dir) => {
    const presolve = readFileSync(path.join(limited, 'presolve'), 'latin1');
    const pscanText = readFileSync(path.join(limited, 'pscan'), 'latin1');
    const added = new Set(parseScan(pscanText).records.map((r) => r.pkgname));
    const before = parseScan(presolve, { format: 'presolve' })
      .records.filter((r) => !added.has(r.pkgname))
      .map((r) =>
        (dependsOf(r) ?? []).some((d) => added.has(d)) ? makeRecord(r.fields.filter((f) => f.key !== 'DEPENDS').map((f) => [f.key, f.value] as const)) : r,
      );
    writeFileSync(path.join(dir, 'presolve'), formatScan(before), 'latin1');
    writeFileSync(path.join(dir, 'pscan.gz'), gzipSync(Buffer.from(pscanText, 'latin1')));
    writeFileSync(path.join(dir, 'missing'), 'stale\n');
    const r = await cli(['-i', path.join(dir, 'missing'), '-v', path.join(dir, 'presolve'), path.join(dir, 'pscan.gz')]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(r.stdout === presolve, 'stdout is meta/presolve');
    assert.equal(readFileSync(path.join(dir, 'missing'), 'latin1'), '');
  }),
);

test(
  "unresolvable dependencies: exit 1, nothing on stdout, pbulk's message on stderr",
  withTmp(async (dir) => {
    const pscan = path.join(dir, 'pscan');
    writeFileSync(
      pscan,
      'PKGNAME=foo-1.0\nPKG_LOCATION=a/foo\nALL_DEPENDS=bar>=2:../../b/bar\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n' +
        'PKGNAME=bar-1.0\nPKG_LOCATION=b/bar\nALL_DEPENDS=\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n',
    );
    const r = await cli([pscan]);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'pbulk-resolve: No match found for dependency bar>=2 of package foo-1.0\n' });
  }),
);

test(
  'input pbulk-resolve refuses: exit 2 with file:line:column',
  withTmp(async (dir) => {
    const bad = path.join(dir, 'pscan');
    writeFileSync(bad, 'PKGNAME=foo-1.0\nPKG_LOCATION=a/foo\nALL_DEPENDS=\0\n');
    const r = await cli([bad]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:13: error: NUL byte in scan output \\[nul-byte\\]$`, 'm'));
    // Unreadable input is refused before anything is written (in-process: no output to catch).
    assert.equal(await resolveCommand.run([path.join(dir, 'nope')]), 2);
  }),
);

test(
  "-c pbulk.conf resolves the bulklog's meta/pscan, partially when ignore_missing_dependencies=yes",
  withTmp(async (dir) => {
    mkdirSync(path.join(dir, 'bulklog/meta'), { recursive: true });
    writeFileSync(
      path.join(dir, 'bulklog/meta/pscan'),
      'PKGNAME=foo-1.0\nPKG_LOCATION=a/foo\nALL_DEPENDS=bar>=2:../../b/bar\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n' +
        'PKGNAME=bar-1.0\nPKG_LOCATION=b/bar\nALL_DEPENDS=\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n',
    );
    const conf = (extra: string) => {
      const vars = ['pkgsrc', 'bulklog', 'packages', 'prefix'].map((v) => `${v}=${dir}/${v}`);
      writeFileSync(
        path.join(dir, 'pbulk.conf'),
        [...vars, `pkgdb=${dir}/prefix/pkgdb`, 'make=/usr/bin/bmake', 'pkg_add=/bin/true', 'pkg_delete=/bin/true', 'pkg_info=/bin/true', extra, ''].join('\n'),
      );
      return path.join(dir, 'pbulk.conf');
    };
    const strict = await cli(['-c', conf('')]);
    assert.deepEqual(strict, { code: 1, stdout: '', stderr: 'pbulk-resolve: No match found for dependency bar>=2 of package foo-1.0\n' });
    const partial = await cli([`--config=${conf('ignore_missing_dependencies=yes')}`]);
    assert.equal(partial.code, 0, partial.stderr);
    assert.match(partial.stdout, /^PKGNAME=foo-1\.0\n/);
    assert.match(partial.stdout, /^PKGNAME=bar-1\.0\n/m);
    assert.equal(parseResolveArgs(['-vc', 'pbulk.conf']).config, 'pbulk.conf');
    await assert.rejects(resolveCommand.run(['-c', 'pbulk.conf', 'pscan']), UsageError);
  }),
);

test('arguments are read the getopt way', () => {
  assert.deepEqual(parseResolveArgs(['-pv', 'pscan']), { partial: true, verbose: 1, files: ['pscan'] });
  assert.deepEqual(parseResolveArgs(['-vv', '-imissing', 'a', 'b']), { partial: false, verbose: 2, missing: 'missing', files: ['a', 'b'] });
  assert.deepEqual(parseResolveArgs(['-vi', 'm', '--', '-odd']), { partial: false, verbose: 1, missing: 'm', files: ['-odd'] });
});

test("argument errors are usage errors (exit 2), as pbulk-resolve's getopt rules say", async () => {
  for (const argv of [[], ['a', 'b'], ['-p', '-i', 'm', 'a'], ['-x', 'a'], ['-i']]) {
    await assert.rejects(resolveCommand.run(argv), UsageError, JSON.stringify(argv));
  }
});

test("the full 2013Q1 pscan through the CLI (read from its bytes): pbulk's presolve and -v messages byte for byte", async () => {
  const r = await cli(['-v', fullPscanGzFile()]);
  assert.equal(r.code, 0, r.stderr.slice(0, 2000));
  assert.equal(createHash('sha256').update(r.stdout, 'latin1').digest('hex'), FULL_PRESOLVE_SHA256, "stdout is pbulk's presolve");
  assert.ok(r.stderr === readFileSync(path.join(pbulkOutput.fullScanLogs, 'presolve-err.log'), 'latin1'), "stderr is pbulk-resolve's -v output");
});
