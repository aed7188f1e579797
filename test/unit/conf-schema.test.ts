// The variable table: complete against the example configs, consistent, and faithful to how
// the pbulk scripts parse booleans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allVariables, booleanMeaning, evaluateConf, knownIn, parseConf, variableInfo, variableMarkdown, variableSpec } from '../../src/pkgsrc/conf/index';
import { sharedConfs } from '../fixtures/reference-data';

/** The variables pbulk 0.51's example config (pbulk.conf 1.18, 2012) sets, in its order. */
const EXAMPLE_0_51 = [
  'config_version',
  'base_url',
  'reuse_scan_results',
  'master_mode',
  'master_ip',
  'scan_clients',
  'build_clients',
  'master_port_scan',
  'master_port_build',
  'pkg_rsync_args',
  'pkg_rsync_target',
  'report_rsync_args',
  'report_rsync_target',
  'report_subject_prefix',
  'report_recipients',
  'bootstrapkit',
  'ignore_missing_dependencies',
  'skip_age_check',
  'report_graph_script_limit',
  'unprivileged_user',
  'cross_compile',
  'target_arch',
  'target_destdir',
  'bulklog',
  'packages',
  'prefix',
  'pkgsrc',
  'pkgdb',
  'varbase',
  'pkg_info',
  'pkg_add',
  'pkg_delete',
  'bzip2',
  'digest',
  'gzip',
  'make',
  'mail',
  'neato',
  'rsync',
  'sed',
  'tar',
  'loc',
  'pbuild',
  'presolve',
  'pscan',
  'keep_wrkdir',
  'keep_prefix',
  'pkg_up_to_date_script',
  'pbuild_script',
  'pbuild_start_script',
  'pscan_prepare',
  'pscan_start_script',
  'report_script',
  'report_html_script',
  'report_txt_script',
  'report_graph_script',
  'packages_script',
  'script_phase_pre_build',
  'script_phase_build',
  'script_phase_report',
  'script_phase_scan',
  'script_phase_upload',
];

test("the list above is what pbulk 0.51's installed example sets", { skip: sharedConfs.skip }, () => {
  const text = sharedConfs.read('pbulk-0.51-installed.conf');
  assert.deepEqual([...evaluateConf(parseConf(text, 'f')).variables.keys()], EXAMPLE_0_51);
});

test('every variable of the 2013 example config is in the schema', () => {
  const names = EXAMPLE_0_51;
  assert.equal(names.length, 62);
  for (const n of names) {
    const v = variableInfo(n);
    assert.ok(v, `${n} missing`);
    assert.ok(knownIn(v, '0.51'), `${n} should be known in 0.51`);
  }
  // And the commented-out one.
  assert.ok(variableInfo('limited_list'));
});

test('every variable of the current example config, the unlisted ones and the chroot ones', () => {
  // pbulk.conf 1.27/1.28 (2024/2025) as listed in pbulk-reference §1.4.
  const current = [
    'chroot_create',
    'chroot_delete',
    'chroot_dir',
    'build_chroots',
    'scan_procs',
    'use_unprivileged_checksum',
    'pkg_admin',
    'client_prepare',
    'client_prepare_action',
    'client_prepare_chroot',
    'chroot_script',
    'sync_buildlog',
    'sync_package',
    'pkg_sufx',
    'xz',
    'client_clean_local',
  ];
  const unlisted = ['checksum_packages', 'local_bulklog', 'report_platform', 'scan_chroots'];
  for (const n of [...current, ...unlisted]) {
    const v = variableInfo(n);
    assert.ok(v, `${n} missing`);
    assert.ok(knownIn(v, '0.68'), `${n} known in 0.68`);
  }
  for (const n of ['chroot_create', 'chroot_delete', 'chroot_dir', 'build_chroots', 'scan_procs', 'scan_chroots', 'chroot_script']) {
    assert.equal(variableInfo(n)!.vendor, 'joyent', n);
    assert.equal(knownIn(variableInfo(n)!, '0.51'), false, n);
  }
  assert.equal(variableInfo('scan_chroots')!.aliasOf, 'scan_procs');
});

test('internal and obsolete names', () => {
  for (const n of ['use_destdir', 'usergroup_phase', 'is_bootstrap', 'pkgname', 'pkgdir', 'dependencies']) assert.equal(variableInfo(n)?.internal, true, n);
  assert.equal(variableInfo('report_recipient')!.replacement, 'report_recipients');
  assert.equal(variableInfo('external_pkg_info')!.replacement, 'pkg_info');
  assert.ok(variableInfo('pkg_install_prefix'));
  assert.ok(variableInfo('ident'));
  assert.equal(knownIn(variableInfo('report_recipient')!, '0.51'), false);
  assert.equal(variableInfo('pscan_prepare')!.replacement, 'client_prepare_action');
  assert.equal(knownIn(variableInfo('pscan_prepare')!, '0.51'), true);
  assert.equal(knownIn(variableInfo('pscan_prepare')!, '0.68'), false);
});

test('boolean parsing follows the scripts', () => {
  const parsing = (n: string) => variableInfo(n)!.boolean;
  assert.equal(parsing('reuse_scan_results'), 'yes-exact');
  assert.equal(parsing('keep_wrkdir'), 'yes-exact');
  assert.equal(parsing('keep_prefix'), 'yes-exact');
  assert.equal(parsing('skip_age_check'), 'yes-any-case');
  assert.equal(parsing('master_mode'), 'yes-or-no-strict');
  assert.equal(parsing('ignore_missing_dependencies'), 'yes-or-no-else-nothing');
  assert.equal(parsing('cross_compile'), 'not-no');
  assert.equal(parsing('use_unprivileged_checksum'), 'not-no');
  assert.equal(parsing('checksum_packages'), 'not-no-or-NO');
  const table: [Parameters<typeof booleanMeaning>[0], string, string][] = [
    ['yes-exact', 'yes', 'on'],
    ['yes-exact', 'YES', 'off'],
    ['yes-any-case', 'YES', 'on'],
    ['yes-or-no-strict', 'No', 'off'],
    ['yes-or-no-strict', 'true', 'abort'],
    ['yes-or-no-else-nothing', 'maybe', 'nothing-built'],
    ['not-no', 'NO', 'on'],
    ['not-no', '', 'on'],
    ['not-no', 'no', 'off'],
    ['not-no-or-NO', 'NO', 'off'],
    ['not-no-or-NO', 'No', 'on'],
  ];
  for (const [p, v, want] of table) assert.equal(booleanMeaning(p, v), want, `${p} ${v}`);
});

test('every row is complete and valid; the zod schema rejects a malformed row', () => {
  for (const v of allVariables()) {
    assert.ok(variableSpec.safeParse(v).success, v.name);
    assert.ok(v.doc.length > 20 && v.interpretation.length > 5, v.name);
    if (v.type === 'boolean') assert.ok(v.values?.includes('yes'), v.name);
  }
  assert.equal(variableSpec.safeParse({ name: 'x y', section: 'General', type: 'string', doc: 'too short', interpretation: '' }).success, false);
  assert.equal(new Set(allVariables().map((v) => v.name)).size, allVariables().length);
});

test('hover text carries the doc, the interpretation, an example and the versions', () => {
  const md = variableMarkdown(variableInfo('cross_compile')!);
  assert.match(md, /\*\*cross_compile\*\*/);
  assert.match(md, /NO`, `No` or an empty value turn cross-compiling ON/);
  assert.match(md, /cross_compile=no/);
  assert.match(variableMarkdown(variableInfo('chroot_dir')!), /0\.68 and later; joyent copies only/);
});
