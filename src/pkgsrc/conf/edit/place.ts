// Where a setting the file does not have yet goes: after the assignment of the variable that
// comes closest before it in the schema's order (else before the closest one after it, else at
// the end), moved down below the assignments of the variables its value refers to so that
// ${var} sees them, and never into the middle of a multi-line statement or compound command.
import type { ConfEvaluation } from '../evaluate';
import { lineIndexFor } from '../positions';
import { confSchema } from '../schema/index';
import type { Assignment, ConfDocument } from '../types';

const schemaOrder = new Map(confSchema.map((v, i) => [v.name, i]));

/** Offset of the start of the line after `line` (or the end of the text). */
function afterLine(doc: ConfDocument, line: number): number {
  const idx = lineIndexFor(doc);
  return line + 1 < idx.lineCount ? idx.starts[line + 1]! : doc.text.length;
}

/** The offset at which a new line `name=...` is inserted. */
export function insertionOffset(doc: ConfDocument, ev: ConfEvaluation, name: string, refs: readonly string[]): number {
  const idx = lineIndexFor(doc);
  const top = doc.statements.filter((s): s is Assignment => s.kind === 'assignment');
  const rank = schemaOrder.get(name);
  let at: number | undefined;
  if (rank !== undefined) {
    let before: { rank: number; a: Assignment } | undefined;
    let after: { rank: number; a: Assignment } | undefined;
    for (const a of top) {
      const r = schemaOrder.get(a.name);
      if (r === undefined || r === rank) continue;
      if (r < rank && (!before || r > before.rank || (r === before.rank && a.index > before.a.index))) before = { rank: r, a };
      if (r > rank && (!after || r < after.rank)) after = { rank: r, a };
    }
    if (before) at = afterLine(doc, before.a.statementRange.end.line);
    else if (after) at = idx.starts[after.a.statementRange.start.line]!;
  }
  at ??= doc.text.length;
  // Below every assignment the value refers to.
  for (const ref of refs) {
    const state = ev.variables.get(ref);
    for (const a of state?.assignments ?? []) at = Math.max(at, afterLine(doc, a.statementRange.end.line));
    for (const r of state?.dynamicRegions ?? []) at = Math.max(at, afterLine(doc, r.range.end.line));
  }
  // Not inside a statement that spans lines (a quoted value, an if ... fi).
  for (let moved = true; moved;) {
    moved = false;
    for (const s of doc.statements) {
      const start = idx.offset(s.range.start);
      const end = idx.offset(s.range.end);
      if (start < at && at < end) {
        at = afterLine(doc, s.range.end.line);
        moved = true;
      }
    }
  }
  return at;
}
