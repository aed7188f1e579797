// The sh-subset parser: statements, exact ranges, quoting, references, dynamic regions, and
// tolerance of broken input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConf, plainText, type Assignment, type DynamicRegion, type Statement } from '../../src/pkgsrc/conf/index';

const assignments = (ss: Statement[]): Assignment[] => ss.filter((s): s is Assignment => s.kind === 'assignment');
const dynamics = (ss: Statement[]): DynamicRegion[] => ss.filter((s): s is DynamicRegion => s.kind === 'dynamic');
/** The text a range covers (single-line ranges). */
const at = (text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string => {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.character, r.end.character);
  return [lines[r.start.line]!.slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line]!.slice(0, r.end.character)].join('\n');
};

test('plain, single- and double-quoted assignments with exact ranges', () => {
  const text = 'a=plain\nb=\'single $x\'\nc="double ${a} and $b"\n  d=x\\ y # trailing comment\n';
  const doc = parseConf(text, 'f');
  const [a, b, c, d] = assignments(doc.statements);
  assert.deepEqual([a!.name, b!.name, c!.name, d!.name], ['a', 'b', 'c', 'd']);
  assert.equal(at(text, a!.nameRange), 'a');
  assert.equal(at(text, a!.value.range), 'plain');
  assert.equal(at(text, b!.value.range), "'single $x'");
  assert.equal(at(text, c!.range), 'c="double ${a} and $b"');
  assert.equal(at(text, d!.value.range), 'x\\ y');
  assert.equal(plainText(d!.value), 'x y');
  assert.deepEqual(
    doc.comments.map((k) => k.text),
    [' trailing comment'],
  );
  // No reference inside single quotes; both forms inside double quotes.
  assert.deepEqual(
    doc.references.map((r) => [r.name, at(text, r.range), at(text, r.nameRange), r.braced]),
    [
      ['a', '${a}', 'a', true],
      ['b', '$b', 'b', false],
    ],
  );
});

test('references belong to the statement they are in, even several on one line', () => {
  const doc = parseConf('a=1 b=$a c=${b}x\n', 'f');
  const [, b, c] = assignments(doc.statements);
  assert.deepEqual(
    doc.references.map((r) => [r.name, r.statement]),
    [
      ['a', b!.index],
      ['b', c!.index],
    ],
  );
});

test('parameter operators keep their word and its references', () => {
  const doc = parseConf('x=${prefix:-/usr/pkg} y=${#prefix} z=${a:+"${b}"}\n', 'f');
  const ops = doc.references.map((r) => [r.name, r.op ?? '']);
  assert.deepEqual(ops, [
    ['prefix', ':-'],
    ['prefix', 'len'],
    ['a', ':+'],
    ['b', ''],
  ]);
});

test('special parameters are marked special', () => {
  const doc = parseConf('x="$1 $@ ${10} $$"\n', 'f');
  assert.ok(doc.references.every((r) => r.special));
  assert.deepEqual(
    doc.references.map((r) => r.name),
    ['1', '@', '10', '$'],
  );
});

test('export, unset, ulimit and other commands', () => {
  const text = 'export PBULK_CONF=/etc/pbulk.conf PATH\nunset foo bar\nunset -f myfunc\nulimit -t 3600\numask 022\nFOO=1 make show-var\n';
  const ss = parseConf(text, 'f').statements;
  assert.deepEqual(
    ss.map((s) => s.kind),
    ['assignment', 'export', 'unset', 'unset', 'ulimit', 'command', 'command'],
  );
  assert.equal((ss[0] as Assignment).exported, true);
  assert.deepEqual(
    (ss[1] as { names: { name: string }[] }).names.map((n) => n.name),
    ['PATH'],
  );
  assert.deepEqual(
    (ss[2] as { names: { name: string }[] }).names.map((n) => n.name),
    ['foo', 'bar'],
  );
  assert.equal((ss[3] as { functions: boolean }).functions, true);
  assert.deepEqual(
    (ss[4] as { args: { raw: string }[] }).args.map((w) => w.raw),
    ['-t', '3600'],
  );
  const cmd = ss[6] as { envAssignments: Assignment[]; name: { raw: string } };
  assert.equal(cmd.name.raw, 'make');
  assert.deepEqual(
    cmd.envAssignments.map((a) => a.name),
    ['FOO'],
  );
});

test('if, case, loops, groups and and-or lists are dynamic regions that list what they may set', () => {
  const text = [
    'if [ "$(uname)" = NetBSD ]; then',
    '  make=/usr/bin/make',
    'elif true; then make=/usr/pkg/bin/bmake',
    'else',
    '  make=bmake; other=1',
    'fi',
    'case $host in',
    '  (a|b) prefix=/usr/pkg ;;',
    '  *) prefix=/opt/pkg',
    'esac',
    'for x in 1 2; do y=$x; done',
    'while false; do w=1; done',
    '{ g=1; }',
    '( s=1 )',
    'test -d /x && t=1 || t=2',
    'echo a | read r',
    'sleep 1 &',
  ].join('\n');
  const doc = parseConf(text, 'f');
  assert.deepEqual(doc.problems, []);
  const ds = dynamics(doc.statements);
  assert.deepEqual(
    ds.map((d) => d.dynamicKind),
    ['if', 'case', 'loop', 'loop', 'group', 'subshell', 'and-or', 'pipeline', 'background'],
  );
  assert.deepEqual(
    ds.map((d) => [...new Set(d.mayAssign.map((n) => n.name))]),
    [['make', 'other'], ['prefix'], ['x', 'y'], ['w'], ['g'], [], ['t'], [], []],
  );
  assert.equal(ds[0]!.range.start.line, 0);
  assert.equal(ds[0]!.range.end.line, 5);
  assert.ok(doc.references.filter((r) => r.name === 'host').every((r) => r.context === 'dynamic'));
});

test('a function definition is recorded; its body neither assigns nor expands while sourcing', () => {
  const text = 'my_sync() {\n  cp "$1" "${packages}/All/$2"\n  done_copy=yes\n}\nsync_package=my_sync\n';
  const doc = parseConf(text, 'f');
  assert.deepEqual(
    doc.functions.map((f) => f.name),
    ['my_sync'],
  );
  const fn = dynamics(doc.statements)[0]!;
  assert.equal(fn.dynamicKind, 'function');
  assert.deepEqual(fn.mayAssign, []);
  assert.equal(doc.references.find((r) => r.name === 'packages')!.context, 'function');
});

test('. and eval may set anything', () => {
  const ds = dynamics(parseConf('. /etc/site.conf\neval "$(cat x)"\nsource y\n', 'f').statements);
  assert.deepEqual(
    ds.map((d) => [d.dynamicKind, d.setsAny]),
    [
      ['source', true],
      ['eval', true],
      ['source', true],
    ],
  );
});

test('command substitution is parsed recursively, with the references inside', () => {
  const text = 'arch=$(uname -m | sed "s/${from}/x/")\nb=`echo $HOME`\nn=$(( build_chroots * 2 ))\n';
  const doc = parseConf(text, 'f');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(
    assignments(doc.statements).map((a) => a.value.parts.map((p) => p.kind)),
    [['command'], ['command'], ['arith']],
  );
  assert.deepEqual(
    doc.references.map((r) => [r.name, r.context]),
    [
      ['from', 'substitution'],
      ['HOME', 'substitution'],
      ['build_chroots', 'substitution'],
    ],
  );
});

test('here-documents are skipped, not parsed as commands', () => {
  const doc = parseConf('cat > /tmp/x <<EOF\nif this were code it would not parse (\nEOF\na=1\n', 'f');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(
    assignments(doc.statements).map((a) => a.name),
    ['a'],
  );
});

test('multi-line quoted values keep exact ranges', () => {
  const text = 'build_clients="\n  host1\n  host2"\nnext=1\n';
  const doc = parseConf(text, 'f');
  const [bc, next] = assignments(doc.statements);
  assert.deepEqual(bc!.value.range, { start: { line: 0, character: 14 }, end: { line: 2, character: 8 } });
  assert.equal(plainText(bc!.value), '\n  host1\n  host2');
  assert.equal(next!.range.start.line, 3);
});

test('CRLF files parse like LF files, with one problem and a fix', () => {
  const lf = 'a=1\nb="x y"\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  const d1 = parseConf(lf, 'f');
  const d2 = parseConf(crlf, 'f');
  assert.deepEqual(
    assignments(d2.statements).map((a) => [a.name, plainText(a.value), a.value.range]),
    assignments(d1.statements).map((a) => [a.name, plainText(a.value), a.value.range]),
  );
  assert.deepEqual(
    d2.problems.map((p) => p.code),
    ['crlf-line-ends'],
  );
  assert.equal(d2.problems[0]!.fixes![0]!.edits.length, 2);
  assert.deepEqual(d2.lines, ['a=1', 'b="x y"', '']);
});

test('broken input gives problems with ranges, never an exception', () => {
  const cases: [string, string][] = [
    ['a="unterminated\n', 'unterminated-quote'],
    ["a='unterminated\n", 'unterminated-quote'],
    ['a=`unterminated\n', 'unterminated-quote'],
    ['a=$(unterminated\n', 'unterminated-quote'],
    ['a=${unterminated\n', 'unterminated-quote'],
    ['a=${a b}\n', 'bad-substitution'],
    ['a=${}\n', 'bad-substitution'],
    ['if true; then\n', 'unbalanced-construct'],
    ['while true; do\n', 'unbalanced-construct'],
    ['case x in\n a) ;;\n', 'unbalanced-construct'],
    ['( a=1\n', 'unbalanced-construct'],
    ['fi\n', 'syntax-error'],
    [';;\n', 'syntax-error'],
    ['cat <<EOF\nno end\n', 'syntax-error'],
    ['a=\0\n', 'binary-content'],
    ['\ufeffa=1\n', 'byte-order-mark'],
    ['a=1\u00a0\n', 'odd-whitespace'],
  ];
  for (const [text, code] of cases) {
    const doc = parseConf(text, 'f');
    assert.ok(
      doc.problems.some((p) => p.code === code),
      `${JSON.stringify(text)}: expected ${code}, got ${doc.problems.map((p) => p.code).join(', ')}`,
    );
  }
});

test('after a syntax error the rest of the file is still parsed', () => {
  const doc = parseConf('fi\nprefix=/usr/pkg\n', 'f');
  assert.deepEqual(
    assignments(doc.statements).map((a) => a.name),
    ['prefix'],
  );
});

test('lines follow LSP line breaks, including a lone CR', () => {
  assert.deepEqual(parseConf('a\rb\r\nc\nd', 'f').lines, ['a', 'b', 'c', 'd']);
});
