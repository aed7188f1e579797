// A bulklog as diagnostics: the real pbulk 0.51 limited build of test/fixtures/pbulk-0.51 (17 failed,
// 29 indirect-failed, 4 prefailed, 1 indirect-prefailed), with and without a local tree holding
// the packages' Makefiles, and generated bulklogs for what the real one lacks (a missing
// dependency, a compiler error in a patched file and in files/, a checksum mismatch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readBulklog } from '../../src/pkgsrc/bulklog';
import { diagnoseBulklog, fileContext } from '../../src/extension/diagnostics/map';
import { readLogDocument } from '../../src/extension/logs/logDocument';
import { logFacts } from '../../src/extension/diagnostics/map';
import type { DiagnosticSpec } from '../../src/extension/diagnostics/types';
import { pbulkOutput } from '../fixtures/reference-data';

const REAL = pbulkOutput.limitedBulklog;

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-diag-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
}

const byOwner = (ds: DiagnosticSpec[], owner: string, code?: string) => ds.filter((d) => d.owner === owner && (code === undefined || d.code === code));

test('real bulklog without its tree: every unsuccessful package gets a diagnostic on its log document, at the line the log shows', async () => {
  const b = await readBulklog(REAL);
  const ds = await diagnoseBulklog(fileContext(b, undefined));
  const main = ds.filter((d) => ['failed', 'depending-on-failed', 'broken', 'depending-on-broken'].includes(d.code));
  const count = (code: string) => main.filter((d) => d.code === code).length;
  assert.deepEqual([count('failed'), count('depending-on-failed'), count('broken'), count('depending-on-broken')], [17, 29, 4, 1]);
  for (const d of main) assert.equal(d.target.kind, 'log', `${d.owner} has no Makefile here: on its log`);
  assert.deepEqual(new Set(main.map((d) => d.severity)), new Set(['error', 'information', 'warning']));

  // perl failed fetching its distfile, breaks 9 packages (PKG_DEPTH 10).
  const perl = byOwner(ds, 'perl-5.16.2nb4', 'failed')[0]!;
  assert.match(
    perl.message,
    /^perl-5\.16\.2nb4 failed in the checksum phase, breaks 9 packages: unable to fetch distfile perl-5\.16\.2\.tar\.gz \(\d+ times\)/,
  );
  const doc = await readLogDocument(REAL, { pkgname: 'perl-5.16.2nb4', location: 'lang/perl5', facts: logFacts(b.byName.get('perl-5.16.2nb4')!) });
  const docLines = doc.text.split('\n');
  // The diagnostic and "Show log" point at the first fetch failure, as the document shows it.
  assert.equal(docLines[perl.range.start.line], 'fetch: Unable to fetch expected file perl-5.16.2.tar.gz');
  assert.equal(perl.actions.showLog?.line, perl.range.start.line);
  assert.deepEqual(perl.actions.rebuild, ['perl-5.16.2nb4']);
  assert.ok(perl.related.length > 0 && perl.related.every((r) => r.target.kind === 'log' && docLines[r.range.start.line]!.startsWith('fetch: Unable')));

  // A link failure: the undefined references, on the document lines that hold them.
  const mtscan = byOwner(ds, 'mtscan-20050129nb1');
  const head = mtscan.find((d) => d.code === 'failed')!;
  assert.match(head.message, /failed in the build phase: undefined reference to `tgetent'\nundefined reference to `tgetflag'/);
  const mdoc = (await readLogDocument(REAL, { pkgname: 'mtscan-20050129nb1', facts: [] })).text.split('\n');
  const linker = mtscan.filter((d) => d.code === 'linker-error');
  assert.ok(linker.length >= 2);
  for (const d of linker) assert.match(mdoc[d.range.start.line]!, /undefined reference/);

  // Indirect failures name the failed packages behind them and offer to open them.
  const headers = byOwner(ds, 'p5-perl-headers-6.18.44nb7')[0]!;
  assert.equal(headers.code, 'depending-on-failed');
  assert.equal(headers.severity, 'information');
  assert.match(headers.message, /depends on .*perl-5\.16\.2nb4/);
  assert.ok(headers.actions.openDependency!.some((d) => d.pkgname === 'perl-5.16.2nb4' && d.location === 'lang/perl5'));
  assert.ok(headers.related.some((r) => r.target.kind === 'log' && r.target.pkgname === 'perl-5.16.2nb4'));

  // Prefailed: the reason text.
  const snobol = byOwner(ds, 'snobol-1.3')[0]!;
  assert.equal(snobol.severity, 'warning');
  assert.equal(snobol.message, "snobol-1.3 is not built: snobol-1.3 is marked as broken: Distfile doesn't match");
  const egtk = byOwner(ds, 'egtk-0.3.4nb7')[0]!;
  assert.equal(egtk.code, 'depending-on-broken');
  assert.match(egtk.message, /depends on .*, which is broken/);
  // Each state's severity is the one its icon shows in the tree.
  for (const d of main)
    assert.equal(d.severity, { failed: 'error', broken: 'warning', 'depending-on-failed': 'information', 'depending-on-broken': 'information' }[d.code]);
});

test('real bulklog with a local tree: diagnostics land on the Makefile lines that matter', async () => {
  await withTmp(async (pkgsrc) => {
    await write(pkgsrc, {
      'lang/snobol/Makefile':
        '# $NetBSD$\n\nDISTNAME=\tsnobol-1.3\nCATEGORIES=\tlang\n\nBROKEN=\t\tDistfile doesn\'t match\n\n.include "../../mk/bsd.pkg.mk"\n',
      'sysutils/user_darwin/Makefile': '# $NetBSD$\n\nDISTNAME=\tuser-20101223\nONLY_FOR_PLATFORM=\tDarwin-*-*\n.include "../../mk/bsd.pkg.mk"\n',
      'devel/m4/Makefile': '# $NetBSD$\n\nDISTNAME=\tm4-1.4.16\nCATEGORIES=\tdevel\nMASTER_SITES=\t${MASTER_SITE_GNU:=m4/}\n.include "../../mk/bsd.pkg.mk"\n',
      'devel/p5-perl-headers/Makefile':
        '# $NetBSD$\n\nDISTNAME=\tperl-headers\n\nDEPENDS+=\tpax>=20040802:../../archivers/pax\nDEPENDS+=\tperl>=5.16.0:../../lang/perl5\n.include "../../mk/bsd.pkg.mk"\n',
      'lang/perl5/Makefile': '# $NetBSD$\n\nDISTNAME=\tperl-5.16.2\n.include "../../mk/bsd.pkg.mk"\n',
      'shells/pdksh/Makefile': '# $NetBSD$\n\nDISTNAME=\tpdksh-5.2.14\n.include "../../mk/bsd.pkg.mk"\n',
    });
    const b = await readBulklog(REAL);
    const ds = await diagnoseBulklog(fileContext(b, pkgsrc));
    const on = (owner: string) => ds.find((d) => d.owner === owner && ['failed', 'depending-on-failed', 'broken'].includes(d.code))!;
    const snobol = on('snobol-1.3');
    assert.deepEqual(snobol.target, { kind: 'file', path: join(pkgsrc, 'lang/snobol/Makefile') });
    assert.equal(snobol.range.start.line, 5, 'the BROKEN line');
    assert.equal(on('user-20101223').range.start.line, 3, 'ONLY_FOR_PLATFORM for "is not available for"');
    const m4 = on('m4-1.4.16nb3');
    assert.equal(m4.range.start.line, 4, 'MASTER_SITES for a fetch failure');
    assert.equal(m4.target.kind, 'file');
    // The failing log stays reachable: related information on the log document.
    assert.ok(m4.related.some((r) => r.target.kind === 'log' && r.target.pkgname === 'm4-1.4.16nb3'));
    // pax is among the culprits and a direct dependency: its DEPENDS line.
    const headers = on('p5-perl-headers-6.18.44nb7');
    assert.equal(headers.range.start.line, 4);
    assert.ok(headers.related.some((r) => r.target.kind === 'file' && r.target.path === join(pkgsrc, 'lang/perl5/Makefile')));
    // No line known for a make failure in the build phase: line 1.
    assert.equal(on('pdksh-5.2.14nb5').range.start.line, 0);
    // Packages without a Makefile here still go on their log.
    assert.equal(on('lrzsz-0.12.20nb1').target.kind, 'log');
  });
});

const record = (name: string, loc: string, depends = '', fail = '') =>
  [
    `PKGNAME=${name}`,
    `PKG_LOCATION=${loc}`,
    'ALL_DEPENDS=',
    'PKG_SKIP_REASON=',
    `PKG_FAIL_REASON=${fail}`,
    'NO_BIN_ON_FTP=',
    'RESTRICTED=',
    'CATEGORIES=devel',
    'MAINTAINER=joe@example.org',
    'USE_DESTDIR=user-destdir',
    'BOOTSTRAP_PKG=',
    'USERGROUP_PHASE=',
    'SCAN_DEPENDS=',
    `DEPENDS=${depends}`,
  ].join('\n') + '\n';

test('generated bulklog: missing dependency, compiler errors in a patch and in files/, checksum mismatch', async () => {
  await withTmp(async (dir) => {
    const bulklog = join(dir, 'bulklog');
    const pkgsrc = join(dir, 'pkgsrc');
    await write(bulklog, {
      'meta/presolve':
        record('libdep-1.0', 'devel/libdep') +
        record('needsdep-1.0', 'devel/needsdep', 'libdep-1.0') +
        record('patched-2.0', 'devel/patched') +
        record('withfiles-1.0', 'devel/withfiles') +
        record('badsum-1.0', 'devel/badsum') +
        record('user-1.0', 'devel/user', 'patched-2.0'),
      'meta/success': 'libdep-1.0\n',
      'meta/error': 'needsdep-1.0\npatched-2.0\nwithfiles-1.0\nbadsum-1.0\n',
      'needsdep-1.0/pre-clean.log': '===> Cleaning for needsdep-1.0\n',
      'needsdep-1.0/configure.log': [
        '===> Configuring for needsdep-1.0',
        '=> Build dependency libdep>=1.0: NOT found',
        '=> Verifying /nonexistent for ../../devel/libdep',
        "ERROR: [depends.mk] A package matching ``libdep>=1.0'' should",
        'ERROR: be installed, but one cannot be found.',
        '*** Error code 1',
        '',
      ].join('\n'),
      'patched-2.0/build.log': [
        '===> Building for patched-2.0',
        'gcc -c src/main.c',
        "src/main.c:11:2: error: 'y' undeclared (first use in this function)",
        'src/main.c:40:1: error: expected declaration',
        '*** Error code 1',
        '',
      ].join('\n'),
      'withfiles-1.0/build.log': "===> Building for withfiles-1.0\nextra.c:3:7: error: unknown type name 'foo_t'\n*** Error code 1\n",
      'badsum-1.0/checksum.log':
        '===> Checksum for badsum-1.0\n=> Checksum SHA1 mismatch for badsum-1.0.tar.gz\nERROR: Make sure the Makefile and checksum file (distinfo)\n*** Error code 1\n',
    });
    const patch = ['$NetBSD$', '', '--- src/main.c.orig', '+++ src/main.c', '@@ -10,3 +10,4 @@', ' {', '+\tint y;', ' \ty = 1;', ' }', ''].join('\n');
    await write(pkgsrc, {
      'devel/needsdep/Makefile': '# $NetBSD$\nDISTNAME=\tneedsdep-1.0\n\n.include "../../devel/libdep/buildlink3.mk"\n.include "../../mk/bsd.pkg.mk"\n',
      'devel/patched/Makefile': '# $NetBSD$\nDISTNAME=\tpatched-2.0\n.include "../../mk/bsd.pkg.mk"\n',
      'devel/patched/patches/patch-aa': patch,
      'devel/withfiles/Makefile': '# $NetBSD$\nDISTNAME=\twithfiles-1.0\n',
      'devel/withfiles/files/extra.c': '#include <stdio.h>\n\nstatic foo_t x;\n',
      'devel/badsum/Makefile': '# $NetBSD$\n\nDISTNAME=\tbadsum-1.0\n',
      'devel/badsum/distinfo': '$NetBSD$\n\nSHA1 (badsum-1.0.tar.gz) = 00\nRMD160 (badsum-1.0.tar.gz) = 11\n',
      'devel/user/Makefile': '# $NetBSD$\nDISTNAME=\tuser-1.0\nDEPENDS+=\tpatched>=2:../../devel/patched\n',
    });
    const b = await readBulklog(bulklog);
    const ds = await diagnoseBulklog(fileContext(b, pkgsrc));

    const needs = byOwner(ds, 'needsdep-1.0', 'failed')[0]!;
    assert.equal(needs.target.kind === 'file' && needs.target.path, join(pkgsrc, 'devel/needsdep/Makefile'));
    assert.equal(needs.range.start.line, 3, 'the include of the missing dependency');
    assert.match(needs.message, /failed in the configure phase: missing dependency: no installed package matches libdep>=1\.0 \(devel\/libdep\)/);

    // 11:2 is the line the patch adds; 40 is outside every hunk and stays on the log.
    const onPatch = ds.filter((d) => d.target.kind === 'file' && d.target.path.endsWith('patches/patch-aa'));
    assert.equal(onPatch.length, 1);
    assert.deepEqual(onPatch[0]!.range.start, { line: 6, character: 2 });
    assert.match(onPatch[0]!.message, /^src\/main\.c:11:2: 'y' undeclared/);
    assert.equal(onPatch[0]!.related[0]!.target.kind, 'log');
    const onLog = byOwner(ds, 'patched-2.0', 'compiler-diagnostic').filter((d) => d.target.kind === 'log');
    assert.equal(onLog.length, 1);
    assert.match(onLog[0]!.message, /src\/main\.c:40:1: expected declaration/);

    const files = ds.find((d) => d.target.kind === 'file' && d.target.path.endsWith('files/extra.c'))!;
    assert.deepEqual(files.range.start, { line: 2, character: 6 });

    const badsum = byOwner(ds, 'badsum-1.0', 'failed')[0]!;
    assert.equal(badsum.range.start.line, 2, 'DISTNAME for a checksum failure');
    assert.ok(badsum.related.some((r) => r.target.kind === 'file' && r.target.path.endsWith('distinfo') && r.range.start.line === 2));

    // user depends on patched, which failed: the DEPENDS line, and a link to patched.
    const user = byOwner(ds, 'user-1.0')[0]!;
    assert.equal(user.code, 'depending-on-failed');
    assert.equal(user.range.start.line, 2);
    assert.deepEqual(user.actions.rebuild, ['patched-2.0']);
    assert.equal(user.actions.openDependency![0]!.makefile, join(pkgsrc, 'devel/patched/Makefile'));

    // Nothing for the package that built.
    assert.equal(byOwner(ds, 'libdep-1.0').length, 0);
  });
});

test('a failed package without any log: an error that says so, not a crash', async () => {
  await withTmp(async (dir) => {
    await write(dir, { 'meta/presolve': record('nolog-1.0', 'devel/nolog'), 'meta/error': 'nolog-1.0\n' });
    const b = await readBulklog(dir);
    const ds = await diagnoseBulklog(fileContext(b, undefined));
    assert.equal(ds.length, 1);
    assert.match(ds[0]!.message, /nolog-1\.0 failed; it left no log/);
    assert.equal(ds[0]!.target.kind, 'log');
  });
});
