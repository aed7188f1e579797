// A change made in a form (set a setting, add one the file lacks, remove one) as the smallest
// text edits on the pbulk.conf: a new value replaces only the old value's word, a new setting is
// one new line where the schema's order puts it, a removal takes the assignment (and its line
// when nothing else is on it). Comments, order, layout and every other byte stay as they are.
import { evaluateConf, type ConfEvaluation } from '../evaluate';
import { lineIndexFor } from '../positions';
import type { Assignment, ConfDocument, TextEdit } from '../types';
import { insertionOffset } from './place';
import { settingSite } from './site';
import { referencedNames, shellWord } from './word';

export type SettingChange =
  /** Gives the setting this form value: replaces the value of its last assignment, or adds it. */
  | { kind: 'set'; name: string; value: string }
  /** Removes every assignment of the setting, so pbulk sees it unset. */
  | { kind: 'unset'; name: string };

export type SettingEditResult = { edits: TextEdit[] } | { error: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The line break the file uses (its first one), LF for a file without any. */
function lineBreakOf(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

export function settingEdits(doc: ConfDocument, change: SettingChange, ev: ConfEvaluation = evaluateConf(doc)): SettingEditResult {
  if (!NAME.test(change.name)) return { error: `"${change.name}" is not a shell variable name` };
  const site = settingSite(doc, ev, change.name);
  if (site.kind === 'readonly') {
    return { error: `${change.name} is ${site.reason} (line ${site.lines.map((l) => l + 1).join(', ')}): change it in the text editor` };
  }
  const idx = lineIndexFor(doc);
  if (change.kind === 'set') {
    if (site.kind === 'editable') {
      const word = shellWord(change.value, site.style);
      if (word === site.assignment.value.raw) return { edits: [] };
      return { edits: [{ range: site.assignment.value.range, newText: word }] };
    }
    const at = insertionOffset(doc, ev, change.name, referencedNames(change.value));
    const eol = lineBreakOf(doc.text);
    const line = `${change.name}=${shellWord(change.value)}`;
    const atEndWithoutBreak = at === doc.text.length && doc.text !== '' && !/[\r\n]$/.test(doc.text);
    const p = idx.position(at);
    return { edits: [{ range: { start: p, end: p }, newText: atEndWithoutBreak ? eol + line : line + eol }] };
  }
  if (site.kind === 'absent') return { edits: [] };
  return { edits: removalSpans(doc, site.assignments).map(([s, e]) => ({ range: idx.range(s, e), newText: '' })) };
}

/** Offsets to delete to remove the assignments, merged, never overlapping, in order. */
function removalSpans(doc: ConfDocument, gone: Assignment[]): [number, number][] {
  const idx = lineIndexFor(doc);
  const text = doc.text;
  const removed = new Set(gone);
  const spans: [number, number][] = [];
  for (const a of gone) {
    // `export a=1 b=2` or `a=1 b=2`: one statement holding assignments that stay.
    const siblings = doc.statements.filter(
      (s): s is Assignment => s.kind === 'assignment' && s !== a && idx.offset(s.statementRange.start) === idx.offset(a.statementRange.start),
    );
    if (siblings.some((s) => !removed.has(s))) {
      const s = idx.offset(a.range.start);
      const e = idx.offset(a.range.end);
      const after = /^[ \t]+/.exec(text.slice(e));
      const before = /[ \t]+$/.exec(text.slice(0, s));
      spans.push(after ? [s, e + after[0].length] : before ? [s - before[0].length, e] : [s, e]);
      continue;
    }
    spans.push(statementSpan(text, idx.offset(a.statementRange.start), idx.offset(a.statementRange.end)));
  }
  spans.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    if (last && sp[0] < last[1]) last[1] = Math.max(last[1], sp[1]);
    else merged.push([...sp]);
  }
  return merged.map(([s, e]) => wholeLines(doc, s, e));
}

/** A statement with the `;` and blanks that tie it to its neighbours on the line. */
function statementSpan(text: string, s: number, e: number): [number, number] {
  const rest = text.slice(e);
  const head = text.slice(0, s);
  const semiAfter = /^[ \t]*;[ \t]*/.exec(rest);
  if (semiAfter && !/^[ \t]*;[ \t]*(#.*)?(\r|\n|$)/.test(rest)) return [s, e + semiAfter[0].length];
  const semiBefore = /[ \t]*;[ \t]*$/.exec(head);
  if (semiBefore && !/(^|\n|\r)[ \t]*$/.test(head)) return [s - semiBefore[0].length, e];
  return [s, e];
}

/** Widens a deletion to its whole lines when nothing but blanks, a `;` or a comment would stay on them. */
function wholeLines(doc: ConfDocument, s: number, e: number): [number, number] {
  const idx = lineIndexFor(doc);
  const first = idx.position(s).line;
  const last = idx.position(e).line;
  const lineStart = idx.starts[first]!;
  const lineEnd = idx.ends[last]!;
  if (!/^[ \t]*$/.test(doc.text.slice(lineStart, s)) || !/^[ \t]*;?[ \t]*(#.*)?$/.test(doc.text.slice(e, lineEnd))) return [s, e];
  if (last + 1 < idx.lineCount) return [lineStart, idx.starts[last + 1]!];
  // The last line: take the line break before it instead, so the file keeps its ending.
  return first > 0 ? [idx.ends[first - 1]!, lineEnd] : [lineStart, lineEnd];
}
