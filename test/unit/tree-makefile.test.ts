// The static Makefile reader: what it takes from a Makefile, what it flags, and (fast-check)
// that any text at all, random or a mutated real Makefile, neither throws nor yields a position
// outside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMakefile, spanRange, evaluate, readSubdirs } from '../../src/pkgsrc/tree';
import type { MkAssignment, ParsedMakefile } from '../../src/pkgsrc/tree';
import { decodeText } from '../../src/pkgsrc/tree/read';
import { buildPackageInfo, commonTarget, parsePackageMakefile } from '../../src/pkgsrc/tree/package';
import path from 'node:path';
import type { Range } from '../../src/pkgsrc/problem';

const F = '/p/cat/pkg/Makefile';

function assigns(p: ParsedMakefile): MkAssignment[] {
  return p.statements.filter((s): s is MkAssignment => s.kind === 'assign');
}

function values(text: string): Record<string, string> {
  const m = evaluate({ file: F, statements: parseMakefile(text, F).statements }, () => undefined);
  return Object.fromEntries([...m].map(([k, v]) => [k, v.value]));
}

test('assignments: operators, comments, escapes, trailing blanks', () => {
  const p = parseMakefile('A=\t1 # c\nB ?= two words  \nC+=x\nC+= y\nD:=${A}\nE!= echo hi\nF=\tC\\# bindings\n', F);
  const a = assigns(p);
  assert.deepEqual(
    a.map((s) => [s.name, s.op, s.value]),
    [
      ['A', '=', '1'],
      ['B', '?=', 'two words'],
      ['C', '+=', 'x'],
      ['C', '+=', 'y'],
      ['D', ':=', '${A}'],
      ['E', '!=', 'echo hi'],
      ['F', '=', 'C# bindings'],
    ],
  );
  assert.deepEqual(spanRange(a[0]!), { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } });
  assert.deepEqual(
    p.problems.map((x) => [x.code, x.range.start.line, x.range.start.character]),
    [['trailing-whitespace', 1, 14]],
  );
});

test('evaluation follows bmake: ?= keeps, += appends, = replaces', () => {
  assert.deepEqual(values('X= 1\nX?= 2\nY?= 3\nZ= a\nZ+= b\nW+= c\nV= old\nV= new\n'), { X: '1', Y: '3', Z: 'a b', W: 'c', V: 'new' });
});

test('continuation lines join with one space and keep positions on their physical lines', () => {
  const p = parseMakefile('CONFIGURE_ARGS+=\t--a \\\n\t\t--b \\\n  --c\nNEXT=1\n', F);
  const [args, next] = assigns(p);
  assert.equal(args!.value, '--a --b --c');
  assert.deepEqual(spanRange(args!), { start: { line: 0, character: 17 }, end: { line: 2, character: 5 } });
  assert.equal(next!.line, 3);
});

test('targets, their commands and conditionals', () => {
  const p = parseMakefile('.if defined(X)\nA= 1\n.endif\npost-install:\n\t${INSTALL} foo # not=assign\n.if 1\n\techo x\n.endif\nB= 2\n.endif\n', F);
  const a = assigns(p);
  assert.deepEqual(
    a.map((s) => [s.name, s.conditional]),
    [
      ['A', true],
      ['B', false],
    ],
  );
  assert.deepEqual(
    p.problems.map((x) => x.code),
    ['unmatched-endif'],
  );
});

test('includes, disabled SUBDIR entries and broken lines', () => {
  const p = parseMakefile(
    '.include "../../x/y/Makefile.common"\n.sinclude <sys.mk>\n#SUBDIR+=\tregress\t\t# tests by hand\n# SUBDIR+= foo\nnot a line\nFOO\n.include nothing\nX= ${A\n',
    F,
  );
  const inc = p.statements.filter((s) => s.kind === 'include');
  assert.deepEqual(
    inc.map((s) => s.kind === 'include' && [s.path, s.optional, s.range.start.character]),
    [
      ['../../x/y/Makefile.common', false, 10],
      ['sys.mk', true, 11],
    ],
  );
  assert.deepEqual(
    p.disabled.map((d) => [d.name, d.reason, d.range.start.line, d.range.start.character]),
    [
      ['regress', 'tests by hand', 2, 10],
      ['foo', undefined, 3, 11],
    ],
  );
  assert.deepEqual(
    p.problems.map((x) => [x.code, x.range.start.line]),
    [
      ['unparsable-line', 4],
      ['unparsable-line', 5],
      ['bad-include', 6],
      ['unclosed-expression', 7],
    ],
  );
});

test('package Makefiles keep only the includes metadata can come from, and still flag broken ones', () => {
  const p = parsePackageMakefile(
    '.include "../../mk/bsd.prefs.mk"\n.include "Makefile.common"\n.include "../../lang/python/egg.mk"\n.sinclude "../../a/b/Makefile.common"\n.include nothing\n',
    F,
  );
  assert.deepEqual(
    p.statements.map((s) => s.kind === 'include' && s.path),
    ['Makefile.common', '../../a/b/Makefile.common'],
  );
  assert.deepEqual(
    p.problems.map((x) => [x.code, x.range.start.line]),
    [['bad-include', 4]],
  );
});

test('CRLF files: values without CR, one problem, and columns as in the file', () => {
  const p = parseMakefile('COMMENT=\tCRLF package\r\nX=1\r\n', F);
  assert.deepEqual(
    assigns(p).map((s) => s.value),
    ['CRLF package', '1'],
  );
  assert.deepEqual(
    p.problems.map((x) => [x.code, x.range.start.line, x.range.start.character]),
    [['crlf-line-ends', 0, 21]],
  );
});

test('a backslash on the last line and unclosed conditionals are reported', () => {
  const p = parseMakefile('.if 1\nX= a \\', F);
  assert.equal(assigns(p)[0]!.value, 'a');
  assert.deepEqual(p.problems.map((x) => x.code).sort(), ['continuation-at-eof', 'unclosed-conditional']);
});

test('SUBDIR as pbulk counts it: ${...} skipped, duplicates and paths flagged, = resets', () => {
  const s = readSubdirs(
    'COMMENT=\tArchivers\nSUBDIR+=\ta b # c\nSUBDIR+=\t${USER_ADDITIONAL_PKGS}\nSUBDIR+= a\nSUBDIR+= x/y\n#SUBDIR+=\toff\t# broken\n.if 0\nSUBDIR+= cond\n.endif\n',
    F,
  );
  assert.deepEqual(
    s.entries.map((e) => e.name),
    ['a', 'b', 'cond'],
  );
  assert.equal(s.comment?.value, 'Archivers');
  assert.deepEqual(
    s.disabled.map((d) => [d.name, d.reason]),
    [['off', 'broken']],
  );
  assert.deepEqual(s.problems.map((p) => p.code).sort(), ['bad-subdir-entry', 'conditional-subdir', 'duplicate-subdir']);
  assert.deepEqual(
    readSubdirs('SUBDIR+= a\nSUBDIR= b\n', F).entries.map((e) => e.name),
    ['b'],
  );
});

test('decodeText: Latin-1 fallback with the first bad byte located, NULs flagged', () => {
  const d = decodeText(F, Buffer.from('A=1\nCOMMENT=\tCaf\xe9\n', 'latin1'));
  assert.equal(d.text, 'A=1\nCOMMENT=\tCaf\u00e9\n');
  assert.deepEqual(
    d.problems.map((p) => [p.code, p.range.start]),
    [['invalid-utf8', { line: 1, character: 12 }]],
  );
  const n = decodeText(F, Buffer.from('A=1\nB=\0x'));
  assert.deepEqual(
    n.problems.map((p) => [p.code, p.range.start]),
    [['binary-file', { line: 1, character: 2 }]],
  );
});

// ---- properties ------------------------------------------------------------------------

function inside(text: string, r: Range): boolean {
  const lines = text.split('\n');
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    p.line >= 0 &&
    p.line < lines.length &&
    p.character >= 0 &&
    p.character <= lines[p.line]!.length;
  const before = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && before;
}

function checkAll(text: string): void {
  const p = parseMakefile(text, F, { wordsOf: new Set(['SUBDIR']) });
  for (const x of p.problems) assert.ok(inside(text, x.range), `problem ${x.code} ${JSON.stringify(x.range)}`);
  for (const d of p.disabled) assert.ok(inside(text, d.range), 'disabled entry');
  for (const s of p.statements) {
    const r = s.kind === 'include' ? s.range : spanRange(s);
    assert.ok(inside(text, r), `statement ${JSON.stringify(s)}`);
    if (s.kind === 'assign') for (const w of s.words ?? []) assert.ok(inside(text, w.range), 'word');
  }
  const sub = readSubdirs(text, F);
  for (const x of sub.problems) assert.ok(inside(text, x.range), `subdir problem ${x.code}`);
  for (const e of sub.entries) assert.ok(inside(text, e.range), 'subdir entry');
  const info = buildPackageInfo({ path: 'cat/pkg', makefile: F, parsed: parsePackageMakefile(text, F), readProblems: [], commons: () => undefined });
  for (const x of info.problems) assert.ok(inside(text, x.range), `package problem ${x.code}`);
  for (const v of Object.values(info.vars)) assert.ok(inside(text, spanRange(v)), 'value');
}

const pieces = [
  'SUBDIR+=',
  'COMMENT=',
  'PKGNAME?=',
  'DISTNAME:=',
  'X!=',
  'Y+=',
  '#',
  '#SUBDIR+=\t',
  '\\',
  '\\#',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '${',
  '}',
  '$(',
  ')',
  '.include "',
  '"',
  '.if ',
  '.endif',
  '.for x in a',
  '.endfor',
  'target:',
  ':',
  '=',
  'a',
  'foo',
  '../../cat/pkg/Makefile.common',
  '\u00e9',
  '\u{1F600}',
  '\0',
];

test('property: random Makefile-ish text never throws, every position lies in the text', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 60 }), (parts) => checkAll(parts.join(''))),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => checkAll(s)),
    { numRuns: 150 },
  );
});

const real = [
  '# $NetBSD: Makefile,v 1.12 2012/10/03 21:56:34 wiz Exp $',
  '',
  'DISTNAME=\tfoo-src-1.2',
  'PKGNAME=\t${DISTNAME:S/-src//}',
  'PKGREVISION=\t3',
  'CATEGORIES=\tdevel',
  'MASTER_SITES=\t${MASTER_SITE_SOURCEFORGE:=foo/}',
  '',
  'MAINTAINER=\tpkgsrc-users@NetBSD.org',
  'HOMEPAGE=\thttps://foo.org/',
  'COMMENT=\tC\\# bindings for foo',
  'LICENSE=\tmit\t# or newer',
  '',
  'DEPENDS+=\tbar>=1.0:../../devel/bar',
  'CONFIGURE_ARGS+=\t--a \\',
  '\t\t--b',
  '',
  '.include "../../devel/foo-common/Makefile.common"',
  '.if !empty(PKG_OPTIONS:Mssl)',
  'CONFIGURE_ARGS+=\t--with-ssl',
  '.endif',
  'post-install:',
  '\t${INSTALL_DATA} ${WRKSRC}/x ${DESTDIR}${PREFIX}/share',
  '.include "../../mk/bsd.pkg.mk"',
  '',
].join('\n');

test('property: mutated real Makefiles never throw, every position lies in the text', () => {
  const mutation = fc.tuple(fc.nat({ max: real.length }), fc.nat({ max: 8 }), fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })));
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (muts) => {
      let t = real;
      for (const [at, del, ins] of muts) {
        const i = Math.min(at, t.length);
        t = t.slice(0, i) + ins + t.slice(i + del);
      }
      checkAll(t);
    }),
    { numRuns: 250 },
  );
});

test('property: any bytes decode without throwing, positions inside the decoded text', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const d = decodeText(F, Buffer.from(bytes));
      for (const p of d.problems) assert.ok(inside(d.text, p.range), `${p.code} ${JSON.stringify(p.range)}`);
    }),
    // A NUL after a 2-byte UTF-8 sequence: its column counts characters, not bytes.
    { numRuns: 500, examples: [[Uint8Array.from([0xc2, 0x80, 0])]] },
  );
});

test('property: bytes near the edges of UTF-8 (overlong, surrogate, too high) put problems inside the text', () => {
  const edgy = fc.constantFrom(0, 10, 0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc2, 0xe0, 0xed, 0xf0, 0xf4);
  fc.assert(
    fc.property(fc.array(edgy, { maxLength: 24 }), (arr) => {
      const d = decodeText(F, Buffer.from(arr));
      for (const p of d.problems) assert.ok(inside(d.text, p.range), `${p.code} ${JSON.stringify(p.range)} ${arr}`);
    }),
    { numRuns: 2000, examples: [[[0xe0, 0x80, 0x80, 10]], [[0xed, 0xa0, 0x80, 10]], [[0xf4, 0x90, 0x80, 0x80, 10]]] },
  );
});

test('property: the Makefile.common an include names is where path.resolve puts it', () => {
  const seg = fc.oneof(fc.constantFrom('.', '..', '', 'devel', 'x.y', 'Makefile.common'), fc.stringMatching(/^[a-z.]{1,4}$/));
  const absPath = fc.array(seg, { minLength: 0, maxLength: 5 }).map((s) => `/${s.join('/')}`);
  const incPath = fc.oneof(
    fc.constant('Makefile.common'),
    fc.tuple(seg, seg).map(([c, d]) => `../../${c}/${d}/Makefile.common`),
    fc.array(seg, { maxLength: 4 }).map((s) => [...s, 'Makefile.common'].join('/')),
  );
  fc.assert(
    fc.property(absPath, incPath, (dir, inc) => {
      const makefile = `${dir}/Makefile`;
      const got = commonTarget(makefile, {
        kind: 'include',
        path: inc,
        range: spanRange({ line: 0, character: 0, endLine: 0, endCharacter: 0 }),
        conditional: false,
        optional: false,
      });
      assert.equal(got, path.resolve(path.dirname(makefile), inc), `${makefile} ${inc}`);
    }),
    { numRuns: 500 },
  );
});
