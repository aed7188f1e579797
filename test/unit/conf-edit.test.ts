// The edits a settings form makes on a pbulk.conf: for every kind of setting, changing, adding and
// removing it round-trips through the sh parser (the new value is what sh reads, every other line
// is unchanged), and what the form cannot represent is refused with the line to go to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateConf, parseConf, staticValue, valueTypes, allVariables } from '../../src/pkgsrc/conf/index';
import { formValueOf, settingEdits, settingSite, shellWord, type SettingChange } from '../../src/pkgsrc/conf/edit/index';
import { applyEdits, BASE } from './conf-helpers';

/** A value of each kind, and what sh makes of it with BASE's prefix=/usr/pkg and master_ip=10.0.0.1. */
const SAMPLES: Record<(typeof valueTypes)[number], { value: string; expands: string }> = {
  version: { value: '0.51', expands: '0.51' },
  url: { value: 'https://bulk.example.org/reports/${prefix}', expands: 'https://bulk.example.org/reports//usr/pkg' },
  boolean: { value: 'yes', expands: 'yes' },
  integer: { value: '16', expands: '16' },
  ipv4: { value: '192.168.1.20', expands: '192.168.1.20' },
  'address-port': { value: '${master_ip}:2011', expands: '10.0.0.1:2011' },
  'client-list': { value: '10.0.0.7 builder@10.0.0.8:2222 /chroot/one', expands: '10.0.0.7 builder@10.0.0.8:2222 /chroot/one' },
  'rsync-args': { value: '-av --delete-excluded -e "ssh -i key"', expands: '-av --delete-excluded -e "ssh -i key"' },
  'rsync-target': { value: 'upload@ftp.example.org:/pub/pkgsrc/$arch', expands: '' },
  string: { value: 'it\'s \\ a `string` with $ and "quotes"', expands: 'it\'s \\ a `string` with $ and "quotes"' },
  'email-list': { value: 'a@example.org b@example.org', expands: 'a@example.org b@example.org' },
  user: { value: 'builder', expands: 'builder' },
  directory: { value: '/bulk/log dir with spaces', expands: '/bulk/log dir with spaces' },
  file: { value: '${prefix}/etc/limited_list', expands: '/usr/pkg/etc/limited_list' },
  'path-prefix': { value: '/var/chroot/pbulk', expands: '/var/chroot/pbulk' },
  command: { value: '/usr/bin/gzip -nf -9', expands: '/usr/bin/gzip -nf -9' },
  executable: { value: '${prefix}/libexec/pbulk/pkg-build', expands: '/usr/pkg/libexec/pbulk/pkg-build' },
  bootstrapkit: { value: '/bulk/kits/bootstrap-2025Q1.tar.gz', expands: '/bulk/kits/bootstrap-2025Q1.tar.gz' },
};

function change(text: string, c: SettingChange): string {
  const r = settingEdits(parseConf(text, '/etc/pbulk.conf'), c);
  if ('error' in r) assert.fail(`${JSON.stringify(c)}: ${r.error}`);
  return applyEdits(text, r.edits);
}

/** The lines of `after` that differ from `before`: [first differing, count removed, count added]. */
function lineDiff(before: string, after: string): { at: number; removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { at: head, removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

function valueIn(text: string, name: string): { form: string; sh: string | undefined } {
  const doc = parseConf(text, '/etc/pbulk.conf');
  assert.deepEqual(doc.problems, [], `the edited file parses cleanly:\n${text}`);
  const ev = evaluateConf(doc);
  const site = settingSite(doc, ev, name);
  assert.equal(site.kind, 'editable', `${name} is editable after the edit`);
  return { form: site.kind === 'editable' ? site.value : '', sh: staticValue(ev, name) };
}

for (const type of valueTypes) {
  const spec = allVariables().find((v) => v.type === type && !v.internal);
  if (!spec) continue;
  const { value, expands } = SAMPLES[type];
  const dynamic = value.includes('$arch');

  test(`${type} (${spec.name}): a new value replaces only the value, and sh reads it back`, () => {
    const before = BASE.includes(`\n${spec.name}=`) ? BASE : change(BASE, { kind: 'set', name: spec.name, value: 'placeholder' });
    const after = change(before, { kind: 'set', name: spec.name, value });
    const d = lineDiff(before, after);
    assert.equal(d.removed.length, 1, `one line changed:\n${JSON.stringify(d)}`);
    assert.equal(d.added.length, 1);
    assert.ok(d.added[0]!.startsWith(`${spec.name}=`), d.added[0]);
    const got = valueIn(after, spec.name);
    assert.equal(got.form, value);
    // A reference to a variable assigned further down reads empty there: only the added setting
    // (placed below what it refers to) is checked for its expansion.
    if (!value.includes('$')) assert.equal(got.sh, expands);
  });

  test(`${type} (${spec.name}): added where the schema puts it, removed with its line`, () => {
    const without = change(BASE, { kind: 'unset', name: spec.name });
    assert.ok(!new RegExp(`^${spec.name}=`, 'm').test(without), 'removed');
    const removed = lineDiff(BASE, without);
    if (BASE.includes(`\n${spec.name}=`)) assert.deepEqual([removed.removed.length, removed.added.length], [1, 0]);
    const added = change(without, { kind: 'set', name: spec.name, value });
    const d = lineDiff(without, added);
    assert.deepEqual([d.removed.length, d.added.length], [0, 1], JSON.stringify(d));
    assert.equal(d.added[0], `${spec.name}=${shellWord(value)}`);
    const got = valueIn(added, spec.name);
    assert.equal(got.form, value);
    if (!dynamic) assert.equal(got.sh, expands);
  });
}

test('a new setting goes after the closest setting before it in the schema, below what it refers to', () => {
  const text = '# paths\nbulklog=/bulk/log\n# where packages go\npackages=/bulk/packages\nprefix=/usr/pkg\n';
  // pkgsrc comes after prefix in the schema.
  assert.equal(change(text, { kind: 'set', name: 'pkgsrc', value: '/usr/pkgsrc' }), text + 'pkgsrc=/usr/pkgsrc\n');
  // bootstrapkit comes before all of them: before the first, under the comment above it.
  assert.equal(
    change(text, { kind: 'set', name: 'bootstrapkit', value: '/b.tgz' }),
    '# paths\nbootstrapkit=/b.tgz\nbulklog=/bulk/log\n# where packages go\npackages=/bulk/packages\nprefix=/usr/pkg\n',
  );
  // packages would follow bulklog, but its value reads ${prefix}.
  const t2 = 'bulklog=/bulk/log\nprefix=/usr/pkg\n';
  assert.equal(change(t2, { kind: 'set', name: 'packages', value: '${prefix}/packages' }), 'bulklog=/bulk/log\nprefix=/usr/pkg\npackages=${prefix}/packages\n');
  // Not into a multi-line value, and a file without a final line break keeps it that way.
  const t3 = 'bulklog="/bulk\n/log"\nprefix=/usr/pkg';
  assert.equal(change(t3, { kind: 'set', name: 'packages', value: '/p' }), 'bulklog="/bulk\n/log"\npackages=/p\nprefix=/usr/pkg');
  assert.equal(change(t3, { kind: 'set', name: 'make', value: '/m' }), 'bulklog="/bulk\n/log"\nprefix=/usr/pkg\nmake=/m');
  // CRLF files get CRLF lines; empty files get one line.
  assert.equal(change('prefix=/usr/pkg\r\n', { kind: 'set', name: 'pkgsrc', value: '/s' }), 'prefix=/usr/pkg\r\npkgsrc=/s\r\n');
  assert.equal(change('', { kind: 'set', name: 'pkgsrc', value: '/s' }), 'pkgsrc=/s\n');
});

test('values keep their quoting style and take quotes only when they need them', () => {
  assert.equal(change('gzip="gzip -nf"\n', { kind: 'set', name: 'gzip', value: 'gzip' }), 'gzip="gzip"\n');
  assert.equal(change("mail='/bin/mail'\n", { kind: 'set', name: 'mail', value: '/usr/bin/mail' }), "mail='/usr/bin/mail'\n");
  assert.equal(change("mail='/bin/mail'\n", { kind: 'set', name: 'mail', value: '${prefix}/bin/mail' }), 'mail="${prefix}/bin/mail"\n');
  assert.equal(change('make=/usr/bin/make\n', { kind: 'set', name: 'make', value: '/usr/bin/bmake -j4' }), 'make="/usr/bin/bmake -j4"\n');
  assert.equal(change('make=/usr/bin/make\n', { kind: 'set', name: 'make', value: '' }), 'make=\n');
  // Unchanged value: no edit at all.
  const r = settingEdits(parseConf('gzip="gzip -nf"\n', '/c'), { kind: 'set', name: 'gzip', value: 'gzip -nf' });
  assert.deepEqual(r, { edits: [] });
});

test('export, several assignments on a line, a trailing comment and repeated assignments', () => {
  assert.equal(change('export bulklog=/a # the log\n', { kind: 'set', name: 'bulklog', value: '/b' }), 'export bulklog=/b # the log\n');
  assert.equal(change('a=1; bulklog=/a; c=3\n', { kind: 'unset', name: 'bulklog' }), 'a=1; c=3\n');
  assert.equal(change('a=1; bulklog=/a\n', { kind: 'unset', name: 'bulklog' }), 'a=1\n');
  assert.equal(change('export a=1 bulklog=/a\n', { kind: 'unset', name: 'bulklog' }), 'export a=1\n');
  assert.equal(change('bulklog=/a # the log\nx=1\n', { kind: 'unset', name: 'bulklog' }), 'x=1\n');
  assert.equal(change('x=1\nbulklog=/a', { kind: 'unset', name: 'bulklog' }), 'x=1');
  // The last assignment is the one pbulk sees: the form edits it; removing takes them all.
  assert.equal(change('bulklog=/a\nbulklog=/b\n', { kind: 'set', name: 'bulklog', value: '/c' }), 'bulklog=/a\nbulklog=/c\n');
  assert.equal(change('bulklog=/a\nx=1\nbulklog=/b\n', { kind: 'unset', name: 'bulklog' }), 'x=1\n');
  assert.equal(change('bulklog=/a; bulklog=/b # c\nx=1\n', { kind: 'unset', name: 'bulklog' }), 'x=1\n');
});

test('what the form cannot represent is refused, naming the lines', () => {
  const text = [
    'if [ -d /bulk ]; then', //
    '  bulklog=/bulk/log',
    'fi',
    'prefix=$(pwd)/pkg',
    'pkgdb=~/pkgdb',
    'packages=/p',
    'unset packages',
    'make=\\${x}',
    '',
  ].join('\n');
  const doc = parseConf(text, '/etc/pbulk.conf');
  const ev = evaluateConf(doc);
  const expect: Record<string, RegExp> = { bulklog: /inside an if/, prefix: /command substitution/, pkgdb: /tilde/, packages: /unset/, make: /literal \$/ };
  for (const [name, reason] of Object.entries(expect)) {
    const site = settingSite(doc, ev, name);
    assert.equal(site.kind, 'readonly', name);
    if (site.kind === 'readonly') assert.match(site.reason, reason, name);
    const r = settingEdits(doc, { kind: 'set', name, value: '/x' }, ev);
    assert.ok('error' in r && /line \d/.test(r.error), `${name}: ${JSON.stringify(r)}`);
  }
  assert.deepEqual(settingSite(doc, ev, 'bulklog').kind === 'readonly' && settingSite(doc, ev, 'bulklog'), {
    kind: 'readonly',
    reason: 'set inside an if',
    lines: [1],
  });
  assert.ok('error' in settingEdits(doc, { kind: 'set', name: 'not a name', value: '' }, ev));
});

test('form values: quoting off, references kept as written', () => {
  const doc = parseConf('a="x y"\nb=${prefix}/bin\nc=\'$lit\'\nd="${x:-/usr/pkg}"/y\ne=pre\\ fix\n', '/c');
  const ev = evaluateConf(doc);
  const v = (n: string) => {
    const s = settingSite(doc, ev, n);
    return s.kind === 'editable' ? s.value : s.kind;
  };
  assert.equal(v('a'), 'x y');
  assert.equal(v('b'), '${prefix}/bin');
  assert.equal(v('c'), 'readonly');
  assert.equal(v('d'), '${x:-/usr/pkg}/y');
  assert.equal(v('e'), 'pre fix');
  const w = parseConf('x=' + shellWord('$ and ${a} and `b`') + '\n', '/c');
  const a = w.statements[0]!;
  assert.ok(a.kind === 'assignment');
  assert.deepEqual(
    formValueOf(a.value, w.text, (p) => w.text.split('\n').slice(0, p.line).join('\n').length + (p.line > 0 ? 1 : 0) + p.character),
    { value: '$ and ${a} and `b`' },
  );
});
