// Property tests of what the server computes from text (outline, names under the cursor,
// definitions, completion, hover, limited_list outline): random and mutated configs never make
// them throw, and every range they return lies inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { CompletionItem, DocumentSymbol, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyse, type ConfAnalysis } from '../../src/server/analysis';
import { confCompletion } from '../../src/server/confCompletion';
import { confHover } from '../../src/server/confHover';
import { definitionsFor, nameAt, occurrencesOf } from '../../src/server/confNames';
import { confOutline } from '../../src/server/confOutline';
import { listOutline } from '../../src/server/listOutline';
import { listEntries } from '../../src/server/listEntries';
import { LineIndex } from '../../src/pkgsrc/conf/positions';
import { ownConf, pbulkOutput } from '../fixtures/reference-data';

const seeds = [
  readFileSync(ownConf('site.pbulk.conf'), 'utf8'),
  readFileSync(ownConf('template.pbulk.conf'), 'utf8'),
  readFileSync(path.join(pbulkOutput.limitedRun, 'limited_list'), 'utf8'),
];

const fragments = [
  'prefix=/usr/pkg',
  'bulklog=',
  'loc=${bulklog}/meta',
  'make=${prefix}/bin/bmake',
  '"',
  "'",
  '`',
  '$(',
  ')',
  '${',
  '}',
  '$',
  '#',
  ' # c',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '\t',
  'if true; then',
  'fi',
  'case $x in',
  'a) b=1 ;;',
  'esac',
  'f() {',
  '}',
  'export ',
  'unset ',
  'ulimit -t 3600',
  '${a:-${b}}',
  '$((1+2))',
  '<<EOF\n',
  'EOF',
  '\\',
  '@PREFIX@',
  'é',
  '😀',
  '\0',
  ';',
  '&&',
  '||',
  '|',
  'lang/perl5',
  'x11/gtk2 # c',
  '  ',
];

const configText = fc.oneof(
  fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((a) => a.join('')),
  fc.string({ maxLength: 200 }),
  fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom(...fragments)), { maxLength: 8 })).map(([seed, edits]) =>
    edits.reduce((t, [at, del, ins]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + ins + t.slice(i + del);
    }, seed),
  ),
);

function inside(idx: LineIndex, r: Range, what: string): void {
  for (const p of [r.start, r.end]) {
    assert.ok(p.line >= 0 && p.line < idx.lineCount, `${what}: line ${p.line} of ${idx.lineCount}`);
    assert.ok(p.character >= 0 && p.character <= idx.lineText(p.line).length, `${what}: character ${p.character} of ${idx.lineText(p.line).length}`);
  }
  assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: start after end`);
}

function symbolsInside(idx: LineIndex, syms: DocumentSymbol[]): void {
  for (const s of syms) {
    inside(idx, s.range, `symbol ${s.name}`);
    inside(idx, s.selectionRange, `selection of ${s.name}`);
    symbolsInside(idx, s.children ?? []);
  }
}

test('pbulk.conf features never throw and keep ranges inside the document', () => {
  fc.assert(
    fc.property(configText, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), (text, spots) => {
      const a = analyse(TextDocument.create('file:///var/tmp/pkgsrc-bulk-prop/pbulk.conf', 'pbulk-conf', 1, text)) as ConfAnalysis;
      const idx = new LineIndex(text);
      symbolsInside(idx, confOutline(a.doc));
      for (const [l, c] of spots) {
        const line = l % idx.lineCount;
        const pos = { line, character: c % (idx.lineText(line).length + 1) };
        const at = nameAt(a.doc, pos);
        if (at) {
          inside(idx, at.range, 'name');
          const statement = at.kind === 'reference' ? at.reference.statement : at.kind === 'assignment' ? at.assignment.index : 0;
          for (const d of definitionsFor(a.doc, at.name, statement, at.kind === 'reference' ? at.reference.context : 'top')) inside(idx, d.range, 'definition');
          for (const r of occurrencesOf(a.doc, at.name, true)) inside(idx, r, 'reference');
        }
        const items: CompletionItem[] = confCompletion(a, pos, { pbulkVersion: '0.51', pbulkPrefix: '/usr/pkg_bulk', snippets: true });
        for (const i of items) inside(idx, (i.textEdit as TextEdit).range, `completion ${i.label}`);
        const h = confHover(a, pos);
        if (h?.range) inside(idx, h.range, 'hover');
      }
    }),
    { numRuns: 300 },
  );
});

test('limited_list outline and entries never throw and stay inside the document', () => {
  fc.assert(
    fc.property(configText, fc.constantFrom('0.51', '0.68'), (text, version) => {
      const idx = new LineIndex(text);
      symbolsInside(idx, listOutline(text, version));
      for (const e of listEntries(text)) inside(idx, e.range, `entry ${e.text}`);
    }),
    { numRuns: 300 },
  );
});
