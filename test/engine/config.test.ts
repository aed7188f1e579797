import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { limitsFromUlimits, loadEngineConfig } from '../../src/engine/config/load';
import { defaultSettings, parseSettings, SettingsError } from '../../src/engine/config/settings';
import type { ConfDiagnostic } from '../../src/pkgsrc/conf';
import { formatProblem } from '../../src/pkgsrc/problem';
import { ownConf, sharedConfs } from '../fixtures/reference-data';
import { makeWorkspace, workspaceConfig } from './harness';

test("a site config loads with pbulk's meanings; an unsubstituted template does not", async () => {
  const site = await loadEngineConfig(ownConf('site.pbulk.conf'), defaultSettings());
  assert.ok(site.config, site.problems.map(formatProblem).join('\n'));
  assert.deepEqual(site.config.make, ['/usr/pkg/bin/bmake']);
  assert.equal(site.config.metaDir, '/data/bulklog/meta');
  assert.equal(site.config.keepWrkdir, false);
  assert.deepEqual(site.config.limits, { cpuSeconds: 3600 });
  assert.equal(site.config.buildChroots, 4);
  assert.equal(site.config.limitedList, '/data/lists/desktop');
  const template = await loadEngineConfig(ownConf('template.pbulk.conf'), defaultSettings());
  assert.equal(template.config, undefined);
  assert.ok(template.problems.some((p) => p.severity === 'error' && p.code === 'placeholder' && p.range.start.line > 0));
});

test("pbulk's example configs load with pbulk's meanings; the unsubstituted source config does not", { skip: sharedConfs.skip }, async () => {
  const inst = await loadEngineConfig(sharedConfs.file('pbulk-0.51-installed.conf'), defaultSettings());
  assert.ok(inst.config, inst.problems.map(formatProblem).join('\n'));
  assert.deepEqual(inst.config.make, ['/usr/pkg/bin/bmake']);
  assert.equal(inst.config.metaDir, '/bulklog/meta');
  const seed = await loadEngineConfig(sharedConfs.file('seed-tutorial.conf'), defaultSettings());
  assert.ok(seed.config);
  assert.deepEqual(seed.config.limits, { cpuSeconds: 3600 });
  assert.equal(seed.config.limitedList, '/content/mk/pkglist');
  const src = await loadEngineConfig(sharedConfs.file('pbulk-0.51-source.conf'), defaultSettings());
  assert.equal(src.config, undefined);
  assert.ok(src.problems.some((p) => p.severity === 'error' && p.code === 'placeholder' && p.range.start.line > 0));
});

test('a workspace pbulk.conf gives the config the tests assume', async (t) => {
  const ws = makeWorkspace('config', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  const r = await loadEngineConfig(ws.conf, defaultSettings());
  assert.ok(r.config, r.problems.map(formatProblem).join('\n'));
  const { settings: _s, pbulkVersion: _v, ...got } = r.config;
  const { settings: _s2, ...want } = workspaceConfig(ws);
  assert.deepEqual(got, want);
  // The booleans pbulk's scripts compare with "yes" are on only for exactly that.
  writeFileSync(ws.conf, `${readFileSync(ws.conf, 'utf8')}skip_age_check=yes\nkeep_wrkdir=yes\nkeep_prefix=YES\n`);
  const on = await loadEngineConfig(ws.conf, defaultSettings());
  assert.deepEqual([on.config?.skipAgeCheck, on.config?.keepWrkdir, on.config?.keepPrefix], [true, true, false]);
});

test('unusable values are errors located on their line', async (t) => {
  const ws = makeWorkspace('config-bad', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  writeFileSync(
    ws.conf,
    `config_version=0.51\nbulklog=relative/dir\nprefix=/usr\npkgdb=$(echo /x)\npkgsrc=${ws.pkgsrc}\npackages=${ws.packages}\nmake=/usr/bin/bmake\npkg_add=/usr/pkg/sbin/pkg_add\npkg_delete=/x\npkg_info=/x\n`,
  );
  const r = await loadEngineConfig(ws.conf, defaultSettings());
  assert.equal(r.config, undefined);
  // The value rules are the conf library's (same codes as `pkgsrc-bulk lint` and the editor); a
  // value known only when the file runs is the engine's own refusal.
  const errs = r.problems.filter((p) => p.severity === 'error').map((p) => `${p.range.start.line} ${p.code}`);
  assert.deepEqual(errs.sort(), ['1 relative-path', '2 dangerous-path', '3 engine-config']);
  writeFileSync(
    ws.conf,
    `config_version=0.51\nbulklog=/var/tmp/b\nprefix=/usr/pkg_bulk\npkgdb=/usr/pkg_bulk/pkgdb\npkgsrc=${ws.pkgsrc}\npackages=${ws.packages}\nmake=/usr/bin/bmake\npkg_add=/usr/pkg_bulk/sbin/pkg_add\npkg_delete=/x\npkg_info=/x\n`,
  );
  const inside = await loadEngineConfig(ws.conf, defaultSettings());
  assert.equal(inside.config, undefined);
  const wiped = inside.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(
    wiped.map((p) => `${p.range.start.line} ${p.code}`),
    ['7 wiped-path'],
  );
  assert.match(wiped[0]!.message, /inside prefix \(\/usr\/pkg_bulk\)/);
});

test('a variable with a library error is refused: no engine error of its own about it, whatever the message starts with', async (t) => {
  const ws = makeWorkspace('config-refused', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  const original = readFileSync(ws.conf, 'utf8');
  const errorsOf = async (text: string) => {
    writeFileSync(ws.conf, text);
    const r = await loadEngineConfig(ws.conf, defaultSettings());
    assert.equal(r.config, undefined, 'the engine refuses the file');
    const lines = text.split('\n');
    return r.problems.filter((p) => p.severity === 'error').map((p) => `${lines[p.range.start.line]!.replace(/=.*/, '=')} ${p.code}`);
  };
  // An unsubstituted placeholder in a path the engine uses: the library's error, and nothing else.
  assert.deepEqual(await errorsOf(original.replace(/^packages=.*$/m, 'packages=@PREFIX@/packages')), ['packages= placeholder']);
  // ... also where the engine would have refused the value itself (known only when the file runs).
  assert.deepEqual(await errorsOf(original.replace(/^packages=.*$/m, 'packages=$(echo @PREFIX@)/packages')), ['packages= placeholder']);
  // A master port the engine would have failed to parse on the same line.
  assert.deepEqual(await errorsOf(`${original}master_mode=yes\nbuild_clients="b1"\nmaster_port_build=@MASTER_IP@:2002\n`), ['master_port_build= placeholder']);
  // `pkgsrc = DIR` assigns nothing: the library says why, the engine does not add "pkgsrc is not set".
  assert.deepEqual(await errorsOf(original.replace(/^pkgsrc=/m, 'pkgsrc = ')), ['pkgsrc = spaces-around-equals']);
  // A reference before its assignment leaves packages wrong: refused with the library's error.
  assert.deepEqual(await errorsOf(original.replace(/^packages=.*$/m, 'packages=${root}/packages') + `root=${ws.dir}\n`), ['packages= use-before-assignment']);
});

test('a relative path the engine reads is an error, though pbulk only warns about it', async (t) => {
  const ws = makeWorkspace('config-relative', [{ path: 'devel/a', distname: 'a-1.0' }]);
  t.after(() => ws.remove());
  writeFileSync(ws.conf, readFileSync(ws.conf, 'utf8').replace(/^varbase=.*$/m, 'varbase=var'));
  const r = await loadEngineConfig(ws.conf, defaultSettings());
  assert.equal(r.config, undefined);
  assert.deepEqual(
    r.problems.filter((p) => p.severity === 'error').map((p) => [p.code, (p as ConfDiagnostic).variables]),
    [['relative-path', ['varbase']]],
  );
  // pbulk's own programs are pbulk's business: a relative one stays a warning.
  writeFileSync(ws.conf, readFileSync(ws.conf, 'utf8').replace(/^varbase=.*$/m, `varbase=${ws.dir}/var`) + 'pbuild=bin/pbulk-build\n');
  const pb = await loadEngineConfig(ws.conf, defaultSettings());
  assert.ok(pb.config, pb.problems.map(formatProblem).join('\n'));
  assert.deepEqual(
    pb.problems.filter((p) => p.code === 'relative-path').map((p) => p.severity),
    ['warning'],
  );
});

test('ulimit lines become limits; others are reported', () => {
  const notes: string[] = [];
  const l = limitsFromUlimits(
    [
      ['-t', '3600'],
      ['-Sv', '2000000'],
      ['-n', '64'],
      ['-t', 'unlimited'],
    ],
    '/c',
    (p) => notes.push(p.message),
  );
  assert.deepEqual(l, { cpuSeconds: 3600, virtualMemoryKiB: 2000000 });
  assert.equal(notes.length, 1);
});

test('settings JSON: defaults, unknown keys and bad values refused with the field and position', () => {
  assert.equal(parseSettings('{}', 's.json').priority, 'critical-path');
  assert.equal(parseSettings('{"jobs": 4, "priority": "critical-path"}', 's.json').jobs, 4);
  assert.throws(() => parseSettings('{"jbos": 4}', 's.json'), /s\.json: .*jbos/);
  assert.throws(() => parseSettings('{"jobs": 0}', 's.json'), /s\.json: jobs:/);
  assert.throws(() => parseSettings('{"jobs": 4,\n}', 's.json'), /s\.json:2:1: not valid JSON/);
  fc.assert(
    fc.property(fc.string(), (s) => {
      try {
        parseSettings(s, 'x');
      } catch (e) {
        assert.ok(e instanceof SettingsError);
      }
    }),
  );
});
