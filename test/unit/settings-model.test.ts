// The settings form's model: the groups the form shows, values as written and as sh expands
// them, read-only settings and lines with where they are, and the language server's diagnostics
// placed on the setting they are about. Also the page itself: a strict CSP and nothing external.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { allVariables, checkConf, evaluateConf, parseConf } from '../../src/pkgsrc/conf/index';
import { placeProblems, settingsModel, type SettingRow, type SettingsModel } from '../../src/extension/settings/model';
import { BASE, context, withSettings } from './conf-helpers';

function modelOf(text: string): { model: SettingsModel; rows: Map<string, SettingRow> } {
  const doc = parseConf(text, '/etc/pbulk.conf');
  const ev = evaluateConf(doc);
  const model = settingsModel(doc, ev);
  const problems = checkConf(doc, ev, context()).map((d) => ({
    severity: d.severity,
    message: d.message,
    code: d.code,
    line: d.range.start.line,
    fixes: [],
    range: d.range,
    ...(d.variables ? { variables: d.variables } : {}),
  }));
  placeProblems(doc, model, problems);
  const rows = new Map<string, SettingRow>();
  for (const g of model.groups) for (const r of g.rows) rows.set(r.name, r);
  return { model, rows };
}

test('the groups of the issue, each setting once, paths in the order of the issue', () => {
  const { model, rows } = modelOf(BASE);
  assert.deepEqual(
    model.groups.map((g) => g.id),
    ['paths', 'mode', 'sandboxes', 'reports', 'tools', 'advanced'],
  );
  const group = (id: string) => model.groups.find((g) => g.id === id)!.rows.map((r) => r.name);
  assert.deepEqual(group('paths').slice(0, 7), ['pkgsrc', 'bulklog', 'packages', 'prefix', 'pkgdb', 'bootstrapkit', 'limited_list']);
  assert.equal(group('mode')[0], 'master_mode');
  for (const n of ['scan_clients', 'build_clients', 'master_port_scan', 'master_port_build']) assert.ok(group('mode').includes(n), n);
  for (const n of ['chroot_dir', 'chroot_create', 'chroot_delete', 'build_chroots', 'scan_procs']) assert.ok(group('sandboxes').includes(n), n);
  for (const n of ['report_recipients', 'pkg_rsync_target', 'base_url']) assert.ok(group('reports').includes(n), n);
  for (const n of ['make', 'pkg_add', 'pbuild', 'gzip']) assert.ok(group('tools').includes(n), n);
  for (const n of ['config_version', 'keep_wrkdir', 'cross_compile']) assert.ok(group('advanced').includes(n), n);
  // Every schema variable but the internal and obsolete ones, exactly once.
  const shown = model.groups.flatMap((g) => g.rows.map((r) => r.name));
  assert.equal(new Set(shown).size, shown.length);
  for (const v of allVariables()) assert.equal(rows.has(v.name), !v.internal && v.section !== 'Obsolete', v.name);
  assert.equal(rows.get('master_mode')!.control, 'boolean');
  assert.equal(rows.get('build_chroots')!.control, 'integer');
  assert.equal(rows.get('bulklog')!.pick, 'folder');
  assert.equal(rows.get('limited_list')!.pick, 'file');
  assert.equal(rows.get('bootstrapkit')!.pick, 'either');
});

test('value as written, effective value, absent settings with what pbulk then does', () => {
  const { rows } = modelOf(BASE);
  const make = rows.get('make')!;
  assert.deepEqual([make.state, make.value, make.effective], ['editable', '${prefix}/bin/bmake', { kind: 'value', value: '/usr/pkg/bin/bmake' }]);
  assert.equal(rows.get('gzip')!.value, '/usr/bin/gzip -nf -9');
  const limited = rows.get('limited_list')!;
  assert.equal(limited.state, 'absent');
  assert.equal(limited.effective.kind, 'unset');
  assert.match(limited.effective.kind === 'unset' ? (limited.effective.note ?? '') : '', /full build/);
  assert.ok(limited.doc.length > 20 && limited.example);
});

test('what the form cannot edit is read-only with its lines; conditionals and functions are listed', () => {
  const text =
    withSettings({ bulklog: null, pkgsrc: 'pkgsrc=$(pwd)/pkgsrc' }) +
    'if [ -d /bulk ]; then\n  bulklog=/bulk/log\nfi\nsync_package() {\n  :\n}\nmy_base=/bulk\n';
  const { model, rows } = modelOf(text);
  const bulklog = rows.get('bulklog')!;
  assert.equal(bulklog.state, 'readonly');
  assert.match(bulklog.reason!, /inside an if/);
  assert.equal(bulklog.written, '  bulklog=/bulk/log');
  assert.equal(bulklog.effective.kind, 'dynamic');
  const pkgsrc = rows.get('pkgsrc')!;
  assert.deepEqual([pkgsrc.state, pkgsrc.written], ['readonly', 'pkgsrc=$(pwd)/pkgsrc']);
  assert.deepEqual(
    model.opaque.map((o) => o.what),
    ['if', 'function sync_package'],
  );
  // The file's own variables are in advanced, editable.
  const own = rows.get('my_base')!;
  assert.deepEqual([own.group, own.known, own.state, own.value], ['advanced', false, 'editable', '/bulk']);
});

test('diagnostics go to the setting they are about, a missing one too', () => {
  const lines = BASE.split('\n');
  const { rows } = modelOf(withSettings({ bulklog: 'bulklog=/', prefix: null, tar: null }));
  const bulklog = rows.get('bulklog')!;
  assert.ok(
    bulklog.problems.some((p) => p.code === 'dangerous-path' && p.severity === 'error' && /rm -rf/.test(p.message)),
    JSON.stringify(bulklog.problems),
  );
  // "prefix is not set" hangs on line 1, which holds another setting: it still lands on prefix.
  assert.ok(
    rows.get('prefix')!.problems.some((p) => p.code === 'dangerous-path'),
    JSON.stringify(rows.get('prefix')!.problems),
  );
  // The one missing setting is on its own row, though unset.
  assert.ok(
    rows.get('tar')!.problems.some((p) => p.code === 'missing-variable'),
    JSON.stringify(rows.get('tar')!.problems),
  );
  assert.equal(rows.get(lines[1]!.split('=')[0]!)!.problems.length, 0);
});

test('the variables a diagnostic names decide its row; several or none leave it to the file or the guess', () => {
  const text = withSettings({});
  const doc = parseConf(text, '/etc/pbulk.conf');
  const model = settingsModel(doc, evaluateConf(doc));
  const line = text.split('\n').findIndex((l) => l.startsWith('bulklog='));
  const at = { start: { line, character: 0 }, end: { line, character: 3 } };
  const p = (message: string, variables?: string[]) => ({
    severity: 'error' as const,
    message,
    line,
    fixes: [],
    range: at,
    ...(variables ? { variables } : {}),
  });
  placeProblems(doc, model, [
    p('an odd message on the bulklog line', ['packages']),
    p('pbulk needs settings this file does not set: tar, gzip', ['tar', 'gzip']),
    p('prefix and make disagree', ['make', 'prefix']),
    p('about the bulklog line, with no variables'),
    p('about a variable the form does not show', ['no_such_form_row_x']),
  ]);
  const row = (n: string) =>
    model.groups
      .flatMap((g) => g.rows)
      .find((r) => r.name === n)!
      .problems.map((q) => q.message);
  assert.deepEqual(row('packages'), ['an odd message on the bulklog line']);
  assert.deepEqual(row('prefix'), ['prefix and make disagree']);
  assert.deepEqual(row('bulklog'), ['about the bulklog line, with no variables']);
  assert.deepEqual(
    model.problems.map((q) => q.message),
    ['pbulk needs settings this file does not set: tar, gzip', 'about a variable the form does not show'],
  );
});

test('the page: strict CSP with a nonce, nothing external, no inline code or markup from strings', () => {
  const media = resolve(__dirname, '../../media/settings');
  const html = readFileSync(resolve(media, 'settings.html'), 'utf8');
  const js = readFileSync(resolve(media, 'settings.js'), 'utf8');
  const css = readFileSync(resolve(media, 'settings.css'), 'utf8');
  assert.match(
    html,
    /Content-Security-Policy" content="default-src 'none'; style-src \{\{cspSource\}\}; font-src \{\{cspSource\}\}; script-src 'nonce-\{\{nonce\}\}';"/,
  );
  assert.match(html, /<script nonce="\{\{nonce\}\}" src="\{\{scriptUri\}\}"><\/script>/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.doesNotMatch(html, /style=|<style/);
  for (const [name, text] of [
    ['html', html],
    ['js', js],
    ['css', css],
  ] as const)
    assert.doesNotMatch(text, /https?:\/\//, `${name} names an external resource`);
  assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|eval\(|new Function/);
  // Every input is labelled.
  assert.match(js, /el\('label', \{ id: `label-\$\{name\}`, for: `input-\$\{name\}`/);
});
