// A pbulk.conf finding names the variables it is about (ConfDiagnostic.variables), whatever its
// message starts with: the engine refuses those variables' values on it, never on the wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPbulkConf } from '../../src/pkgsrc/conf/index';
import { formatProblem } from '../../src/pkgsrc/problem';
import { BASE, lint, withSetting, withSettings } from './conf-helpers';

const master = (extra: Record<string, string | null>) => withSettings({ master_mode: 'master_mode=yes', ...extra });

/** Broken configs, each with the finding it must give and the variables that finding names. */
const cases: { name: string; text: string; code: string; variables: string[] }[] = [
  { name: 'a placeholder in pbuild', text: withSetting('pbuild', 'pbuild=@PREFIX@/bin/pbulk-build'), code: 'placeholder', variables: ['pbuild'] },
  {
    name: 'a placeholder inside a case',
    text: withSetting('packages', 'case "$(uname -s)" in\n*) packages=@PACKAGES@ ;;\nesac'),
    code: 'placeholder',
    variables: ['packages'],
  },
  { name: 'master mode without master_port_build', text: master({ master_port_build: null }), code: 'master-port', variables: ['master_port_build'] },
  {
    name: 'a master port pbulk cannot parse',
    text: master({ master_port_scan: 'master_port_scan=master.example.org:2001' }),
    code: 'master-port',
    variables: ['master_port_scan'],
  },
  { name: 'a relative bulklog', text: withSetting('bulklog', 'bulklog=bulk/log'), code: 'relative-path', variables: ['bulklog'] },
  { name: 'a relative pkgsrc', text: withSetting('pkgsrc', 'pkgsrc=usr/pkgsrc'), code: 'relative-path', variables: ['pkgsrc'] },
  { name: 'a build_chroots that is no number', text: BASE + 'build_chroots=two\n', code: 'integer-value', variables: ['build_chroots'] },
  {
    name: 'a system directory as prefix',
    text: withSettings({ prefix: 'prefix=/usr', pkgdb: 'pkgdb=/var/db/pkg' }),
    code: 'dangerous-path',
    variables: ['prefix'],
  },
  { name: 'an empty bulklog', text: withSetting('bulklog', 'bulklog='), code: 'dangerous-path', variables: ['bulklog'] },
  { name: 'keep_wrkdir=YES', text: withSetting('keep_wrkdir', 'keep_wrkdir=YES'), code: 'boolean-value', variables: ['keep_wrkdir'] },
  { name: 'cross_compile unset', text: withSetting('cross_compile', null), code: 'boolean-value', variables: ['cross_compile'] },
  {
    name: 'several required settings missing',
    text: withSettings({ pkg_add: null, pkg_info: null, make: null }),
    code: 'missing-variable',
    variables: ['pkg_add', 'pkg_info', 'make'],
  },
  { name: 'config_version unset', text: withSetting('config_version', null), code: 'config-version', variables: ['config_version'] },
  { name: 'pkg_add inside the prefix', text: withSetting('pkg_add', 'pkg_add=/usr/pkg/sbin/pkg_add'), code: 'wiped-path', variables: ['pkg_add'] },
  {
    name: 'make in the prefix without a kit',
    text: withSetting('bootstrapkit', 'bootstrapkit='),
    code: 'wiped-path',
    variables: ['make', 'bootstrapkit'],
  },
  { name: 'blanks around =', text: withSetting('pkgsrc', 'pkgsrc = /usr/pkgsrc'), code: 'spaces-around-equals', variables: ['pkgsrc'] },
  { name: 'a blank after =', text: withSetting('packages', 'packages= /bulk/packages'), code: 'assignment-with-command', variables: ['packages'] },
  { name: 'an unquoted value with a blank', text: withSetting('gzip', 'gzip=/usr/bin/gzip -nf -9'), code: 'assignment-with-command', variables: ['gzip'] },
  {
    name: 'a reference before the assignment',
    text: 'packages=${root}/packages\n' + withSetting('packages', null) + 'root=/bulk\n',
    code: 'use-before-assignment',
    variables: ['root', 'packages'],
  },
  { name: 'a misspelt variable', text: BASE + 'bulklgo=/bulk/bulklog\n', code: 'unknown-variable', variables: ['bulklgo'] },
  { name: 'loc outside the bulklog', text: withSetting('loc', 'loc=/bulk/meta'), code: 'loc-not-bulklog-meta', variables: ['loc'] },
  {
    name: 'cross_compile=yes without target_arch',
    text: withSettings({ cross_compile: 'cross_compile=yes', target_arch: null }),
    code: 'cross-compile',
    variables: ['target_arch'],
  },
];

/** Findings about no variable: syntax, and ulimit's arguments. */
const ABOUT_NO_VARIABLE = new Set(['ulimit-arguments', 'syntax-error', 'unterminated-quote', 'unbalanced-construct', 'crlf-line-ends', 'binary-content']);

for (const c of cases) {
  test(`${c.code}: ${c.name} names ${c.variables.join(', ')}`, () => {
    const ds = lint(c.text);
    const hits = ds.filter((d) => d.code === c.code);
    assert.ok(hits.length > 0, `no ${c.code} in:\n${ds.map(formatProblem).join('\n')}`);
    assert.deepEqual(hits[0]!.variables, c.variables, formatProblem(hits[0]!));
    // Every other finding of the config that concerns a variable names one the file can have.
    for (const d of ds) {
      if (ABOUT_NO_VARIABLE.has(d.code)) continue;
      assert.ok(d.variables && d.variables.length > 0, `no variables on ${formatProblem(d)}`);
      for (const v of d.variables) assert.match(v, /^[A-Za-z_][A-Za-z0-9_]*$/, formatProblem(d));
    }
  });
}

test('findings about no variable name none', () => {
  const ds = lint(BASE + 'ulimit -t lots\n');
  const d = ds.find((x) => x.code === 'ulimit-arguments');
  assert.ok(d, ds.map(formatProblem).join('\n'));
  assert.equal(d.variables, undefined);
});

test('the variables reach what loadPbulkConf returns', async (t) => {
  const dir = mkdtempSync('/var/tmp/pkgsrc-bulk-conf-variables-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'pbulk.conf');
  writeFileSync(file, withSettings({ pbuild: 'pbuild=@PREFIX@/bin/pbulk-build', build_chroots: 'build_chroots=0' }));
  const conf = await loadPbulkConf(file, { checkExistence: false });
  const about = (code: string) => conf.problems.find((p) => p.code === code)?.variables;
  assert.deepEqual([about('placeholder'), about('integer-value')], [['pbuild'], ['build_chroots']]);
});
