// Property tests of the settings form's edits: any value survives the trip to a shell word and
// back through the sh parser, and random sequences of set/add/remove on real-looking configs
// touch only the setting concerned: every other statement and comment stays byte-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateConf, LineIndex, parseConf, staticValue, type ConfDocument } from '../../src/pkgsrc/conf/index';
import { settingEdits, settingSite, shellWord, valuePieces, type SettingChange } from '../../src/pkgsrc/conf/edit/index';
import { applyEdits, BASE } from './conf-helpers';
import { sharedConfs } from '../fixtures/reference-data';

const TRICKY = [
  '#!/bin/sh',
  '# A config with the shapes real files have.',
  'config_version=0.68 # checked by every phase',
  '',
  'base=/bulk; export base',
  'export bulklog=${base}/log packages=${base}/packages',
  'prefix=/usr/pkg; pkgdb=${prefix}/pkgdb',
  'gzip="gzip -nf -9"',
  "mail='/usr/bin/mail'",
  'scan_clients="10.0.0.2',
  '  10.0.0.3"',
  'if [ "$(uname -m)" = x86_64 ]; then',
  '  chroot_dir=/var/chroot/pbulk',
  'else',
  '  chroot_dir=/var/chroot/pbulk32',
  'fi',
  'cat <<EOF >/dev/null',
  'pkgsrc=/not/here',
  'EOF',
  'sync_package() {',
  '  rsync -a "$1" upload@example.org:/pkgs',
  '}',
  'loc=${bulklog}/meta',
  'make=${prefix}/bin/bmake',
  'pkgsrc=/usr/pkgsrc',
].join('\n');

const TEXTS = [BASE, TRICKY, TRICKY.replace(/\n/g, '\r\n'), TRICKY + '\n', 'prefix=/usr/pkg', ''];

/** pbulk's own example config and a tutorial's edit of it, where they are available (see reference-data). */
const REAL = sharedConfs.skip ? [] : (['pbulk-0.51-installed.conf', 'seed-tutorial.conf'] as const).map((f) => sharedConfs.read(f));

const NAMES = [
  'bulklog',
  'packages',
  'prefix',
  'pkgdb',
  'pkgsrc',
  'loc',
  'make',
  'gzip',
  'mail',
  'scan_clients',
  'chroot_dir',
  'config_version',
  'limited_list',
  'bootstrapkit',
  'base',
  'master_mode',
  'build_chroots',
  'report_recipients',
  'xz',
  'custom_var',
];

const CHARS = [
  'a',
  'Z',
  '0',
  '/',
  '.',
  '-',
  '_',
  ':',
  '@',
  ' ',
  '\t',
  '"',
  "'",
  '\\',
  '`',
  '$',
  '{',
  '}',
  '~',
  '#',
  ';',
  '*',
  '=',
  '!',
  '&',
  '|',
  '(',
  ')',
  '\n',
  '${prefix}',
  '$base',
  '${x:-/d}',
];
const value = fc.oneof(
  fc.constantFrom('/usr/pkg', '${prefix}/bin/bmake', '/bulk/log dir', 'yes', 'no', '', '10.0.0.2 10.0.0.3', 'gzip -nf -9'),
  fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((a) => a.join('')),
);
const change: fc.Arbitrary<SettingChange> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), name: fc.constantFrom(...NAMES), value }),
  fc.record({ kind: fc.constant('unset' as const), name: fc.constantFrom(...NAMES) }),
);

test('a form value survives the trip to a shell word and back, in every quote style', () => {
  fc.assert(
    fc.property(value, fc.constantFrom('plain' as const, 'double' as const, 'single' as const), (v, style) => {
      const text = `x=${shellWord(v, style)}\n`;
      const doc = parseConf(text, '/c');
      assert.deepEqual(doc.problems, [], text);
      assert.equal(doc.statements.length, 1, text);
      const ev = evaluateConf(doc);
      const site = settingSite(doc, ev, 'x');
      assert.ok(site.kind === 'editable' && site.value === v, `${JSON.stringify(v)} -> ${text} -> ${JSON.stringify(site)}`);
      // Without references, sh's value is the text itself.
      if (valuePieces(v).every((p) => 'lit' in p)) assert.equal(staticValue(ev, 'x'), v);
    }),
    { numRuns: 500 },
  );
});

/** The source text of every statement, in order. */
function statementTexts(doc: ConfDocument): { name?: string; text: string }[] {
  const idx = new LineIndex(doc.text);
  return doc.statements.map((s) => {
    const text = doc.text.slice(idx.offset(s.range.start), idx.offset(s.range.end));
    return s.kind === 'assignment' ? { name: s.name, text } : { text };
  });
}

function problemCounts(doc: ConfDocument): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of doc.problems) m.set(p.code, (m.get(p.code) ?? 0) + 1);
  return m;
}

function checkChange(text: string, c: SettingChange): string {
  const doc = parseConf(text, '/etc/pbulk.conf');
  const ev = evaluateConf(doc);
  const site = settingSite(doc, ev, c.name);
  const r = settingEdits(doc, c, ev);
  if ('error' in r) {
    assert.equal(site.kind, 'readonly', `refused: ${r.error}`);
    return text;
  }
  const idx = new LineIndex(text);
  const spans = r.edits.map((e) => [idx.offset(e.range.start), idx.offset(e.range.end)] as const).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1]![1] <= spans[i]![0], 'edits do not overlap');
  const after = applyEditsAt(
    text,
    r.edits.map((e) => ({ s: idx.offset(e.range.start), e: idx.offset(e.range.end), t: e.newText })),
  );
  const next = parseConf(after, '/etc/pbulk.conf');
  const before = statementTexts(doc);
  const now = statementTexts(next);
  const others = (l: { name?: string; text: string }[]) => l.filter((s) => s.name !== c.name).map((s) => s.text);
  // No new syntax problems.
  for (const [code, n] of problemCounts(next)) assert.ok(n <= (problemCounts(doc).get(code) ?? 0), `new ${code} problem after ${JSON.stringify(c)}:\n${after}`);
  if (c.kind === 'set') {
    const nsite = settingSite(next, evaluateConf(next), c.name);
    assert.ok(nsite.kind === 'editable' && nsite.value === c.value, `${JSON.stringify(c)} gives ${JSON.stringify(nsite)}:\n${after}`);
    if (site.kind === 'editable') {
      // Only the value's word changed.
      for (const [s, e] of spans) {
        assert.equal(s, idx.offset(site.assignment.value.range.start));
        assert.equal(e, idx.offset(site.assignment.value.range.end));
      }
      assert.equal(now.length, before.length);
    } else {
      // One new line, at a line start or the end, nothing removed.
      assert.equal(spans.length, 1);
      const [s, e] = spans[0]!;
      assert.equal(s, e);
      assert.ok(s === 0 || s === text.length || /[\r\n]/.test(text[s - 1]!), 'inserted at the start of a line');
      assert.equal(now.length, before.length + 1);
    }
    assert.deepEqual(others(now), others(before), 'every other statement unchanged');
  } else {
    assert.equal(now.filter((s) => s.name === c.name).length, 0, `${c.name} is gone:\n${after}`);
    assert.deepEqual(others(now), others(before), 'every other statement unchanged');
    // What went is the assignments with blanks, `;`, line breaks, comments on their lines and the
    // `export` of a statement that exported only them.
    let gone = spans.map(([s, e]) => text.slice(s, e)).join('');
    for (const s of before.filter((x) => x.name === c.name)) gone = gone.replace(s.text, '');
    assert.match(gone, /^([ \t;\r\n]|#[^\r\n]*|export|readonly)*$/, `removed more than ${c.name}: ${JSON.stringify(gone)}`);
  }
  // Comments stay, except those on the lines of a removed setting.
  const comments = (d: ConfDocument) => d.comments.map((x) => x.text);
  if (c.kind === 'set') assert.deepEqual(comments(next), comments(doc));
  return after;
}

function applyEditsAt(text: string, edits: { s: number; e: number; t: string }[]): string {
  let out = text;
  for (const x of [...edits].sort((a, b) => b.s - a.s)) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}

test('random sequences of form edits leave the rest of the file byte-identical', () => {
  fc.assert(
    fc.property(fc.constantFrom(...TEXTS), fc.array(change, { minLength: 1, maxLength: 6 }), (text, changes) => {
      let t = text;
      for (const c of changes) t = checkChange(t, c);
    }),
    { numRuns: 400 },
  );
});

test("random form edits on pbulk's example configs leave the rest byte-identical", { skip: sharedConfs.skip }, () => {
  fc.assert(
    fc.property(fc.constantFrom(...REAL), fc.array(change, { minLength: 1, maxLength: 4 }), (text, changes) => {
      let t = text;
      for (const c of changes) t = checkChange(t, c);
    }),
    { numRuns: 150 },
  );
});

test('the heredoc body and the if block never receive a new line', () => {
  // pkgsrc and chroot_dir's neighbours in the schema sit next to them.
  for (const name of ['pkgdb', 'varbase', 'build_chroots', 'chroot_create', 'pkgsrc']) {
    const after = checkChange(TRICKY, { kind: 'set', name, value: '/new' });
    assert.ok(after.includes('cat <<EOF >/dev/null\npkgsrc=/not/here\nEOF\n'), after);
    assert.ok(after.includes('if [ "$(uname -m)" = x86_64 ]; then\n  chroot_dir=/var/chroot/pbulk\nelse\n'), after);
  }
  void applyEdits;
});
