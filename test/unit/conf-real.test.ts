// The real configs of ../shared/data: pbulk's own example and a tutorial's edit of it lint
// without errors; the uninstalled example has every placeholder flagged; the engine's loader
// returns their values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatProblem } from '../../src/pkgsrc/problem';
import { checkConf, checkLimitedList, createConfContext, detectPbulkVersion, evaluateConf, loadPbulkConf, parseConf, realProbe } from '../../src/pkgsrc/conf/index';

const DATA = path.resolve(__dirname, '../../../shared/data');
const CONF = path.join(DATA, 'pbulk-conf');
const read = (f: string): string => readFileSync(f, 'utf8');

function lintFile(file: string, version?: { version: string; source: 'setting' | 'detected' | 'default' }) {
  const doc = parseConf(read(file), file);
  const ev = evaluateConf(doc);
  const ctx = createConfContext({}, ev);
  if (version) ctx.pbulkVersion = version;
  return checkConf(doc, ev, ctx);
}

const errors = (ds: ReturnType<typeof lintFile>) => ds.filter((d) => d.severity === 'error').map(formatProblem);

for (const name of ['pbulk-0.51-installed.conf', 'seed-tutorial.conf']) {
  test(`${name} lints with zero errors, against the current and against pbulk 0.51`, () => {
    const file = path.join(CONF, name);
    assert.deepEqual(errors(lintFile(file)), []);
    assert.deepEqual(errors(lintFile(file, { version: '0.51', source: 'detected' })), []);
  });
}

test('the config of the real limited build and its limited_list lint with zero errors', () => {
  const dir = path.join(DATA, 'bulklog-2013q1-limited-run');
  assert.deepEqual(errors(lintFile(path.join(dir, 'pbulk.conf'), { version: '0.51', source: 'detected' })), []);
  const list = path.join(dir, 'limited_list');
  assert.deepEqual(checkLimitedList(read(list), list, { pbulkVersion: { version: '0.51', source: 'detected' }, masterMode: false }).map(formatProblem), []);
});

test('the uninstalled example has every @TOKEN@ flagged, at its exact position', () => {
  const file = path.join(CONF, 'pbulk-0.51-source.conf');
  const text = read(file);
  const want: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.startsWith('#')) return;
    for (const m of line.matchAll(/@[A-Z0-9_]+@/g)) want.push(`${i}:${m.index}:${m[0]}`);
  });
  assert.equal(want.length, 31);
  const got = lintFile(file)
    .filter((d) => d.code === 'placeholder' && d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.character}:${text.split('\n')[d.range.start.line]!.slice(d.range.start.character, d.range.end.character)}`);
  assert.deepEqual(got, want);
});

test('the tutorial config: values, ulimit, limited_list and chroot settings for the engine', async () => {
  const loaded = await loadPbulkConf(path.join(CONF, 'seed-tutorial.conf'));
  assert.equal(loaded.hasErrors, false);
  assert.deepEqual(loaded.ulimits, [['-t', '3600']]);
  assert.equal(loaded.limitedList, '/content/mk/pkglist');
  assert.equal(loaded.get('make'), '/usr/pkg/bin/bmake');
  assert.equal(loaded.get('loc'), '/content/bulklog/meta');
  assert.equal(loaded.get('target_destdir'), '/usr/src/destdir.vax');
  assert.equal(loaded.values.build_chroots!.value, '4');
  assert.equal(loaded.values.chroot_dir!.line, 85);
  assert.equal(loaded.values.scan_clients!.value, '');
});

test('the installed pbulk version is detected from its example config', () => {
  const prefix = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-pbulk-'));
  try {
    mkdirSync(path.join(prefix, 'share/examples/pbulk'), { recursive: true });
    writeFileSync(path.join(prefix, 'share/examples/pbulk/pbulk.conf'), read(path.join(CONF, 'pbulk-0.51-installed.conf')));
    const v = detectPbulkVersion([prefix], realProbe);
    assert.deepEqual(v, { version: '0.51', source: 'detected', file: path.join(prefix, 'share/examples/pbulk/pbulk.conf'), prefix });
    // Through the config's own paths: pbuild=<prefix>/bin/pbulk-build.
    const doc = parseConf(`pbuild=${prefix}/bin/pbulk-build\nconfig_version=0.68\n`, 'f');
    const ev = evaluateConf(doc);
    const ctx = createConfContext({}, ev);
    assert.equal(ctx.pbulkVersion!.source, 'detected');
    const mismatch = checkConf(doc, ev, ctx).find((d) => d.code === 'config-version')!;
    assert.equal(mismatch.severity, 'error');
    assert.match(mismatch.message, /Your configuration has version 0\.68\. This version of pbulk expects version 0\.51\./);
    // A chosen version wins over detection.
    assert.deepEqual(createConfContext({ pbulkVersion: '0.68' }, ev).pbulkVersion, { version: '0.68', source: 'setting' });
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});
