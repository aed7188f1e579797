// Where a build problem lands in a package's own files: the Makefile line of a dependency or a
// BROKEN reason, the patch line of a compiler error in a patched file, the files/ entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findAssignment, findDependencyLine, findDistinfoLine, findDistfileLine, findReasonLine } from '../../src/extension/diagnostics/makefileLines';
import { mapSourcePosition, parsePatch, relativeSourcePath, samePath } from '../../src/extension/diagnostics/patchMap';

const MAKEFILE = `# $NetBSD: Makefile,v 1.20 2013/01/01 00:00:00 wiz Exp $

DISTNAME=	foo-1.2
PKGREVISION=	3
CATEGORIES=	devel
MASTER_SITES=	\${MASTER_SITE_GNU:=foo/}

MAINTAINER=	pkgsrc-users@NetBSD.org
COMMENT=	Example package

DEPENDS+=	p5-bar>=1.0:../../devel/p5-bar
BUILD_DEPENDS+=	gettext-tools>=0.14:../../devel/gettext-tools \\
		m4>=1.4:../../devel/m4
BROKEN=		Does not build with gcc 12
NOT_FOR_PLATFORM=	Interix-*-*

.include "../../devel/p5-bar-extra/buildlink3.mk"
.include "../../devel/libfoo/buildlink3.mk"
.include "../../mk/bsd.pkg.mk"
`;

test('a dependency is found on its DEPENDS line, a continuation line, or its buildlink3.mk include', () => {
  assert.deepEqual(findDependencyLine(MAKEFILE, { pkgpath: 'devel/p5-bar' }), { line: 10, start: 22, end: 40 });
  // On the physical line of a folded BUILD_DEPENDS, not the first line of the assignment.
  assert.equal(findDependencyLine(MAKEFILE, { pkgpath: 'devel/m4' })?.line, 12);
  assert.equal(findDependencyLine(MAKEFILE, { pkgpath: 'devel/gettext-tools' })?.line, 11);
  // `devel/p5-bar` is not a prefix match of `devel/p5-bar-extra`.
  assert.equal(findDependencyLine(MAKEFILE, { pkgpath: 'devel/p5-bar-extra' })?.line, 16);
  assert.equal(findDependencyLine(MAKEFILE, { pkgpath: 'devel/libfoo' })?.line, 17);
  assert.equal(findDependencyLine(MAKEFILE, { pkgpath: '../../devel/libfoo' })?.line, 17);
  assert.equal(findDependencyLine(MAKEFILE, { pattern: 'm4>=1.4' })?.line, 12);
  assert.equal(findDependencyLine(MAKEFILE, { pkgpath: 'lang/perl5' }), undefined);
});

test('a prefailed reason is found on the variable that set it', () => {
  assert.equal(findReasonLine(MAKEFILE, ['foo-1.2nb3 is marked as broken:', 'Does not build with gcc 12'])?.line, 13);
  assert.equal(findReasonLine(MAKEFILE, ['foo-1.2nb3 is not available for Interix-3.5-i386'])?.line, 14);
  assert.equal(findReasonLine('PKG_FAIL_REASON+=\t"no"\n', ['anything'])?.line, 0);
  assert.equal(findReasonLine('DISTNAME=x\n', ['anything']), undefined);
  assert.equal(findAssignment(MAKEFILE, ['PKGREVISION'])?.line, 3);
  assert.equal(findDistfileLine(MAKEFILE, 'fetch')?.line, 5);
  assert.equal(findDistfileLine(MAKEFILE, 'checksum')?.line, 2);
});

test('distinfo: the line of a distfile, preferring the algorithm that failed', () => {
  const d = '$NetBSD$\n\nSHA1 (foo-1.2.tar.gz) = aa\nRMD160 (foo-1.2.tar.gz) = bb\nSize (foo-1.2.tar.gz) = 10 bytes\nSHA1 (patch-aa) = cc\n';
  assert.equal(findDistinfoLine(d, 'foo-1.2.tar.gz')?.line, 2);
  assert.equal(findDistinfoLine(d, 'foo-1.2.tar.gz', 'RMD160')?.line, 3);
  assert.equal(findDistinfoLine(d, '/distfiles/foo-1.2.tar.gz', 'SHA512')?.line, 2);
  assert.equal(findDistinfoLine(d, 'bar.tar.gz'), undefined);
});

const PATCH = `$NetBSD$

Use the standard header.

--- src/main.c.orig\t2013-01-01 00:00:00.000000000 +0000
+++ src/main.c
@@ -1,3 +1,3 @@
 #include <stdio.h>
-#include <malloc.h>
+#include <stdlib.h>
 int main(void);
@@ -10,4 +10,5 @@ int main(void)
 {
-\tx = 1;
+\tint x;
+\tx = 1;
 \treturn 0;
 }
--- a/lib/util.c
+++ b/lib/util.c
@@ -0,0 +1,2 @@
+int util(void);
+int util(void) { return 0; }
`;

test('a patch: the files it changes and the patch line of each new line', () => {
  const files = parsePatch(PATCH);
  assert.deepEqual(
    files.map((f) => [f.target, f.headerLine]),
    [
      ['src/main.c', 5],
      ['lib/util.c', 19],
    ],
  );
  const main = files[0]!;
  assert.deepEqual(main.lines.slice(0, 3), [
    { patchLine: 7, newLine: 0 },
    { patchLine: 9, newLine: 1 },
    { patchLine: 10, newLine: 2 },
  ]);
  // Second hunk: new lines 10..14 (1-based) are 9..13.
  assert.deepEqual(
    main.lines.slice(3).map((l) => [l.newLine, l.patchLine]),
    [
      [9, 12],
      [10, 14],
      [11, 15],
      [12, 16],
      [13, 17],
    ],
  );
  assert.deepEqual(
    files[1]!.lines.map((l) => [l.newLine, l.patchLine]),
    [
      [0, 21],
      [1, 22],
    ],
  );
});

test('compiler positions map to the patch line, to files/, or nowhere', () => {
  const src = {
    patches: [{ path: '/p/devel/foo/patches/patch-aa', text: PATCH }],
    files: [
      { path: '/p/devel/foo/files/extra.c', rel: 'extra.c' },
      { path: '/p/devel/foo/files/a/dup.h', rel: 'a/dup.h' },
      { path: '/p/devel/foo/files/b/dup.h', rel: 'b/dup.h' },
    ],
  };
  // main.c:11:2 (0-based 10, 1): the added `int x;` line of the second hunk.
  assert.deepEqual(mapSourcePosition('src/main.c', 10, 1, src), { file: '/p/devel/foo/patches/patch-aa', line: 14, character: 2, kind: 'patch' });
  assert.deepEqual(mapSourcePosition('./src/main.c', 1, undefined, src)?.line, 9);
  // An absolute path inside the work directory.
  assert.equal(mapSourcePosition('/bulk/scratch/devel/foo/work/foo-1.2/src/main.c', 0, 0, src)?.line, 7);
  // A line the patch does not touch stays in the log.
  assert.equal(mapSourcePosition('src/main.c', 5, 0, src), undefined);
  assert.deepEqual(mapSourcePosition('extra.c', 41, 3, src), { file: '/p/devel/foo/files/extra.c', line: 41, character: 3, kind: 'files' });
  assert.equal(mapSourcePosition('dup.h', 1, 0, src), undefined, 'two files/ entries of that name: ambiguous');
  assert.equal(mapSourcePosition('a/dup.h', 1, 0, src)?.file, '/p/devel/foo/files/a/dup.h');
  assert.equal(mapSourcePosition('other.c', 1, 0, src), undefined);
  assert.equal(relativeSourcePath('/x/work/foo-1/sub/a.c'), 'sub/a.c');
  assert.ok(samePath('sub/a.c', 'a.c') && !samePath('sub/a.c', 'ba.c'));
});

test('property: random and mutated Makefiles and patches never throw, and hits lie inside the text', () => {
  const lineOf = (text: string, line: number) => text.split('\n')[line];
  const mutate = fc
    .tuple(fc.constantFrom(MAKEFILE, PATCH), fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 4 })), { maxLength: 8 }))
    .map(([base, edits]) => {
      let t = base;
      for (const [at, s] of edits) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + s + t.slice(i + 1);
      }
      return t;
    });
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 400 }), mutate), fc.string({ maxLength: 20 }), fc.nat(200), (text, word, n) => {
      for (const hit of [
        findDependencyLine(text, { pkgpath: 'devel/p5-bar', pattern: word }),
        findReasonLine(text, [word]),
        findDistfileLine(text, 'fetch'),
        findDistinfoLine(text, word || 'x'),
        findAssignment(text, [word || 'X']),
      ]) {
        if (!hit) continue;
        const l = lineOf(text.replace(/\r\n/g, '\n'), hit.line);
        assert.ok(l !== undefined, 'line inside the text');
        assert.ok(hit.start >= 0 && hit.end <= l.length && hit.start <= hit.end, 'columns inside the line');
      }
      const patchLines = text.split('\n').length;
      for (const f of parsePatch(text)) for (const l of f.lines) assert.ok(l.patchLine < patchLines && l.newLine >= 0);
      mapSourcePosition(word || 'a.c', n, n, { patches: [{ path: '/p', text }], files: [] });
    }),
    { numRuns: 400 },
  );
});
