// The log matcher table against recorded log text: the real phase logs of the 2013Q1
// bulklog, pbulk's own stderr logs and console output, and recorded pkgsrc/compiler/pbulk
// messages for the signatures the real run did not produce. Every matcher has an example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeFailureLog,
  firstErrorLine,
  LOG_MATCHERS,
  logProblemToProblem,
  matchLog,
  metaLogProblems,
  segmentLog,
  type LogProblem,
} from '../../src/pkgsrc/problems';
import { pbulkOutput } from '../fixtures/reference-data';

const LOGS = pbulkOutput.limitedBulklog;
const log = (p: string) => readFile(join(LOGS, p), 'utf8');
const lines = (t: string) => t.split('\n');
const lineOf = (t: string, s: string) => lines(t).findIndex((l) => l.includes(s));
const codes = (ps: LogProblem[]) => ps.map((p) => p.code);

// One recorded example per matcher: [code, log text, 0-based line where the problem starts].
const EXAMPLES: [string, string, number][] = [
  ['phase-banner', 'WARNING: [license.mk] Every package should define a LICENSE.\n===> Configuring for pax-20080110nb2', 1],
  ['dependency-not-found', '=> Build dependency perl>=5.0: NOT found', 0],
  ['dependency-verifying', '=> Verifying /nonexistent for ../../lang/perl5', 0],
  [
    'missing-dependency',
    "=> Build dependency perl>=5.0: NOT found\n=> Verifying /nonexistent for ../../lang/perl5\nbmake: don't know how to make /nonexistent. Stop\n\nbmake: stopped in /usr/pkgsrc/lang/perl5\nERROR: [depends.mk] A package matching ``perl>=5.0'' should be installed, but one cannot be found.\n*** Error code 1",
    5,
  ],
  ['missing-dependency-dir', "ERROR: [depends.mk] The directory ``../../devel/nope'' does not exist.", 0],
  ['checksum-mismatch', '=> Checksum SHA1 OK for foo-1.0.tar.gz\nchecksum: Checksum RMD160 mismatch for foo-1.0.tar.gz', 1],
  ['checksum-missing', 'ERROR: No SHA1 checksum recorded for foo-1.0.tar.gz', 0],
  ['fetch-failed', "ftp: Can't lookup `ftp.gnu.org': Name or service not known\nfetch: Unable to fetch expected file m4-1.4.16.tar.gz", 1],
  ['pkg-fail-reason', "ERROR: This package has set PKG_FAIL_REASON:\nERROR: snobol-1.3 is marked as broken:\nERROR: Distfile doesn't match", 0],
  ['platform-restriction', 'ERROR: This package is not available for these platforms: Darwin-*-* Interix-*-*.', 0],
  ['compiler-restriction', 'ERROR: This package is only available for these compilers: gcc.', 0],
  ['unprivileged-restriction', 'ERROR: This package is not available in unprivileged mode.', 0],
  ['vulnerable', 'Package openssl-1.0.1c has a denial-of-service vulnerability, see http://www.openssl.org/news/secadv_20130205.txt', 0],
  ['compiler-diagnostic', "gcc -c foo.c\nfoo.c:12:5: error: use of undeclared identifier 'x'", 1],
  ['linker-error', "/usr/bin/ld: gen_subs.o: in function `ls_list':\ngen_subs.c:(.text+0x16a): undefined reference to `minor'", 1],
  ['linker-failed', 'clang: error: linker command failed with exit code 1 (use -v to see invocation)', 0],
  [
    'configure-error',
    "checking for C compiler default output file name... \nconfigure: error: C compiler cannot create executables\nconfigure: error: See `config.log' for more details.",
    1,
  ],
  ['configure-warning', "configure: WARNING: if you wanted to set the --build type, don't use --host.", 0],
  ['tool-error', "gcc: error: unrecognized command-line option '-mfoo'", 0],
  ['cmake-error', 'CMake Error at CMakeLists.txt:42 (find_package):\n  Could not find a package configuration file provided by "Qt5"', 0],
  ['make-error', 'gmake[1]: *** [Makefile:123: all] Error 2', 0],
  ['make-stopped', 'bmake: stopped in /usr/pkgsrc/lang/f2c', 0],
  ['makefile-diagnostic', 'bmake: "/usr/pkgsrc/devel/foo/Makefile" line 12: Unknown directive "iff"', 0],
  ['gnu-makefile-error', 'Makefile:12: *** missing separator.  Stop.', 0],
  ['make-fatal', 'bmake: "/usr/pkgsrc/devel/foo/Makefile" line 12: Unknown directive "iff"\nbmake: Fatal errors encountered -- cannot continue', 1],
  ['make-no-target', "make: *** No rule to make target 'install'.  Stop.", 0],
  ['pkg-tool-warning', "pkg_add: Warning: package `foo-1.0' was built for a platform:", 0],
  ['pkg-tool-error', "pkg_add: no pkg found for 'foo>=1', sorry.\npkg_add: 1 package addition failed", 0],
  ['unresolved-dependency', 'pbulk-resolve: No match found for dependency foo>=1 of package bar-1.0', 0],
  ['resolve-failed', 'Global dependency resolution failed, check /bulk/bulklog/meta/presolve-err.log for details', 0],
  ['unresolvable-dependencies', 'Resolving...\nUnresolvable dependencies found, exiting:\ndevel/nope\nx11/gone', 1],
  ['cyclic-dependency', 'pbulk-build: Cyclic dependency for package foo-1.0', 0],
  ['scan-failed', 'pbulk-scan: Scan failed for devel/broken', 0],
  ['scan-output-unrecognized', 'pbulk-scan: pbulk-index output not recognized for devel/odd', 0],
  ['scan-not-processed', 'pbulk-scan: devel/slow was not processed', 0],
  ['duplicate-package', 'pbulk-scan: Duplicate package: SmartEiffel-2.0nb1', 0],
  [
    'best-match-differs',
    'pbulk-resolve: Best matching libao-pulse-1.1.0nb7 differs from location audio/libao-oss for dependency libao-[a-z]*-[0-9]* of package cmus-2.4.3nb7',
    0,
  ],
  ['multiple-matches', 'pbulk-resolve: Multiple matches for dependency libao-[a-z]*-[0-9]* of package cmus-2.4.3nb7: libao-oss-1.1.0 libao-pulse-1.1.0nb7', 0],
  ['incorrect-dependency', 'pbulk-resolve: Incorrect dependency for foo-1.0, skipping', 0],
  ['subdir-extract-failed', 'pbulk-scan: Cannot extract subdirectories for wip', 0],
  ['unknown-logged-package', "pbulk-build: Package from succesful build log doesn't exist: foo-1.0", 0],
  ['missing-dependency-record', "pbulk-build: Dependency doesn't exist", 0],
  ['invalid-input', 'pbulk-build: Invalid scan output', 0],
  ['input-line-too-long', 'pbulk-scan: Incomplete or too long input line', 0],
  ['master-setup', 'pbulk-scan: Could not parse addr/port', 0],
  ['start-script-failed', 'Start script failed', 0],
  ['config-version', 'Your configuration has version 0.50. This version of pbulk expects version 0.51.', 0],
  ['build-failed', '[9/63] Starting build of  f2c-20100903\n[9/63] Failed to build    f2c-20100903', 1],
  ['pkgsrc-error', 'ERROR: Make sure the Makefile and checksum file (/usr/pkgsrc/x/y/distinfo)\nERROR: are up to date.', 0],
  ['pkgsrc-warning', 'WARNING: [license.mk] Every package should define a LICENSE.', 0],
];

test('the matcher table: unique codes, and every matcher has a recorded example it matches', () => {
  const all = LOG_MATCHERS.map((m) => m.code);
  assert.equal(new Set(all).size, all.length);
  assert.deepEqual([...new Set(EXAMPLES.map((e) => e[0]))].sort(), [...all].sort());
  for (const [code, text, line] of EXAMPLES) {
    const matcher = LOG_MATCHERS.find((m) => m.code === code)!;
    const m = matchLog(text);
    if (matcher.kind === 'problem') {
      const p = m.problems.find((x) => x.code === code);
      assert.ok(p, `${code}: ${JSON.stringify(m.problems)}`);
      assert.equal(p.logLine, line, code);
    } else if (matcher.kind === 'section') {
      assert.ok(
        m.sections.some((s) => s.startLine === line && s.title.startsWith('Configuring')),
        code,
      );
    } else {
      assert.ok(matcher.re.test(lines(text)[line]!), code);
      assert.ok(!m.problems.some((x) => x.code === code), code);
    }
  }
});

test('missing-dependency trio: one error with the pattern and the location, 2013 and later wordings', () => {
  const old = matchLog(EXAMPLES.find((e) => e[0] === 'missing-dependency')![1]);
  const dep = old.problems.find((p) => p.code === 'missing-dependency')!;
  assert.deepEqual(dep.data, { pattern: 'perl>=5.0', pkgpath: 'lang/perl5' });
  const later = matchLog(
    "=> Tool dependency gmake>=3.81: NOT found\n=> Verifying /nonexistent for ../../devel/gmake\nERROR: [depends.mk] A package matching ``gmake>=3.81'' should\nERROR:     be installed, but one cannot be found.  Perhaps there is a\nERROR:     stale work directory for ../../devel/gmake?\n*** Error code 1\n",
  );
  assert.deepEqual(codes(later.problems), ['missing-dependency', 'make-error']);
  const p = later.problems[0]!;
  assert.deepEqual([p.logLine, p.logEndLine], [2, 4]);
  assert.deepEqual(p.data, { pattern: 'gmake>=3.81', pkgpath: 'devel/gmake' });
  assert.match(p.message, /gmake>=3\.81 \(devel\/gmake\).*stale work directory/);
  assert.equal(firstErrorLine(later), 2);
});

test('PKG_FAIL_REASON lines after the first are part of one problem', () => {
  const m = matchLog(EXAMPLES.find((e) => e[0] === 'pkg-fail-reason')![1]);
  assert.equal(m.problems.length, 1);
  assert.equal(m.problems[0]!.message, "PKG_FAIL_REASON: snobol-1.3 is marked as broken: Distfile doesn't match");
  assert.equal(m.problems[0]!.logEndLine, 2);
});

test('real build.log (pax): gcc warnings with positions, the first undefined reference is the first error, one make-error per cascade', async () => {
  const t = await log('pax-20080110nb2/build.log');
  const m = matchLog(t);
  const w = m.problems.find((p) => p.code === 'compiler-diagnostic')!;
  assert.deepEqual([w.file, w.line, w.column, w.severity], ['pax.h', 258, 24, 'warning']);
  assert.equal(w.message, "implicit declaration of function 'major' [-Wimplicit-function-declaration]");
  assert.equal(firstErrorLine(m), lineOf(t, "gen_subs.c:(.text+0x16a): undefined reference to `minor'"));
  const ld = m.problems.filter((p) => p.code === 'linker-error');
  assert.deepEqual(
    ld.map((p) => [p.message, p.count]),
    [
      ["undefined reference to `minor'", 5],
      ["undefined reference to `major'", 5],
      ["undefined reference to `makedev'", 4],
    ],
  );
  const make = m.problems.filter((p) => p.code === 'make-error');
  assert.equal(make.length, 1);
  assert.deepEqual([make[0]!.logLine, make[0]!.logEndLine], [lineOf(t, '*** Error code 1'), lines(t).lastIndexOf('*** Error code 1')]);
  assert.deepEqual(
    m.sections.map((s) => s.title),
    ['(start)', 'Building for pax-20080110nb2'],
  );
});

test('real configure.log (pax): sections per phase banner covering every line, configure warnings', async () => {
  const t = await log('pax-20080110nb2/configure.log');
  const sections = segmentLog(t);
  assert.deepEqual(
    sections.map((s) => s.title),
    [
      '(start)',
      'Installing dependencies for pax-20080110nb2',
      'Overriding tools for pax-20080110nb2',
      'Extracting for pax-20080110nb2',
      'Patching for pax-20080110nb2',
      'Creating toolchain wrappers for pax-20080110nb2',
      'Configuring for pax-20080110nb2',
    ],
  );
  assert.equal(sections.at(-1)!.pkgname, 'pax-20080110nb2');
  assert.equal(sections.at(-1)!.endLine, lines(t).length - 2);
  const m = matchLog(t);
  assert.ok(m.problems.some((p) => p.code === 'configure-warning'));
  assert.equal(firstErrorLine(m), undefined);
});

test("real build.log (mtscan): curses link failure; (pdksh): only make's exit is left, and it is the first error", async () => {
  const mt = await log('mtscan-20050129nb1/build.log');
  const m = matchLog(mt);
  assert.deepEqual(
    m.problems.filter((p) => p.severity === 'error').map((p) => p.code),
    ['linker-error', 'linker-error', 'linker-failed', 'make-error'],
  );
  assert.equal(firstErrorLine(m), lineOf(mt, 'tgetent'));
  assert.equal(m.problems.filter((p) => p.severity === 'warning' && p.code === 'compiler-diagnostic').length, 9);
  const pd = await log('pdksh-5.2.14nb5/build.log');
  assert.equal(firstErrorLine(pd), lineOf(pd, '*** Error code 1'));
});

test('real checksum.log of every fetch failure: one problem per distfile with the attempts counted', async () => {
  for (const pkg of ['f2c-20100903', 'm4-1.4.16nb3', 'lrzsz-0.12.20nb1', 'perl-5.16.2nb4', 'xproto-7.0.23nb2']) {
    const t = await log(`${pkg}/checksum.log`);
    const m = matchLog(t);
    const f = m.problems.filter((p) => p.code === 'fetch-failed');
    assert.equal(f.length, 1, pkg);
    assert.equal(f[0]!.count, lines(t).filter((l) => l.startsWith('fetch: Unable')).length, pkg);
    assert.equal(firstErrorLine(m), lineOf(t, 'fetch: Unable'), pkg);
  }
});

test("pbulk's own logs: presolve-err.log and pscan.stderr of the full scan, bulkbuild's console output", async () => {
  const perr = await readFile(join(pbulkOutput.fullScanLogs, 'presolve-err.log'), 'utf8');
  const pm = matchLog(perr);
  assert.equal(pm.problems.length, lines(perr).filter(Boolean).length);
  assert.ok(pm.problems.every((p) => p.code === 'best-match-differs' && p.severity === 'information'));
  const serr = await readFile(join(pbulkOutput.fullScanLogs, 'pscan.stderr'), 'utf8');
  const sm = matchLog(serr);
  assert.equal(sm.problems.length, lines(serr).filter(Boolean).length);
  assert.ok(sm.problems.every((p) => p.code === 'duplicate-package'));
  const out = await readFile(join(pbulkOutput.limitedRun, 'bulkbuild.out'), 'utf8');
  const failed = matchLog(out)
    .problems.filter((p) => p.code === 'build-failed')
    .map((p) => p.data!.pkgname!);
  assert.deepEqual(
    failed.sort(),
    lines(await log('meta/error'))
      .filter(Boolean)
      .sort(),
  );
});

test('bmake makefile diagnostics carry the makefile and line; the warnings in bulkbuild.out are warnings', async () => {
  const m = matchLog('bmake: "/usr/pkgsrc/devel/foo/Makefile" line 12: Unknown directive "iff"\nbmake: Fatal errors encountered -- cannot continue\n');
  assert.deepEqual([m.problems[0]!.file, m.problems[0]!.line, m.problems[0]!.severity], ['/usr/pkgsrc/devel/foo/Makefile', 11, 'error']);
  assert.equal(firstErrorLine(m), 0);
  const out = await readFile(join(pbulkOutput.limitedRun, 'bulkbuild.out'), 'utf8');
  const w = matchLog(out).problems.filter((p) => p.code === 'makefile-diagnostic');
  assert.ok(w.length > 0);
  assert.ok(w.every((p) => p.severity === 'warning' && p.file === '../../security/openssl/../../security/openssl/builtin.mk' && p.line === 59));
});

test('logProblemToProblem locates the problem on the log file', () => {
  const m = matchLog('x\nfoo.c:3:7: error: bad');
  const p = logProblemToProblem(m.problems[0]!, '/b/foo-1/build.log', () => 22);
  assert.deepEqual(p.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 22 } });
  assert.equal(p.message, 'bad [foo.c:3:7]');
  assert.equal(p.file, '/b/foo-1/build.log');
});

test('analyzeFailureLog: the causes of a failure and where to open its log; metaLogProblems: pbulk logs as located problems', async () => {
  const a = await analyzeFailureLog(join(LOGS, 'mtscan-20050129nb1/build.log'));
  assert.deepEqual(
    a.errors.map((e) => e.code),
    ['linker-error', 'linker-error'],
  );
  assert.equal(a.firstErrorLine, 31);
  assert.equal(a.truncated, false);
  assert.equal(a.sections.at(-1)!.title, 'Building for mtscan-20050129nb1');
  const pd = await analyzeFailureLog(join(LOGS, 'pdksh-5.2.14nb5/build.log'));
  assert.deepEqual(
    pd.errors.map((e) => e.code),
    ['make-error'],
  );
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-meta-'));
  try {
    await copyFile(join(pbulkOutput.fullScanLogs, 'pscan.stderr'), join(dir, 'pscan.stderr'));
    await writeFile(join(dir, 'presolve-err.log'), 'pbulk-resolve: No match found for dependency foo>=1 of package bar-1.0\n');
    const ps = await metaLogProblems(dir);
    const nomatch = ps.find((p) => p.code === 'unresolved-dependency')!;
    assert.equal(nomatch.file, join(dir, 'presolve-err.log'));
    assert.equal(nomatch.severity, 'error');
    assert.equal(ps.filter((p) => p.code === 'duplicate-package').length, 658);
    assert.deepEqual(await metaLogProblems(join(dir, 'nonexistent')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
