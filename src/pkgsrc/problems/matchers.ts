// THE table of log matchers. Every signature we turn into a problem or a log section is here,
// tested against recorded log text (test/unit/problems*.test.ts). Order matters: the first
// matcher whose regex matches a line wins, so specific signatures come before generic ones.
// The file is long on purpose: one table, read top to bottom, is the point.
//
// Sources: pkgsrc's mk/ messages (ERROR_MSG/WARNING_MSG lines, PHASE_MSG banners, STEP_MSG
// `=> ` lines, depends.mk, checksum, can-be-built-here.mk), make, gcc/clang/ld, configure,
// pkg_install, and pbulk's C tools and scripts (pbulk-reference §4.6).
import type { Severity } from '../problem';
import type { LogProblem, ProblemData } from './types';

export interface MatchContext {
  /** Values earlier lines left for later matchers (e.g. the pattern of a `NOT found` line). */
  memory: Map<string, string>;
}

export interface Built {
  message: string;
  file?: string;
  line?: number;
  column?: number;
  data?: ProblemData;
  /** Overrides the matcher's severity (e.g. gcc's `warning:` vs `error:`). */
  severity?: Severity;
}

export interface LogMatcher {
  code: string;
  /** `section` lines delimit log sections; `problem` lines become problems; `context` lines only feed memory. */
  kind: 'problem' | 'section' | 'context';
  severity: Severity;
  /** Where the text comes from: package phase logs, or pbulk's own tools and scripts. */
  source: 'log' | 'pbulk';
  /** Substrings one of which every matching line contains: a cheap filter before the regex. */
  hints: string[];
  re: RegExp;
  build(m: RegExpExecArray, ctx: MatchContext): Built;
  /** Lines right after a match that continue its message (the captured group 1 is appended). */
  continuation?: RegExp;
  /**
   * Merge a match into the previous problem of the same code when it follows within `within`
   * lines (nested makes repeating one failure, consecutive ERROR: lines); `join` appends the
   * message, otherwise the first message stays.
   */
  cascade?: { within: number; join: boolean };
  /** Merge all matches with the same key into the first one, counting them. */
  dedupeKey?: (p: Pick<LogProblem, 'message' | 'data'>) => string;
  /** A consequence of an earlier error (make's exit), not a cause: not used for firstErrorLine if a cause exists. */
  consequence?: boolean;
  /** One line for documentation and tests. */
  summary: string;
}

const pbulkPrefix = String.raw`^(?:pbulk-[a-z]+: )?`;
const stripDots = (p: string) => p.replace(/^(?:\.\.\/\.\.\/)/, '');
/** A 1-based number as printed, made 0-based (a printed 0 stays 0). */
const int = (s: string | undefined) => (s === undefined ? undefined : Math.max(0, Number(s) - 1));

/** A message of pbulk's tools: one line, optionally prefixed by the tool's name (`pbulk-scan: `). */
function pbulk(code: string, severity: Severity, hint: string, body: string, build: LogMatcher['build'], summary: string): LogMatcher {
  return { code, kind: 'problem', severity, source: 'pbulk', hints: [hint], re: new RegExp(`${pbulkPrefix}${body}$`), build, summary };
}

export const LOG_MATCHERS: LogMatcher[] = [
  // --- sections -------------------------------------------------------------------------
  {
    code: 'phase-banner',
    kind: 'section',
    severity: 'hint',
    source: 'log',
    hints: ['===> '],
    re: /^===> (.*?)(?: for (\S+))?\s*$/,
    build: (m) => ({ message: m[1]!, ...(m[2] ? { data: { pkgname: m[2] } } : {}) }),
    summary: 'pkgsrc phase banner `===> Configuring for foo-1.0`: starts a log section',
  },

  // --- missing dependencies (DEPENDS_TARGET=/nonexistent in pbulk builds) ------------------
  {
    code: 'dependency-not-found',
    kind: 'context',
    severity: 'information',
    source: 'log',
    hints: [': NOT found'],
    re: /^=> (?:Bootstrap|Tool|Build|Full|Test|Run) dependency (.+): NOT found$/,
    build: (m, ctx) => {
      ctx.memory.set('pattern', m[1]!);
      return { message: `dependency ${m[1]} not found`, data: { pattern: m[1]! } };
    },
    summary: '`=> Build dependency foo>=1: NOT found` (first line of the missing-dependency trio)',
  },
  {
    code: 'dependency-verifying',
    kind: 'context',
    severity: 'information',
    source: 'log',
    hints: ['=> Verifying '],
    re: /^=> Verifying (\S+) for (\S+)$/,
    build: (m, ctx) => {
      ctx.memory.set('pkgpath', stripDots(m[2]!));
      return { message: `verifying ${m[1]} for ${m[2]}`, data: { pkgpath: stripDots(m[2]!), target: m[1]! } };
    },
    summary: '`=> Verifying /nonexistent for ../../cat/pkg` (second line of the trio)',
  },
  {
    code: 'missing-dependency',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['[depends.mk] A package matching'],
    re: /^ERROR: \[depends\.mk\] A package matching ``(.+?)'' should(.*)$/,
    continuation: /^ERROR:\s{2,}(.*)$/,
    build: (m, ctx) => {
      const pattern = m[1]!;
      const pkgpath = ctx.memory.get('pattern') === pattern ? ctx.memory.get('pkgpath') : undefined;
      return {
        message: `missing dependency: no installed package matches ${pattern}${pkgpath ? ` (${pkgpath})` : ''}`,
        data: { pattern, ...(pkgpath ? { pkgpath } : {}) },
      };
    },
    summary: "`ERROR: [depends.mk] A package matching ``foo>=1'' should be installed, but one cannot be found`",
  },
  {
    code: 'missing-dependency-dir',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['[depends.mk] The directory'],
    re: /^ERROR: \[depends\.mk\] The directory ``(.+?)'' does not exist\.?$/,
    build: (m) => ({ message: `dependency directory ${m[1]} does not exist`, data: { pkgpath: stripDots(m[1]!) } }),
    summary: "`ERROR: [depends.mk] The directory ``../../x/y'' does not exist.`",
  },

  // --- checksum and fetch ------------------------------------------------------------------
  {
    code: 'checksum-mismatch',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['mismatch for'],
    re: /^(?:ERROR: |checksum: |=> )?Checksum (\S+) mismatch for (.+?)\.?$/,
    build: (m) => ({ message: `checksum ${m[1]} mismatch for ${m[2]}`, data: { algorithm: m[1]!, distfile: m[2]! } }),
    summary: '`checksum: Checksum SHA512 mismatch for foo.tar.gz` (also the older `ERROR: Checksum ... mismatch for`)',
  },
  {
    code: 'checksum-missing',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['checksum recorded for'],
    re: /^(?:ERROR: |checksum: |=> )?No (?:(\S+) )?checksum recorded for (.+?)\.?$/,
    build: (m) => ({
      message: `no ${m[1] ? `${m[1]} ` : ''}checksum recorded for ${m[2]}`,
      data: { distfile: m[2]!, ...(m[1] ? { algorithm: m[1] } : {}) },
    }),
    summary: '`No SHA512 checksum recorded for foo.tar.gz`',
  },
  {
    code: 'fetch-failed',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['Unable to fetch'],
    re: /^fetch: Unable to fetch expected file (.+)$/,
    build: (m) => ({ message: `unable to fetch distfile ${m[1]}`, data: { distfile: m[1]! } }),
    dedupeKey: (p) => `fetch ${p.data?.distfile}`,
    summary: '`fetch: Unable to fetch expected file foo.tar.gz` (one problem per distfile, mirrors counted)',
  },

  // --- can-be-built-here.mk: reasons found when the build starts ----------------------------
  {
    code: 'pkg-fail-reason',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['This package has set PKG_'],
    re: /^(?:ERROR: )?This package has set PKG_(FAIL|SKIP)_REASON:\s*(.*)$/,
    continuation: /^ERROR: (.*)$/,
    build: (m) => ({ message: `PKG_${m[1]}_REASON: ${m[2]}`.trimEnd() }),
    summary: '`ERROR: This package has set PKG_FAIL_REASON:` followed by one ERROR: line per reason',
  },
  {
    code: 'platform-restriction',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['available for these platforms'],
    re: /^(?:ERROR: )?This package is ((?:not|only) available for these platforms: .*)$/,
    build: (m) => ({ message: `this package is ${m[1]}` }),
    summary: '`ERROR: This package is not available for these platforms: ...` (ONLY_/NOT_FOR_PLATFORM)',
  },
  {
    code: 'compiler-restriction',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['available for these compilers'],
    re: /^(?:ERROR: )?This package is ((?:not|only) available for these compilers: .*)$/,
    build: (m) => ({ message: `this package is ${m[1]}` }),
    summary: '`ERROR: This package is only available for these compilers: ...` (ONLY_/NOT_FOR_COMPILER)',
  },
  {
    code: 'unprivileged-restriction',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['in unprivileged mode'],
    re: /^(?:ERROR: )?This package is not available in unprivileged mode\.?$/,
    build: () => ({ message: 'this package is not available in unprivileged mode' }),
    summary: '`ERROR: This package is not available in unprivileged mode.`',
  },
  {
    code: 'vulnerable',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['vulnerability, see'],
    re: /^(?:ERROR: )?Package (\S+) has an? (.+?) vulnerability, see (\S+)$/,
    build: (m) => ({ message: `${m[1]} has a ${m[2]} vulnerability, see ${m[3]}`, data: { pkgname: m[1]! } }),
    summary: '`Package foo-1.0 has a remote-code-execution vulnerability, see URL` (check-vulnerable)',
  },

  // --- compilers, linkers, configure ---------------------------------------------------------
  {
    code: 'compiler-diagnostic',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['error: ', 'warning: '],
    re: /^([^\s:"'`][^:"'`]*?):(\d+):(?:(\d+):)? (fatal error|error|warning): (.*)$/,
    build: (m) => ({
      message: m[5]!,
      file: m[1]!,
      line: int(m[2])!,
      ...(m[3] ? { column: int(m[3])! } : {}),
      severity: m[4] === 'warning' ? 'warning' : 'error',
    }),
    summary: '`file.c:12:5: error: message` and `warning:` from gcc and clang (paths relative to WRKSRC)',
  },
  {
    code: 'linker-error',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['undefined reference', 'cannot find ', 'multiple definition'],
    re: /^(?:\S*\bld(?:\.\w+)?: )?(?:([^\s:]+):\([^)]*\): )?((?:undefined reference to|multiple definition of|cannot find) .*)$/,
    build: (m) => ({ message: m[2]!, ...(m[1] ? { file: m[1] } : {}) }),
    dedupeKey: (p) => `ld ${p.message}`,
    summary: "ld's `foo.c:(.text+0x1a): undefined reference to `bar'` and `ld: cannot find -lfoo`",
  },
  {
    code: 'linker-failed',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['ld returned', 'linker command failed'],
    re: /^(?:collect2: (?:fatal )?error: (ld returned \d+ exit status)|\S*: error: (linker command failed.*))$/,
    build: (m) => ({ message: m[1] ?? m[2]! }),
    consequence: true,
    summary: '`collect2: error: ld returned 1 exit status` (clang: `linker command failed`)',
  },
  {
    code: 'configure-error',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['configure: error:'],
    re: /^configure: error: (.*)$/,
    continuation: /^configure: error: (.*)$/,
    build: (m) => ({ message: `configure: ${m[1]}` }),
    summary: '`configure: error: ...` from GNU configure scripts',
  },
  {
    code: 'configure-warning',
    kind: 'problem',
    severity: 'warning',
    source: 'log',
    hints: ['configure: WARNING:'],
    re: /^configure: WARNING: (.*)$/,
    build: (m) => ({ message: `configure: ${m[1]}` }),
    summary: '`configure: WARNING: ...`',
  },
  {
    code: 'tool-error',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['error: '],
    re: /^([A-Za-z0-9_.+-]+): (?:fatal )?error: (.*)$/,
    build: (m) => ({ message: `${m[1]}: ${m[2]}` }),
    summary: '`gcc: error: ...`, `cc1: fatal error: ...`: a compiler driver error without a source position',
  },
  {
    code: 'cmake-error',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['CMake Error'],
    re: /^CMake Error(?: at (.+?):(\d+) \((.*)\))?:\s*(.*)$/,
    continuation: /^ {2}(\S.*)$/,
    build: (m) => ({ message: `CMake: ${m[4] || m[3] || 'error'}`, ...(m[1] ? { file: m[1], line: int(m[2])! } : {}) }),
    summary: '`CMake Error at CMakeLists.txt:12 (find_package):`',
  },

  // --- make ------------------------------------------------------------------------------------
  {
    code: 'make-error',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['*** '],
    re: /^(?:[gb]?make(?:\[\d+\])?: )?\*\*\* (?:\[(.+?)\] )?Error(?: code)? (\d+)(?: \(ignored\))?$/,
    build: (m) => ({
      message: `make: ${m[1] ? `target ${m[1]} ` : ''}failed with exit code ${m[2]}`,
      data: { exitCode: Number(m[2]), ...(m[1] ? { target: m[1] } : {}) },
    }),
    cascade: { within: 4, join: false },
    consequence: true,
    summary: '`*** Error code 1` (bmake), `make: *** [all] Error 2` (GNU make): one problem per cascade of nested makes',
  },
  {
    code: 'make-stopped',
    kind: 'context',
    severity: 'information',
    source: 'log',
    hints: [': stopped in '],
    re: /^[gb]?make(?:\[\d+\])?: stopped in (.+)$/,
    build: (m) => ({ message: `make stopped in ${m[1]}`, data: { dir: m[1]! } }),
    summary: '`bmake: stopped in /usr/pkgsrc/devel/foo`',
  },
  {
    code: 'makefile-diagnostic',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['" line '],
    re: /^(?:[gb]?make(?:\[\d+\])?: )?"([^"]+)" line (\d+): (warning: )?(.*)$/,
    build: (m) => ({ message: m[4]!, file: m[1]!, line: int(m[2])!, severity: m[3] ? 'warning' : 'error' }),
    summary: 'bmake\'s `bmake: "/usr/pkgsrc/cat/pkg/Makefile" line 12: Unknown directive` (and `warning:`)',
  },
  {
    code: 'gnu-makefile-error',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: [': *** '],
    re: /^([^\s:][^:]*):(\d+): \*\*\* (.*?)\.?\s+Stop\.$/,
    build: (m) => ({ message: `make: ${m[3]}`, file: m[1]!, line: int(m[2])! }),
    summary: "GNU make's `Makefile:12: *** missing separator.  Stop.`",
  },
  {
    code: 'make-fatal',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['Fatal errors encountered'],
    re: /^[gb]?make(?:\[\d+\])?: Fatal errors encountered -- cannot continue$/,
    build: () => ({ message: 'make: fatal errors in the makefiles, cannot continue' }),
    consequence: true,
    summary: '`bmake: Fatal errors encountered -- cannot continue`',
  },
  {
    code: 'make-no-target',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ["don't know how to make", 'No rule to make target'],
    re: /^(?:[gb]?make(?:\[\d+\])?: )?(?:don't know how to make (\S+?)\.?(?: Stop\.?)?|\*\*\* No rule to make target '([^']+)'.*)$/,
    build: (m) => ({ message: `make: no rule to make ${m[1] ?? m[2]}`, data: { target: (m[1] ?? m[2])! } }),
    summary: "`bmake: don't know how to make foo. Stop` and GNU make's `No rule to make target`",
  },

  // --- pkg_install (depends.log, package.log, deinstall.log) ------------------------------------
  {
    code: 'pkg-tool-warning',
    kind: 'problem',
    severity: 'warning',
    source: 'log',
    hints: ['pkg_'],
    re: /^(pkg_(?:add|delete|admin|create|info)): [Ww]arning:? (.*)$/,
    build: (m) => ({ message: `${m[1]}: ${m[2]}` }),
    summary: '`pkg_add: Warning: ...`',
  },
  {
    code: 'pkg-tool-error',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['pkg_'],
    re: /^(pkg_(?:add|delete|admin|create|info)): (.*)$/,
    build: (m) => ({ message: `${m[1]}: ${m[2]}` }),
    cascade: { within: 1, join: true },
    summary: '`pkg_add: no pkg found for ...`, `pkg_delete: ...`',
  },

  // --- pbulk's own messages (presolve-err.log, pscan.stderr, bulkbuild output) ----------------
  pbulk(
    'unresolved-dependency',
    'error',
    'No match found for dependency',
    'No match found for dependency (\\S+) of package (\\S+)',
    (m) => ({ message: `no package matches dependency ${m[1]} of ${m[2]}`, data: { pattern: m[1]!, pkgname: m[2]! } }),
    '`No match found for dependency P of package N` (meta/presolve-err.log)',
  ),
  pbulk(
    'resolve-failed',
    'error',
    'Global dependency resolution failed',
    'Global dependency resolution failed(.*)',
    (m) => ({ message: `global dependency resolution failed${m[1]}` }),
    '`Global dependency resolution failed, check .../presolve-err.log for details`',
  ),
  {
    ...pbulk(
      'unresolvable-dependencies',
      'error',
      'Unresolvable dependencies found',
      'Unresolvable dependencies found, exiting:\\s*(.*)',
      (m) => ({ message: `unresolvable dependencies:${m[1] ? ` ${m[1]}` : ''}` }),
      '`Unresolvable dependencies found, exiting:` followed by the locations (limited builds)',
    ),
    continuation: /^\s*([A-Za-z0-9][^\s/]*\/\S+)\s*$/,
  },
  pbulk(
    'cyclic-dependency',
    'error',
    'Cyclic dependency for package',
    'Cyclic dependency for package:?\\s*(\\S*)(.*)',
    (m) => ({ message: `cyclic dependency${m[1] ? ` for package ${m[1]}${m[2]}` : m[2]}`, ...(m[1] ? { data: { pkgname: m[1].replace(/:$/, '') } } : {}) }),
    '`Cyclic dependency for package foo-1.0` (pbulk-build)',
  ),
  pbulk(
    'scan-failed',
    'error',
    'Scan failed for',
    'Scan failed for (\\S+)',
    (m) => ({ message: `scan failed for ${m[1]}`, data: { pkgpath: m[1]! } }),
    '`Scan failed for cat/pkg` (pbulk-scan: bmake pbulk-index failed or printed NUL bytes)',
  ),
  pbulk(
    'scan-output-unrecognized',
    'error',
    'pbulk-index output not recognized',
    'pbulk-index output not recognized for (\\S+)',
    (m) => ({ message: `pbulk-index output not recognized for ${m[1]}`, data: { pkgpath: m[1]! } }),
    '`pbulk-index output not recognized for cat/pkg`',
  ),
  pbulk(
    'scan-not-processed',
    'warning',
    ' was not processed',
    '([A-Za-z0-9][^\\s/]*/[^\\s/]+) was not processed',
    (m) => ({ message: `${m[1]} was not processed`, data: { pkgpath: m[1]! } }),
    '`cat/pkg was not processed` (pbulk-scan)',
  ),
  pbulk(
    'duplicate-package',
    'warning',
    'Duplicate package: ',
    'Duplicate package: (\\S+)',
    (m) => ({ message: `duplicate package ${m[1]} (the first record wins)`, data: { pkgname: m[1]! } }),
    '`pbulk-scan: Duplicate package: foo-1.0`',
  ),
  pbulk(
    'best-match-differs',
    'information',
    'Best matching ',
    'Best matching (\\S+) differs from location (\\S+) for dependency (\\S+) of package (\\S+)',
    (m) => ({ message: `best match ${m[1]} for dependency ${m[3]} of ${m[4]} is not from ${m[2]}`, data: { pkgname: m[4]!, pattern: m[3]!, pkgpath: m[2]! } }),
    '`pbulk-resolve: Best matching X differs from location L for dependency P of package N`',
  ),
  pbulk(
    'multiple-matches',
    'hint',
    'Multiple matches for dependency',
    'Multiple matches for dependency (\\S+) of package (\\S+): (.*)',
    (m) => ({ message: `multiple matches for dependency ${m[1]} of ${m[2]}: ${m[3]}`, data: { pattern: m[1]!, pkgname: m[2]! } }),
    '`Multiple matches for dependency P of package N: X` (pbulk-resolve -vv)',
  ),
  pbulk(
    'incorrect-dependency',
    'error',
    'Incorrect dependency for',
    'Incorrect dependency for (\\S+), skipping',
    (m) => ({ message: `incorrect dependency in ALL_DEPENDS of ${m[1]}`, data: { pkgname: m[1]! } }),
    '`Incorrect dependency for foo-1.0, skipping` (an ALL_DEPENDS entry without `:../../`)',
  ),
  pbulk(
    'subdir-extract-failed',
    'warning',
    'Cannot extract subdirectories',
    'Cannot extract subdirectories for (\\S+)',
    (m) => ({ message: `cannot list the packages of category ${m[1]}` }),
    '`Cannot extract subdirectories for cat` (full scan)',
  ),
  pbulk(
    'unknown-logged-package',
    'error',
    "build log doesn't exist",
    "Package from (\\w+) build log doesn't exist: (\\S+)",
    (m) => ({ message: `package ${m[2]} from the ${m[1]} build log is not in presolve`, data: { pkgname: m[2]! } }),
    "`Package from successful build log doesn't exist: foo-1.0` (pbulk-build resume)",
  ),
  pbulk(
    'missing-dependency-record',
    'error',
    "doesn't exist",
    "Dependency (?:`(\\S+)' )?doesn't exist",
    (m) => ({ message: m[1] ? `dependency ${m[1]} is not in presolve` : 'a dependency is not in presolve', ...(m[1] ? { data: { pkgname: m[1] } } : {}) }),
    "`Dependency `foo-1.0' doesn't exist` (pbulk-build)",
  ),
  pbulk(
    'invalid-input',
    'error',
    'Invalid ',
    '(Invalid scan output|Invalid input|Invalid path from master)',
    (m) => ({ message: m[1]! }),
    '`Invalid scan output`, `Invalid input`, `Invalid path from master`',
  ),
  pbulk(
    'input-line-too-long',
    'error',
    'Incomplete or too long input line',
    '(Incomplete or too long input line)',
    (m) => ({ message: m[1]! }),
    '`Incomplete or too long input line` (a limited_list line without newline or longer than PATH_MAX)',
  ),
  pbulk(
    'master-setup',
    'error',
    'Could not parse addr/port',
    '(Could not parse addr/port)',
    (m) => ({ message: m[1]! }),
    '`Could not parse addr/port` (master mode)',
  ),
  pbulk(
    'start-script-failed',
    'error',
    'Start script failed',
    '(Start script failed)',
    (m) => ({ message: m[1]! }),
    '`Start script failed` (master mode: the client start script exited non-zero)',
  ),
  pbulk(
    'config-version',
    'error',
    'Your configuration has version',
    'Your configuration has version (\\S+)\\.\\s*This version of pbulk expects version (\\S+?)\\.?',
    (m) => ({ message: `pbulk.conf has config_version ${m[1]}, pbulk expects ${m[2]}` }),
    '`Your configuration has version X. This version of pbulk expects version Y.`',
  ),
  pbulk(
    'build-failed',
    'error',
    'Failed to build',
    '(?:\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d )?\\[\\d+/\\d+\\] Failed to build +(\\S+)',
    (m) => ({ message: `failed to build ${m[1]}`, data: { pkgname: m[1]! } }),
    '`[9/63] Failed to build    foo-1.0` (pbulk-build -v progress; -vv adds a time stamp)',
  ),

  // --- generic pkgsrc messages: last, so that the specific ERROR: forms above win ----------------
  {
    code: 'pkgsrc-error',
    kind: 'problem',
    severity: 'error',
    source: 'log',
    hints: ['ERROR:'],
    re: /^ERROR:\s*(.*)$/,
    build: (m) => ({ message: m[1]! }),
    cascade: { within: 1, join: true },
    summary: '`ERROR: ...` (pkgsrc ERROR_MSG; consecutive lines form one problem)',
  },
  {
    code: 'pkgsrc-warning',
    kind: 'problem',
    severity: 'warning',
    source: 'log',
    hints: ['WARNING:'],
    re: /^WARNING:\s*(.*)$/,
    build: (m) => ({ message: m[1]! }),
    cascade: { within: 1, join: true },
    summary: '`WARNING: ...` (pkgsrc WARNING_MSG)',
  },
];
