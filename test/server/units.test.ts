// Unit tests of the server's own small parts: settings parsing and the per-document debouncer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedDebouncer } from '../../src/server/debounce';
import { defaultSettings, parseSettings } from '../../src/server/settings';
import { sectionTitle } from '../../src/server/confOutline';
import { code } from '../../src/server/confHover';

test('settings: missing values take the defaults', () => {
  assert.deepEqual(parseSettings(undefined), { settings: defaultSettings, errors: [] });
  assert.deepEqual(parseSettings(null).settings, defaultSettings);
});

test('settings: a bad field falls back to its default and is reported; the others apply', () => {
  const r = parseSettings({ pkgsrc: '/usr/pkgsrc', pbulkVersion: 'latest', conf: { validationDelay: -5, checkPaths: false }, limitedListGlobs: ['**/list'] });
  assert.equal(r.settings.pkgsrc, '/usr/pkgsrc');
  assert.equal(r.settings.pbulkVersion, '');
  assert.equal(r.settings.conf.validationDelay, defaultSettings.conf.validationDelay);
  assert.equal(r.settings.conf.checkPaths, false);
  assert.deepEqual(r.settings.limitedListGlobs, ['**/list']);
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0]!, /^pkgsrcBulk\.pbulkVersion: /);
  assert.match(r.errors[1]!, /^pkgsrcBulk\.conf\.validationDelay: /);
});

test('debouncer: a burst of schedules runs the task once, for the last one', async () => {
  const runs: string[] = [];
  const d = new KeyedDebouncer(
    (key) => void runs.push(key),
    () => assert.fail('no error expected'),
  );
  for (let i = 0; i < 5; i++) d.schedule('a', 20);
  d.schedule('b', 0);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(runs.sort(), ['a', 'b']);
  assert.equal(d.isPending('a'), false);
});

test('debouncer: a new schedule aborts the running task of the same key', async () => {
  const signals: AbortSignal[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const d = new KeyedDebouncer(
    async (_key, signal) => {
      signals.push(signal);
      if (signals.length === 1) await gate;
    },
    () => assert.fail('no error expected'),
  );
  d.schedule('a', 0);
  await new Promise((r) => setTimeout(r, 10));
  d.schedule('a', 0);
  assert.equal(signals[0]!.aborted, true);
  release();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(signals.length, 2);
  assert.equal(signals[1]!.aborted, false);
});

test('debouncer: errors of a live task are reported, those of an aborted one are not', async () => {
  const errors: unknown[] = [];
  const d = new KeyedDebouncer(
    async (key, signal) => {
      await new Promise((r) => setTimeout(r, 10));
      throw new Error(`${key} ${signal.aborted}`);
    },
    (_k, e) => void errors.push(e),
  );
  d.schedule('x', 0);
  await new Promise((r) => setTimeout(r, 2));
  d.cancel('x');
  d.schedule('y', 0);
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['y false'],
  );
  d.dispose();
});

test('section titles: first sentence of a comment, not RCS IDs or commented-out settings', () => {
  assert.equal(sectionTitle(' The directories where the various files are created.'), 'The directories where the various files are created');
  assert.equal(sectionTitle(' Version of the configuration file. This is bumped'), 'Version of the configuration file');
  assert.equal(sectionTitle(' $NetBSD: pbulk.conf,v 1.18 2012/11/23 12:13:34 joerg Exp $'), undefined);
  assert.equal(sectionTitle('limited_list=/limited_list'), undefined);
  assert.equal(sectionTitle(''), undefined);
  assert.equal(sectionTitle('#####'), undefined);
  assert.equal(sectionTitle(' ' + 'x'.repeat(100))!.length, 60);
});

test('hover code spans survive backticks and empty values', () => {
  assert.equal(code('/usr/pkg'), '`/usr/pkg`');
  assert.equal(code(''), '*(empty)*');
  assert.equal(code('a`b'), '`` a`b ``');
});
