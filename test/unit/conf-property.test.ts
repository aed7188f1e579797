// Property tests: random and mutated pbulk.conf and limited_list texts never make the parser,
// the evaluation or the checks throw, and every range they report lies inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Range } from '../../src/pkgsrc/problem';
import {
  checkConf,
  checkLimitedList,
  evaluateConf,
  LineIndex,
  parseConf,
  parseLimitedList,
  type ConfDiagnostic,
  type ConfDocument,
} from '../../src/pkgsrc/conf/index';
import { ownConf, pbulkOutput } from '../fixtures/reference-data';
import { BASE, fakeProbe } from './conf-helpers';

const REAL = [readFileSync(ownConf('site.pbulk.conf'), 'utf8'), readFileSync(ownConf('template.pbulk.conf'), 'utf8'), BASE];
const LIST = readFileSync(path.join(pbulkOutput.limitedRun, 'limited_list'), 'utf8');

/** Pieces that exercise every path of the sh lexer. */
const PIECES = [
  'a',
  'x=',
  'prefix=',
  '=',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '"',
  "'",
  '`',
  '$',
  '${',
  '}',
  '$(',
  ')',
  '((',
  '#',
  '\\',
  ';',
  ';;',
  '&',
  '&&',
  '|',
  '||',
  '<<',
  'EOF',
  'if',
  'then',
  'fi',
  'case',
  'in',
  'esac',
  'do',
  'done',
  'while',
  'for',
  '{',
  '(',
  '!',
  'export ',
  'unset ',
  'ulimit ',
  '. ',
  'eval ',
  '\0',
  '\u00a0',
  '\ufeff',
  'é',
  '@PREFIX@',
  '/usr/pkg',
  ':-',
  ':=',
];

const piecesText = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join(''));
const anyText = fc.oneof(piecesText, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }));

/** A real config with a few random edits: delete, insert a piece, duplicate or swap lines. */
const mutated = fc
  .tuple(fc.constantFrom(...REAL), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...PIECES), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 8 }))
  .map(([text, edits]) => {
    let t = text;
    for (const [pos, piece, kind] of edits) {
      const at = pos % (t.length + 1);
      if (kind === 0) t = t.slice(0, at) + t.slice(at + 1 + (pos % 5));
      else if (kind === 1) t = t.slice(0, at) + piece + t.slice(at);
      else {
        const lines = t.split('\n');
        const i = pos % lines.length;
        if (kind === 2) lines.splice(i, 0, lines[i]!);
        else [lines[i], lines[0]] = [lines[0]!, lines[i]!];
        t = lines.join('\n');
      }
    }
    return t;
  });

let cached: { text: string; idx: LineIndex } | undefined;

function assertInside(text: string, r: Range, what: string): void {
  if (cached?.text !== text) cached = { text, idx: new LineIndex(text) };
  const idx = cached.idx;
  for (const p of [r.start, r.end]) {
    assert.ok(p.line >= 0 && p.line < idx.lineCount, `${what}: line ${p.line} outside ${idx.lineCount} lines`);
    assert.ok(p.character >= 0 && p.character <= idx.lineText(p.line).length, `${what}: character ${p.character} outside line ${p.line}`);
  }
  assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: start after end`);
}

function assertDiagnostics(text: string, ds: ConfDiagnostic[]): void {
  for (const d of ds) {
    assertInside(text, d.range, `${d.code} ${d.message}`);
    assert.ok(d.message.length > 0);
    for (const f of d.fixes ?? []) for (const e of f.edits) assertInside(text, e.range, `fix of ${d.code}`);
    for (const r of d.related ?? []) assertInside(text, r.range, `related of ${d.code}`);
  }
}

function assertDocument(text: string, doc: ConfDocument): void {
  for (const s of doc.statements) assertInside(text, s.range, `statement ${s.kind}`);
  for (const r of doc.references) {
    assertInside(text, r.range, `reference ${r.name}`);
    assertInside(text, r.nameRange, `reference name ${r.name}`);
  }
  for (const c of doc.comments) assertInside(text, c.range, 'comment');
}

function lintAll(text: string): void {
  const doc = parseConf(text, '/etc/pbulk.conf');
  assertDocument(text, doc);
  const ev = evaluateConf(doc);
  assert.equal(ev.references.length, doc.references.length);
  for (const version of ['0.51', '0.68']) {
    const ds = checkConf(doc, ev, { pbulkVersion: { version, source: 'setting' }, probe: fakeProbe({ missing: ['/content', '/usr/pbulk/bin'] }) });
    assertDiagnostics(text, ds);
  }
}

test('random text never throws and keeps every range inside the document', () => {
  fc.assert(
    fc.property(anyText, (t) => lintAll(t)),
    { numRuns: 300 },
  );
});

test('mutated real configs never throw and keep every range inside the document', () => {
  fc.assert(
    fc.property(mutated, (t) => lintAll(t)),
    { numRuns: 150 },
  );
});

test('random and mutated limited lists never throw; ranges stay inside', () => {
  const lists = fc.oneof(
    anyText,
    fc.tuple(fc.nat(), fc.constantFrom(...PIECES)).map(([pos, piece]) => LIST.slice(0, pos % LIST.length) + piece + LIST.slice(pos % LIST.length)),
  );
  fc.assert(
    fc.property(lists, fc.boolean(), fc.constantFrom('0.51', '0.68'), (t, masterMode, version) => {
      assertDiagnostics(
        t,
        checkLimitedList(t, '/bulk/limited_list', {
          pbulkVersion: { version, source: 'setting' },
          masterMode,
          pkgsrc: '/usr/pkgsrc',
          probe: fakeProbe({ missing: ['/usr/pkgsrc/lang'] }),
        }),
      );
      for (const e of parseLimitedList(t, version).entries) assertInside(t, e.range, 'entry');
    }),
    { numRuns: 300 },
  );
});

test('applying any fix keeps the document parseable', () => {
  fc.assert(
    fc.property(mutated, (t) => {
      const doc = parseConf(t, 'f');
      const ds = checkConf(doc, evaluateConf(doc), { pbulkVersion: { version: '0.68', source: 'setting' }, probe: fakeProbe() });
      const idx = new LineIndex(t);
      for (const d of ds.slice(0, 5)) {
        for (const f of d.fixes ?? []) {
          const edits = [...f.edits].sort((a, b) => idx.offset(b.range.start) - idx.offset(a.range.start));
          let out = t;
          for (const e of edits) out = out.slice(0, idx.offset(e.range.start)) + e.newText + out.slice(idx.offset(e.range.end));
          lintAll(out);
        }
      }
    }),
    { numRuns: 40 },
  );
});
