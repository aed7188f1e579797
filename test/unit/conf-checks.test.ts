// Every pbulk.conf check, each with a config that triggers it and a close one that does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Severity } from '../../src/pkgsrc/problem';
import { formatProblem } from '../../src/pkgsrc/problem';
import { applyEdits, BASE, BASE_051, codes, fakeProbe, lint, only, withSetting, withSettings } from './conf-helpers';
import { checkCodes, type ConfCheckContext } from '../../src/pkgsrc/conf/index';

interface Case {
  name: string;
  code: string;
  severity: Severity;
  bad: string;
  good: string;
  ctx?: Partial<ConfCheckContext>;
  /** Context for the passing config; default: ctx, or none when good and bad are the same text. */
  goodCtx?: Partial<ConfCheckContext>;
  /** Text of the bad config after the first fix of the first matching diagnostic. */
  fixed?: (t: string) => void;
  /** The diagnostic must start on this (1-based) line of `bad`. */
  line?: number;
  /** Substring the message must contain. */
  says?: string;
}

const master = (extra: Record<string, string | null> = {}, base = BASE): string => withSettings({ master_mode: 'master_mode=yes', ...extra }, base);
const v051: Partial<ConfCheckContext> = { pbulkVersion: { version: '0.51', source: 'setting' } };
const chroots = {
  master_mode: 'master_mode=yes',
  chroot_create: 'chroot_create=/usr/pbulk/libexec/mksandbox',
  chroot_delete: 'chroot_delete=/usr/pbulk/libexec/rmsandbox',
  chroot_dir: 'chroot_dir=/chroot/pkgsrc',
  build_chroots: 'build_chroots=4',
};
const lineOf = (text: string, start: string): number => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;

const cases: Case[] = [
  // names
  {
    name: 'misspelt variable with did-you-mean',
    code: 'unknown-variable',
    severity: 'warning',
    bad: withSetting('bulklog', 'bulklgo=/bulk/bulklog') + 'bulklog=/bulk/bulklog\n',
    good: BASE,
    says: 'Did you mean bulklog?',
    fixed: (t) => assert.match(t, /^bulklog=\/bulk\/bulklog$/m),
  },
  {
    name: 'upper-case spelling of a setting',
    code: 'unknown-variable',
    severity: 'warning',
    bad: BASE + 'PREFIX=/usr/pkg\n',
    good: BASE + 'export PREFIX=/usr/pkg\n',
    says: 'Did you mean prefix?',
  },
  {
    name: 'unknown upper-case variable is only information',
    code: 'unknown-variable',
    severity: 'information',
    bad: BASE + 'MANTA_USER=pkgsrc\n',
    good: BASE + 'MANTA_USER=pkgsrc\nexport MANTA_USER\n',
  },
  {
    name: 'a helper variable read elsewhere is not unknown',
    code: 'unknown-variable',
    severity: 'warning',
    bad: BASE + 'top=/bulk\n',
    good: withSetting('bulklog', 'bulklog=${top}/bulklog', 'top=/bulk\n' + BASE),
  },
  { name: 'internal pkg-build variable', code: 'internal-variable', severity: 'warning', bad: BASE + 'pkgname=foo-1.0\n', good: BASE },
  {
    name: 'scan_chroots is the older scan_procs',
    code: 'alias-variable',
    severity: 'information',
    bad: withSettings(chroots) + 'scan_chroots=2\n',
    good: withSettings(chroots) + 'scan_procs=2\n',
    fixed: (t) => assert.match(t, /^scan_procs=2$/m),
  },
  {
    name: 'obsolete 2007 name with replacement',
    code: 'obsolete-variable',
    severity: 'warning',
    bad: withSetting('report_recipients', 'report_recipient=a@example.org'),
    good: BASE,
    fixed: (t) => assert.match(t, /^report_recipients=a@example.org$/m),
  },
  {
    name: 'pscan_prepare is gone in 0.68',
    code: 'obsolete-variable',
    severity: 'warning',
    bad: BASE + 'pscan_prepare=/usr/pbulk/libexec/pbulk/client-clean\n',
    good: BASE_051,
    goodCtx: v051,
    says: 'client_prepare_action',
  },
  {
    name: 'chroot settings unknown to pbulk 0.51',
    code: 'variable-not-in-version',
    severity: 'warning',
    bad: BASE_051 + 'build_chroots=4\n',
    good: BASE_051,
    ctx: v051,
    says: '0.68',
  },
  // placeholders and version
  {
    name: 'leftover placeholder',
    code: 'placeholder',
    severity: 'error',
    bad: withSetting('sed', 'sed=@SED@'),
    good: BASE,
    fixed: (t) => assert.match(t, /^sed=\/\S+\/sed$/m),
  },
  {
    name: 'placeholder inside a path',
    code: 'placeholder',
    severity: 'error',
    bad: withSetting('pscan', 'pscan=@PREFIX@/bin/pbulk-scan'),
    good: BASE,
    says: '@PREFIX@',
    fixed: (t) => assert.match(t, /^pscan=\/usr\/pbulk\/bin\/pbulk-scan$/m),
  },
  {
    name: 'config_version mismatch with a chosen version',
    code: 'config-version',
    severity: 'error',
    bad: withSetting('config_version', 'config_version=0.51'),
    good: BASE,
    says: 'This version of pbulk expects version 0.68.',
    fixed: (t) => assert.match(t, /^config_version=0.68$/m),
  },
  {
    name: 'config_version mismatch when only assumed is a warning',
    code: 'config-version',
    severity: 'warning',
    bad: withSetting('config_version', 'config_version=0.51'),
    good: BASE,
    ctx: { pbulkVersion: { version: '0.68', source: 'default' } },
  },
  { name: 'config_version missing', code: 'config-version', severity: 'error', bad: withSetting('config_version', null), good: BASE },
  // booleans
  {
    name: 'cross_compile=NO turns cross-compiling on',
    code: 'boolean-value',
    severity: 'error',
    bad: withSetting('cross_compile', 'cross_compile=NO'),
    good: BASE,
    says: 'as yes',
    fixed: (t) => assert.match(t, /^cross_compile=no$/m),
  },
  {
    name: 'keep_wrkdir=YES means no',
    code: 'boolean-value',
    severity: 'warning',
    bad: withSetting('keep_wrkdir', 'keep_wrkdir=YES'),
    good: withSetting('keep_wrkdir', 'keep_wrkdir=yes'),
    says: 'as no',
    fixed: (t) => assert.match(t, /^keep_wrkdir=yes$/m),
  },
  {
    name: 'master_mode=true stops the phases',
    code: 'boolean-value',
    severity: 'error',
    bad: withSetting('master_mode', 'master_mode=true'),
    good: BASE,
    says: 'must be either yes or no',
  },
  {
    name: 'ignore_missing_dependencies=1 builds nothing',
    code: 'boolean-value',
    severity: 'error',
    bad: withSetting('ignore_missing_dependencies', 'ignore_missing_dependencies=1'),
    good: BASE,
    says: 'nothing is built',
  },
  {
    name: 'unset not-no boolean is on',
    code: 'boolean-value',
    severity: 'error',
    bad: withSetting('cross_compile', null),
    good: BASE,
    says: 'cross-compiling',
  },
  // master mode
  {
    name: 'host name in a master port',
    code: 'master-port',
    severity: 'error',
    bad: master({ master_ip: 'master_ip=build.example.org' }),
    good: master(),
    says: 'inet_aton',
  },
  {
    name: 'port above 65535',
    code: 'master-port',
    severity: 'error',
    bad: master({ master_port_scan: 'master_port_scan=${master_ip}:70000' }),
    good: master(),
  },
  {
    name: 'port without an address',
    code: 'master-port',
    severity: 'warning',
    bad: master({ master_port_build: 'master_port_build=2002' }),
    good: master(),
    says: '0.0.0.0',
  },
  {
    name: 'master mode without clients',
    code: 'master-no-clients',
    severity: 'error',
    bad: master({ build_clients: 'build_clients=""' }),
    good: withSettings({ ...chroots, build_clients: 'build_clients=""', scan_clients: 'scan_clients=""' }, master()),
    says: 'waits forever',
  },
  {
    name: 'client that is no ssh destination',
    code: 'client-list',
    severity: 'warning',
    bad: master({ scan_clients: 'scan_clients="10.0.0.2,10.0.0.3"' }),
    good: master({ scan_clients: 'scan_clients="root@10.0.0.2 10.0.0.3:2222 /chroot/one"' }),
  },
  {
    name: 'host:port client with pbulk 0.51',
    code: 'client-list',
    severity: 'warning',
    bad: master({ scan_clients: 'scan_clients="10.0.0.2:2222"' }, BASE_051),
    good: master({}, BASE_051),
    ctx: v051,
    says: '2016',
  },
  {
    name: 'build host listed twice',
    code: 'duplicate-client',
    severity: 'warning',
    bad: master({ build_clients: 'build_clients="10.0.0.2 10.0.0.3 10.0.0.2"' }),
    good: master({ scan_clients: 'scan_clients="10.0.0.2 10.0.0.2"' }),
    fixed: (t) => assert.match(t, /^build_clients="10.0.0.2 10.0.0.3"$/m),
  },
  {
    name: 'master_ip not IPv4',
    code: 'master-ip',
    severity: 'warning',
    bad: master({ master_ip: 'master_ip=master', master_port_scan: 'master_port_scan=10.0.0.1:2001', master_port_build: 'master_port_build=10.0.0.1:2002' }),
    good: master(),
  },
  // values
  {
    name: 'non-numeric integer',
    code: 'integer-value',
    severity: 'error',
    bad: withSetting('report_graph_script_limit', 'report_graph_script_limit=lots'),
    good: BASE,
  },
  {
    name: 'build_chroots below 1',
    code: 'integer-value',
    severity: 'error',
    bad: withSettings({ ...chroots, build_chroots: 'build_chroots=0' }),
    good: withSettings(chroots),
  },
  { name: 'odd package suffix', code: 'pkg-sufx', severity: 'warning', bad: withSetting('pkg_sufx', 'pkg_sufx=tgz'), good: BASE },
  // dangerous paths
  {
    name: 'bulklog=/ deletes the system',
    code: 'dangerous-path',
    severity: 'error',
    bad: withSettings({ bulklog: 'bulklog=/', loc: 'loc=/meta' }),
    good: BASE,
    says: 'whole system',
  },
  { name: 'empty bulklog', code: 'dangerous-path', severity: 'error', bad: withSetting('bulklog', 'bulklog='), good: BASE, says: 'rm -rf /*' },
  { name: 'unset prefix', code: 'dangerous-path', severity: 'error', bad: withSettings({ prefix: null, make: 'make=/usr/bin/bmake' }), good: BASE },
  {
    name: 'prefix over a system directory',
    code: 'dangerous-path',
    severity: 'error',
    bad: withSettings({ prefix: 'prefix=/usr/local' }),
    good: withSetting('prefix', 'prefix=/opt/local'),
  },
  { name: 'pkgdb=/var', code: 'dangerous-path', severity: 'error', bad: withSetting('pkgdb', 'pkgdb=/var/'), good: BASE },
  {
    name: 'target_destdir=/ when cross-compiling',
    code: 'dangerous-path',
    severity: 'error',
    bad: withSettings({ cross_compile: 'cross_compile=yes', target_destdir: 'target_destdir=/' }),
    good: withSettings({ target_destdir: 'target_destdir=/' }),
  },
  { name: 'relative bulklog', code: 'relative-path', severity: 'error', bad: withSettings({ bulklog: 'bulklog=bulk/log' }), good: BASE },
  { name: 'relative tool path', code: 'relative-path', severity: 'warning', bad: withSetting('tar', 'tar=bin/tar'), good: withSetting('tar', 'tar=tar') },
  {
    name: 'pkg tools inside the prefix',
    code: 'wiped-path',
    severity: 'error',
    bad: withSetting('pkg_add', 'pkg_add=/usr/pkg/sbin/pkg_add'),
    good: BASE,
    says: 'must NOT be inside',
  },
  { name: 'pbulk programs inside the prefix', code: 'wiped-path', severity: 'error', bad: withSetting('prefix', 'prefix=/usr/pbulk'), good: BASE },
  {
    name: 'packages inside the bulklog',
    code: 'wiped-path',
    severity: 'error',
    bad: withSetting('packages', 'packages=/bulk/bulklog/packages'),
    good: BASE,
    says: 'rm -rf ${bulklog}/*',
  },
  {
    name: 'bmake inside the prefix without a bootstrap kit',
    code: 'wiped-path',
    severity: 'error',
    bad: withSetting('bootstrapkit', 'bootstrapkit='),
    good: withSettings({ bootstrapkit: 'bootstrapkit=', make: 'make=/usr/bin/make' }),
    says: 'no kit to restore bmake from',
    line: lineOf(BASE, 'make='),
  },
  {
    name: 'installed pbulk inside the prefix',
    code: 'wiped-path',
    severity: 'error',
    bad: BASE,
    good: BASE,
    ctx: { pbulkVersion: { version: '0.68', source: 'detected', prefix: '/usr/pkg', file: '/usr/pkg/share/examples/pbulk/pbulk.conf' } },
    says: 'pbulk itself',
  },
  // existence
  {
    name: 'missing pkgsrc tree',
    code: 'path-missing',
    severity: 'warning',
    bad: BASE,
    good: BASE,
    ctx: { probe: fakeProbe({ missing: ['/usr/pkgsrc'] }) },
    says: '/usr/pkgsrc does not exist',
  },
  {
    name: 'pkgsrc without mk/',
    code: 'path-missing',
    severity: 'warning',
    bad: BASE,
    good: BASE,
    ctx: { probe: fakeProbe({ missing: ['/usr/pkgsrc/mk'] }) },
    says: 'not a pkgsrc tree',
  },
  {
    name: 'missing bootstrap kit is silently ignored by pbulk',
    code: 'path-missing',
    severity: 'warning',
    bad: BASE,
    good: BASE,
    ctx: { probe: fakeProbe({ missing: ['/bulk/bootstrap.tar.gz'] }) },
    says: 'silently',
  },
  {
    name: 'tool not executable',
    code: 'path-missing',
    severity: 'warning',
    bad: BASE,
    good: BASE,
    ctx: { probe: fakeProbe({ notExecutable: ['/usr/pbulk/bin/pbulk-scan'] }) },
    says: 'not an executable',
  },
  {
    name: 'missing limited_list',
    code: 'path-missing',
    severity: 'warning',
    bad: BASE + 'limited_list=/bulk/limited_list\n',
    good: BASE + 'limited_list=/bulk/limited_list\n',
    ctx: { probe: fakeProbe({ missing: ['/bulk/limited_list'] }) },
  },
  {
    name: 'missing target_destdir when cross-compiling',
    code: 'path-missing',
    severity: 'warning',
    bad: withSettings({ cross_compile: 'cross_compile=yes', target_destdir: 'target_destdir=/usr/src/destdir-vax' }),
    good: withSettings({ cross_compile: 'cross_compile=yes', target_destdir: 'target_destdir=/usr/src/destdir-vax' }),
    ctx: { probe: fakeProbe({ missing: ['/usr/src/destdir-vax'] }) },
    goodCtx: {},
    says: 'pre-build stops',
  },
  {
    name: 'missing packages directory',
    code: 'path-missing',
    severity: 'warning',
    bad: BASE,
    good: BASE,
    ctx: { probe: fakeProbe({ missing: ['/bulk/packages'] }) },
    says: 'packages: /bulk/packages does not exist',
  },
  { name: 'missing bulklog parent', code: 'path-missing', severity: 'warning', bad: BASE, good: BASE, ctx: { probe: fakeProbe({ missing: ['/bulk'] }) } },
  {
    name: 'pbulk not installed: one note, which pkgsrc-bulk does not need',
    code: 'pbulk-not-installed',
    severity: 'information',
    bad: withSettings({ chroot_dir: 'chroot_dir=/chroot/pkgsrc' }),
    good: BASE,
    ctx: { probe: fakeProbe({ missing: ['/usr/pbulk'] }) },
    goodCtx: {},
    says: 'pbulk is not installed on this machine (/usr/pbulk does not exist): only pbulk runs the',
  },
  // settings
  {
    name: 'loc away from the bulklog',
    code: 'loc-not-bulklog-meta',
    severity: 'warning',
    bad: withSetting('loc', 'loc=/var/tmp/meta'),
    good: withSetting('loc', 'loc=/bulk/bulklog/meta/'),
    fixed: (t) => assert.match(t, /^loc=\$\{bulklog\}\/meta$/m),
  },
  {
    name: 'loc computed before bulklog changed',
    code: 'loc-not-bulklog-meta',
    severity: 'warning',
    bad: BASE + 'bulklog=/bulk/other\n',
    good: BASE,
    says: 'earlier value',
  },
  {
    name: 'settings ignored by limited builds',
    code: 'ignored-in-limited-build',
    severity: 'information',
    bad: withSetting('reuse_scan_results', 'reuse_scan_results=yes') + 'limited_list=/bulk/limited_list\n',
    good: withSetting('reuse_scan_results', 'reuse_scan_results=yes'),
  },
  {
    name: 'ignore_missing_dependencies in a limited build',
    code: 'ignored-in-limited-build',
    severity: 'information',
    bad: withSetting('ignore_missing_dependencies', 'ignore_missing_dependencies=yes') + 'limited_list=/bulk/limited_list\n',
    good: BASE + 'limited_list=/bulk/limited_list\n',
  },
  { name: 'rsync=: disables publishing', code: 'publishing-disabled', severity: 'information', bad: withSetting('rsync', 'rsync=:'), good: BASE },
  {
    name: 'mail=: disables the report mail',
    code: 'publishing-disabled',
    severity: 'information',
    bad: withSetting('mail', 'mail=:'),
    good: withSetting('mail', 'mail=/usr/bin/true'),
    says: 'mailing',
  },
  {
    name: 'client list left at the example hosts in master mode',
    code: 'example-value',
    severity: 'warning',
    bad: master({ build_clients: 'build_clients="192.168.75.21 192.168.75.22"' }),
    good: withSetting('build_clients', 'build_clients="192.168.75.21 192.168.75.22"'),
    says: 'ssh to those hosts',
  },
  {
    name: 'report target left at the example',
    code: 'example-value',
    severity: 'warning',
    bad: withSetting('report_rsync_target', 'report_rsync_target="pkgsrc@192.168.75.1:/public/reports/current/DragonFly-1.8"'),
    good: withSettings({ report_rsync_target: 'report_rsync_target="pkgsrc@192.168.75.1:/public/reports/current/DragonFly-1.8"', rsync: 'rsync=:' }),
  },
  {
    name: 'report mailed to the NetBSD list',
    code: 'example-value',
    severity: 'warning',
    bad: withSetting('report_recipients', 'report_recipients="pkgsrc-bulk@netbsd.org"'),
    good: withSettings({ report_recipients: 'report_recipients="pkgsrc-bulk@netbsd.org"', mail: 'mail=:' }),
  },
  {
    name: 'cross-compiling without target_arch',
    code: 'cross-compile',
    severity: 'error',
    bad: withSettings({ cross_compile: 'cross_compile=yes', target_arch: 'target_arch=' }),
    good: withSettings({ cross_compile: 'cross_compile=yes' }),
  },
  {
    name: 'cross-compiling without target_destdir',
    code: 'cross-compile',
    severity: 'error',
    bad: withSettings({ cross_compile: 'cross_compile=yes', target_destdir: null }),
    good: withSettings({ target_destdir: null }),
  },
  {
    name: 'chroot_create without chroot_dir',
    code: 'chroot-settings',
    severity: 'warning',
    bad: withSettings({ ...chroots, chroot_dir: null }),
    good: withSettings(chroots),
    says: 'need chroot_dir',
  },
  {
    name: 'chroots without build_chroots',
    code: 'chroot-settings',
    severity: 'error',
    bad: withSettings({ ...chroots, build_chroots: null }),
    good: withSettings(chroots),
    says: '-gt 1',
  },
  {
    name: 'chroots without chroot_delete',
    code: 'chroot-settings',
    severity: 'warning',
    bad: withSettings({ ...chroots, chroot_delete: null }),
    good: withSettings(chroots),
    says: 'left behind',
  },
  { name: 'build_chroots alone has no effect', code: 'chroot-settings', severity: 'information', bad: BASE + 'build_chroots=4\n', good: BASE },
  {
    name: 'chroot_dir alone: pbulk ignores it, the engine names its sandboxes after it',
    code: 'chroot-settings',
    severity: 'information',
    bad: withSettings({ chroot_dir: 'chroot_dir=/chroot/pkgsrc' }),
    good: withSettings(chroots),
    says: 'pbulk itself ignores chroot_dir',
  },
  {
    name: 'chroot_delete without chroot_create',
    code: 'chroot-settings',
    severity: 'warning',
    bad: withSettings({ chroot_dir: 'chroot_dir=/chroot/pkgsrc', chroot_delete: 'chroot_delete=/usr/pbulk/libexec/rmsandbox' }),
    good: withSettings(chroots),
    says: 'refuses to start',
  },
  {
    name: 'scan_procs and scan_chroots both set',
    code: 'chroot-settings',
    severity: 'warning',
    bad: withSettings(chroots) + 'scan_procs=2\nscan_chroots=2\n',
    good: withSettings(chroots) + 'scan_procs=2\n',
    says: 'older name',
  },
  {
    name: 'chroots in master mode no are never created',
    code: 'chroot-settings',
    severity: 'warning',
    bad: withSettings({ ...chroots, master_mode: 'master_mode=no' }),
    good: withSettings(chroots),
    says: 'only in master mode',
  },
  // references
  {
    name: 'reference before assignment',
    code: 'use-before-assignment',
    severity: 'error',
    bad: 'make=${prefix}/bin/bmake\n' + withSetting('make', null),
    good: BASE,
    says: 'used before it is assigned',
  },
  {
    name: 'reference to a never-set variable',
    code: 'unset-reference',
    severity: 'warning',
    bad: withSetting('make', 'make=${prefx}/bin/bmake'),
    good: withSetting('make', 'make=${prefx:-/usr/pkg}/bin/bmake'),
    says: 'Did you mean prefix?',
    fixed: (t) => assert.match(t, /^make=\$\{prefix\}\/bin\/bmake$/m),
  },
  {
    name: 'reference after unset',
    code: 'unset-reference',
    severity: 'warning',
    bad: withSetting('make', 'unset prefix; make=${prefix}/bin/bmake'),
    good: BASE,
    says: 'unset above',
  },
  // structure
  {
    name: 'variable assigned twice',
    code: 'duplicate-assignment',
    severity: 'information',
    bad: BASE + 'keep_prefix=yes\n',
    good: BASE + 'PATH="$PATH:/usr/pbulk/bin"\nPATH="$PATH:/usr/pkg/bin"\n',
    fixed: (t) => assert.equal(t.match(/^keep_prefix=/gm)!.length, 1),
  },
  {
    name: 'settings pbulk needs are missing',
    code: 'missing-variable',
    severity: 'error',
    bad: withSettings({ pkgsrc: null, pscan: null }),
    good: BASE,
    says: 'pkgsrc, pscan',
    fixed: (t) => assert.match(t, /^pkgsrc=\/usr\/pkgsrc$/m),
  },
  {
    name: 'start scripts only needed in master mode',
    code: 'missing-variable',
    severity: 'error',
    bad: withSetting('pscan_start_script', null, master()),
    good: withSetting('pscan_start_script', null),
  },
  {
    name: 'blanks around =',
    code: 'spaces-around-equals',
    severity: 'error',
    bad: withSetting('prefix', 'prefix = /usr/pkg'),
    good: BASE,
    fixed: (t) => assert.match(t, /^prefix=\/usr\/pkg$/m),
  },
  {
    name: 'unquoted value with blanks',
    code: 'assignment-with-command',
    severity: 'error',
    bad: withSetting('gzip', 'gzip=/usr/bin/gzip -nf -9'),
    good: BASE,
    says: 'Quote the value',
    fixed: (t) => assert.match(t, /^gzip="\/usr\/bin\/gzip -nf -9"$/m),
  },
  {
    name: 'blank after =',
    code: 'assignment-with-command',
    severity: 'error',
    bad: withSetting('prefix', 'prefix= /usr/pkg'),
    good: BASE,
    fixed: (t) => assert.match(t, /^prefix=\/usr\/pkg$/m),
  },
  {
    name: 'bad ulimit value',
    code: 'ulimit-arguments',
    severity: 'warning',
    bad: BASE + 'ulimit -t one-hour\n',
    good: BASE + 'ulimit -t 3600\nulimit -v unlimited\n',
  },
  // syntax, reported by the parser through checkConf
  { name: 'unterminated quote', code: 'unterminated-quote', severity: 'error', bad: BASE + 'report_subject_prefix="pkgsrc\n', good: BASE },
  {
    name: 'if without fi',
    code: 'unbalanced-construct',
    severity: 'error',
    bad: BASE + 'if true; then\n  keep_prefix=yes\n',
    good: BASE + 'if true; then\n  keep_prefix=yes\nfi\n',
  },
  { name: 'stray fi', code: 'syntax-error', severity: 'error', bad: BASE + 'fi\n', good: BASE },
  { name: 'bad substitution', code: 'bad-substitution', severity: 'error', bad: BASE + 'x=${a b}\n', good: BASE },
  {
    name: 'CRLF line ends',
    code: 'crlf-line-ends',
    severity: 'error',
    bad: BASE.replace(/\n/g, '\r\n'),
    good: BASE,
    fixed: (t) => assert.ok(!t.includes('\r')),
  },
  { name: 'NUL bytes', code: 'binary-content', severity: 'error', bad: BASE + 'x=\0\0\n', good: BASE },
  { name: 'byte order mark', code: 'byte-order-mark', severity: 'error', bad: '\ufeff' + BASE, good: BASE, fixed: (t) => assert.equal(t, BASE) },
  { name: 'no-break space in a value', code: 'odd-whitespace', severity: 'warning', bad: withSetting('prefix', 'prefix=/usr/pkg\u00a0'), good: BASE },
];

for (const c of cases) {
  test(`${c.code}: ${c.name}`, () => {
    const bad = lint(c.bad, c.ctx);
    const hits = only(bad, c.code).filter((d) => d.severity === c.severity);
    assert.ok(hits.length > 0, `expected ${c.severity} ${c.code}, got:\n${bad.map(formatProblem).join('\n')}`);
    const d = hits[0]!;
    if (c.says) assert.ok(d.message.includes(c.says), `message lacks '${c.says}': ${d.message}`);
    if (c.line) assert.equal(d.range.start.line + 1, c.line);
    if (c.fixed) {
      assert.ok(d.fixes && d.fixes.length > 0, `no fix on ${formatProblem(d)}`);
      c.fixed(applyEdits(c.bad, d.fixes[0]!.edits));
    }
    const good = lint(c.good, c.goodCtx ?? (c.good === c.bad ? {} : c.ctx));
    assert.deepEqual(only(good, c.code).map(formatProblem), [], 'the passing config must not trigger the check');
  });
}

test('the base config has no diagnostics at all, in master mode too', () => {
  assert.deepEqual(lint(BASE).map(formatProblem), []);
  assert.deepEqual(lint(master()).map(formatProblem), []);
});

test('every range of the case configs lies inside its document', () => {
  for (const c of cases) {
    const lines = c.bad.split(/\r\n|\r|\n/);
    for (const d of lint(c.bad, c.ctx)) {
      for (const p of [d.range.start, d.range.end]) {
        assert.ok(p.line < lines.length && p.character <= lines[p.line]!.length, `${c.name}: ${formatProblem(d)} is outside`);
      }
    }
  }
});

test('a use-before-assignment points at the later assignment', () => {
  const text = 'make=${prefix}/bin/bmake\n' + withSetting('make', null);
  const d = only(lint(text), 'use-before-assignment')[0]!;
  assert.equal(d.range.start.line, 0);
  assert.equal(d.related?.[0]?.range.start.line, lineOf(text, 'prefix=') - 1);
});

test('a duplicate assignment points at both places', () => {
  const text = BASE + 'keep_prefix=yes\n';
  const d = only(lint(text), 'duplicate-assignment')[0]!;
  assert.equal(d.range.start.line, lineOf(text, 'keep_prefix=yes') - 1);
  assert.equal(d.related?.[0]?.range.start.line, lineOf(text, 'keep_prefix=no') - 1);
});

test('without pbulk on this machine, a config for pkgsrc-bulk sandboxes has that one note and no warning', () => {
  const tools = Object.fromEntries(
    ['pkg_add', 'pkg_admin', 'pkg_delete', 'pkg_info', 'digest', 'neato', 'client_prepare', 'client_prepare_action', 'chroot_script'].map((n) => [
      n,
      `${n}=/opt/tools/sbin/${n}`,
    ]),
  );
  const conf = withSettings({ ...tools, chroot_dir: 'chroot_dir=/chroot/pkgsrc' });
  const ds = lint(conf, { probe: fakeProbe({ missing: ['/usr/pbulk'] }) });
  assert.deepEqual(
    ds.map((d) => `${d.severity} ${d.code}`),
    ['information pbulk-not-installed'],
  );
  assert.match(ds[0]!.message, /sandboxes of its own named after chroot_dir/);
  assert.ok((ds[0]!.related?.length ?? 0) >= 14, 'the other programs as related information');
  // The tools pkgsrc-bulk runs are still checked when they share the missing directory.
  const shared = lint(withSettings({ chroot_dir: 'chroot_dir=/chroot/pkgsrc' }), { probe: fakeProbe({ missing: ['/usr/pbulk'] }) });
  assert.ok(shared.some((d) => d.code === 'path-missing' && d.severity === 'warning' && /pkg_add/.test(d.message)));
  // With pbulk installed, chroot_dir alone gets the note about pbulk ignoring it instead.
  assert.deepEqual(
    lint(withSettings({ chroot_dir: 'chroot_dir=/chroot/pkgsrc' })).map((d) => d.code),
    ['chroot-settings'],
  );
  assert.deepEqual(
    lint(conf).map((d) => d.code),
    ['chroot-settings'],
  );
});

test('existence checks can be turned off', () => {
  assert.deepEqual(codes(lint(BASE, { probe: fakeProbe({ missing: ['/usr'] }), checkExistence: false })), []);
});

test('a sourced file keeps unset references and missing settings quiet', () => {
  const ds = lint('. /etc/pbulk-common.conf\nmake=${prefix}/bin/bmake\n');
  assert.deepEqual(only(ds, 'unset-reference'), []);
  assert.deepEqual(only(ds, 'missing-variable'), []);
});

test('dynamic values are not checked as if they were known', () => {
  const ds = lint(withSetting('bulklog', 'bulklog=$(cat /etc/bulklog-dir)'));
  assert.deepEqual(only(ds, 'dangerous-path'), []);
  assert.deepEqual(only(ds, 'loc-not-bulklog-meta'), []);
});

test('values set inside if/case are dynamic, not wrong', () => {
  const text = withSetting('prefix', 'case "$(uname -s)" in\nDarwin) prefix=/opt/pkg ;;\n*) prefix=/usr/pkg ;;\nesac');
  const ds = lint(text);
  assert.deepEqual(ds.map(formatProblem), []);
});

test('every code of these cases is documented in checkCodes', () => {
  const documented = new Set(checkCodes.map((c) => c.code));
  for (const c of cases) assert.ok(documented.has(c.code), c.code);
});

test('chroot_dir alone is never a warning or an error, whatever the other chroot counts', () => {
  for (const extra of ['', 'build_chroots=4\n', 'scan_procs=8\n']) {
    const ds = only(lint(withSettings({ chroot_dir: 'chroot_dir=/chroot/pkgsrc' }) + extra), 'chroot-settings');
    assert.ok(ds.length > 0);
    assert.deepEqual(ds.filter((d) => d.severity !== 'information').map(formatProblem), []);
    assert.equal(ds.length, 1, ds.map(formatProblem).join('\n'));
    assert.match(ds[0]!.message, /N from build_chroots/);
  }
});
