// Static sequential evaluation: what each variable holds at the end, and where that came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateConf, parseConf, staticValue, valueChain } from '../../src/pkgsrc/conf/index';

const ev = (text: string) => evaluateConf(parseConf(text, '/etc/pbulk.conf'));

test('values are expanded in order, with quotes removed', () => {
  const e = ev('prefix=/usr/pkg\nmake=${prefix}/bin/bmake\nloc="$prefix/x y"\nq=\'${prefix}\'\n');
  assert.equal(staticValue(e, 'make'), '/usr/pkg/bin/bmake');
  assert.equal(staticValue(e, 'loc'), '/usr/pkg/x y');
  assert.equal(staticValue(e, 'q'), '${prefix}');
});

test('a reference sees only earlier assignments', () => {
  const e = ev('loc=${bulklog}/meta\nbulklog=/bulklog\n');
  assert.equal(staticValue(e, 'loc'), '/meta');
  const use = e.references.find((u) => u.reference.name === 'bulklog')!;
  assert.equal(use.status, 'before-assignment');
  assert.equal(use.laterAssignment!.range.start.line, 1);
});

test('the chain of assignments behind a value', () => {
  const e = ev('top=/data\nbulklog=${top}/bulklog\nloc=${bulklog}/meta\n');
  const origin = e.variables.get('loc')!.origin!;
  assert.deepEqual(
    valueChain(origin).map((o) => [o.assignment.name, o.value]),
    [
      ['loc', '/data/bulklog/meta'],
      ['bulklog', '/data/bulklog'],
      ['top', '/data'],
    ],
  );
});

test('the last assignment wins; all assignments are kept', () => {
  const e = ev('prefix=/a\nprefix=/b\n');
  const v = e.variables.get('prefix')!;
  assert.equal(v.value, '/b');
  assert.deepEqual(
    v.assignments.map((a) => a.range.start.line),
    [0, 1],
  );
});

test('command substitution, arithmetic and tilde make a value dynamic', () => {
  const e = ev('a=$(uname -m)\nb=`hostname`\nc=$((1+2))\nd=~/bulk\ne=${a}/x\n');
  for (const n of ['a', 'b', 'c', 'd', 'e']) {
    const v = e.variables.get(n)!;
    assert.equal(v.set, true, n);
    assert.equal(v.dynamic, true, n);
    assert.equal(v.value, undefined, n);
  }
  assert.match(e.variables.get('a')!.origin!.dynamicReason!, /command substitution/);
});

test('variables set in if/case are dynamic; references inside see what the region may set', () => {
  const e = ev('if true; then\n  prefix=/opt/pkg\n  make=$prefix/bin/bmake\nfi\nx=$prefix\n');
  assert.equal(e.variables.get('prefix')!.dynamic, true);
  assert.equal(e.variables.get('x')!.dynamic, true);
  const inside = e.references.find((u) => u.reference.name === 'prefix' && u.reference.context === 'dynamic')!;
  assert.equal(inside.status, 'maybe-set');
});

test('unset, environment and special parameters', () => {
  const e = ev('a=1\nunset a\nb=${a}x\nc=$HOME\nd=$1\ne=$nothing\n');
  assert.equal(e.variables.get('a')!.set, false);
  assert.equal(e.variables.get('a')!.unsetBy!.range.start.line, 1);
  assert.equal(staticValue(e, 'b'), 'x');
  assert.equal(e.variables.get('c')!.dynamic, true);
  assert.equal(e.variables.get('d')!.dynamic, true);
  assert.equal(staticValue(e, 'e'), '');
  assert.deepEqual(
    e.references.map((u) => u.status),
    ['unset', 'environment', 'special', 'unset'],
  );
});

test('parameter operators are evaluated like sh', () => {
  const e = ev(
    'set_=v\nempty=\na=${nope:-dflt} b=${empty:-dflt} c=${empty-dflt} d=${set_:+alt} e=${nope+alt} f=${#set_}\npath=/usr/pkg/bin\ng=${path%/bin} h=${path#/usr}\n',
  );
  assert.deepEqual(
    ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => staticValue(e, n)),
    ['dflt', 'dflt', '', 'alt', '', '1', '/usr/pkg', '/pkg/bin'],
  );
});

test('a sourced file makes later unknown references maybe-set', () => {
  const e = ev('. /etc/site.conf\nx=$from_site\n');
  assert.equal(e.opaque, true);
  assert.equal(e.references[0]!.status, 'maybe-set');
});

test('function bodies are deferred and see the final values', () => {
  const e = ev('f() { echo "$packages"; }\npackages=/p\n');
  const u = e.references[0]!;
  assert.equal(u.status, 'deferred');
  assert.equal(u.origin!.value, '/p');
  assert.ok(e.functions.has('f'));
});

test('export marks variables exported; ulimit arguments are expanded', () => {
  const e = ev('cpu=3600\nexport MAKECONF=/etc/mk.conf\nexport cpu\nulimit -t $cpu\nulimit -v $(echo 1)\n');
  assert.equal(e.variables.get('MAKECONF')!.exported, true);
  assert.equal(e.variables.get('cpu')!.exported, true);
  assert.deepEqual(
    e.ulimits.map((u) => u.args),
    [
      ['-t', '3600'],
      ['-v', undefined],
    ],
  );
});

test('every reference of the document has exactly one use, in document order', () => {
  const doc = parseConf('a=$b\nif x; then c=$a; fi\nf() { $c; }\nd=$(echo $a)\n', 'f');
  const e = evaluateConf(doc);
  assert.equal(e.references.length, doc.references.length);
  e.references.forEach((u, i) => assert.equal(u.reference, doc.references[i]));
});
