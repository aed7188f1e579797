// Configs as sites write them lint without errors; an unsubstituted template has every
// placeholder flagged; the engine's loader returns their values; the installed pbulk's version
// is read from its example config. pbulk's own example configs and the tutorial's edit of them
// (other people's text, read where test/fixtures/reference-data.ts finds them) are checked the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatProblem } from '../../src/pkgsrc/problem';
import {
  checkConf,
  checkLimitedList,
  createConfContext,
  defaultPbulkVersion,
  detectPbulkVersion,
  evaluateConf,
  loadPbulkConf,
  parseConf,
  realProbe,
  type PbulkVersion,
} from '../../src/pkgsrc/conf/index';
import { ownConf, pbulkOutput, sharedConfs } from '../fixtures/reference-data';

const read = (f: string): string => readFileSync(f, 'utf8');
const DETECTED_0_51: PbulkVersion = { version: '0.51', source: 'detected' };

function lintFile(file: string, version: PbulkVersion) {
  const doc = parseConf(read(file), file);
  const ev = evaluateConf(doc);
  const ctx = createConfContext({}, ev);
  ctx.pbulkVersion = version;
  return checkConf(doc, ev, ctx);
}

const errors = (ds: ReturnType<typeof lintFile>) => ds.filter((d) => d.severity === 'error').map(formatProblem);

function assertLintsClean(file: string): void {
  assert.deepEqual(errors(lintFile(file, defaultPbulkVersion())), []);
  assert.deepEqual(errors(lintFile(file, DETECTED_0_51)), []);
}

test('a site config lints with zero errors, against the current and against pbulk 0.51', () => assertLintsClean(ownConf('site.pbulk.conf')));

for (const name of ['pbulk-0.51-installed.conf', 'seed-tutorial.conf'] as const) {
  test(`${name} lints with zero errors, against the current and against pbulk 0.51`, { skip: sharedConfs.skip }, () =>
    assertLintsClean(sharedConfs.file(name)),
  );
}

test('the limited_list of the real limited build lints with zero errors', () => {
  const list = path.join(pbulkOutput.limitedRun, 'limited_list');
  assert.deepEqual(checkLimitedList(read(list), list, { pbulkVersion: DETECTED_0_51, masterMode: false }).map(formatProblem), []);
});

test('the config of the real limited build lints with zero errors', { skip: sharedConfs.skip }, () => {
  assert.deepEqual(errors(lintFile(sharedConfs.file('limited-run.conf'), DETECTED_0_51)), []);
});

/** Every @TOKEN@ outside a comment is a placeholder error at its exact position. */
function assertPlaceholders(file: string, count: number): void {
  const text = read(file);
  const want: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.startsWith('#')) return;
    for (const m of line.matchAll(/@[A-Z0-9_]+@/g)) want.push(`${i}:${m.index}:${m[0]}`);
  });
  assert.equal(want.length, count);
  const got = lintFile(file, defaultPbulkVersion())
    .filter((d) => d.code === 'placeholder' && d.severity === 'error')
    .map(
      (d) => `${d.range.start.line}:${d.range.start.character}:${text.split('\n')[d.range.start.line]!.slice(d.range.start.character, d.range.end.character)}`,
    );
  assert.deepEqual(got, want);
}

test('an unsubstituted template has every @TOKEN@ flagged, at its exact position', () => assertPlaceholders(ownConf('template.pbulk.conf'), 25));

test('the uninstalled example has every @TOKEN@ flagged, at its exact position', { skip: sharedConfs.skip }, () =>
  assertPlaceholders(sharedConfs.file('pbulk-0.51-source.conf'), 31),
);

test('a site config: values, ulimit, limited_list and chroot settings for the engine', async () => {
  const file = ownConf('site.pbulk.conf');
  const loaded = await loadPbulkConf(file, { pbulkVersion: '0.51' });
  assert.equal(loaded.hasErrors, false);
  assert.deepEqual(loaded.ulimits, [['-t', '3600']]);
  assert.equal(loaded.limitedList, '/data/lists/desktop');
  assert.equal(loaded.get('make'), '/usr/pkg/bin/bmake');
  assert.equal(loaded.get('loc'), '/data/bulklog/meta');
  assert.equal(loaded.get('target_destdir'), '/usr/src/destdir.vax');
  assert.equal(loaded.values.build_chroots!.value, '4');
  assert.equal(
    loaded.values.chroot_dir!.line,
    read(file)
      .split('\n')
      .findIndex((l) => l.startsWith('chroot_dir=')),
  );
  assert.equal(loaded.values.scan_clients!.value, '');
});

test('the installed pbulk version is detected from its example config', () => {
  const prefix = mkdtempSync(path.join(tmpdir(), 'pkgsrc-bulk-pbulk-'));
  try {
    mkdirSync(path.join(prefix, 'share/examples/pbulk'), { recursive: true });
    writeFileSync(path.join(prefix, 'share/examples/pbulk/pbulk.conf'), '# Example configuration of pbulk\n\nconfig_version=0.51\n\nbulklog=/bulklog\n');
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
