// Where a variable name sits in a parsed pbulk.conf and which assignments a `${var}` sees. The
// file is sourced top to bottom, so a reference at top level sees the last assignment above it;
// one inside a function body runs later and may see any of them.
import type { Position, Range } from '../pkgsrc/problem';
import { type Assignment, type ConfDocument, rangeContains, type Reference } from '../pkgsrc/conf';

export type NameAt =
  | { kind: 'reference'; name: string; range: Range; reference: Reference }
  | { kind: 'assignment'; name: string; range: Range; assignment: Assignment }
  | { kind: 'export' | 'unset' | 'dynamic-assignment' | 'function'; name: string; range: Range; statement: number };

/** The variable name under the cursor: in a reference, an assignment, export/unset or a function name. */
export function nameAt(doc: ConfDocument, pos: Position): NameAt | undefined {
  for (const r of doc.references) {
    if (!r.special && (rangeContains(r.nameRange, pos) || rangeContains(r.range, pos))) {
      // ${a:-$b}: the inner reference is more specific than the outer one.
      const inner = doc.references.find((o) => o !== r && !o.special && rangeContains(r.range, o.range.start) && rangeContains(o.range, pos));
      const hit = inner ?? r;
      return { kind: 'reference', name: hit.name, range: hit.nameRange, reference: hit };
    }
  }
  for (const s of doc.statements) {
    if (!rangeContains(s.kind === 'assignment' ? s.statementRange : s.range, pos)) continue;
    switch (s.kind) {
      case 'assignment':
        if (rangeContains(s.nameRange, pos)) return { kind: 'assignment', name: s.name, range: s.nameRange, assignment: s };
        break;
      case 'export':
      case 'unset':
        for (const n of s.names) if (rangeContains(n.range, pos)) return { kind: s.kind, name: n.name, range: n.range, statement: s.index };
        break;
      case 'command':
        for (const a of s.envAssignments) if (rangeContains(a.nameRange, pos)) return { kind: 'assignment', name: a.name, range: a.nameRange, assignment: a };
        break;
      case 'dynamic':
        if (s.functionName && rangeContains(s.functionName.range, pos))
          return { kind: 'function', name: s.functionName.name, range: s.functionName.range, statement: s.index };
        for (const m of s.mayAssign) if (rangeContains(m.range, pos)) return { kind: 'dynamic-assignment', name: m.name, range: m.range, statement: s.index };
        break;
      default:
        break;
    }
  }
  return undefined;
}

export interface NameSite {
  name: string;
  range: Range;
  statement: number;
  /** A plain top-level assignment (as opposed to one that may happen inside if/case/functions). */
  certain: boolean;
}

/** Every place that assigns name, in document order. */
export function assignmentsOf(doc: ConfDocument, name: string): NameSite[] {
  const out: NameSite[] = [];
  for (const s of doc.statements) {
    if (s.kind === 'assignment' && s.name === name) out.push({ name, range: s.nameRange, statement: s.index, certain: true });
    else if (s.kind === 'dynamic') for (const m of s.mayAssign) if (m.name === name) out.push({ name, range: m.range, statement: s.index, certain: false });
  }
  return out;
}

/** The assignments a reference may see when the file is sourced. */
export function definitionsFor(doc: ConfDocument, name: string, statement: number, context: Reference['context'] | 'top'): NameSite[] {
  const all = assignmentsOf(doc, name);
  if (context === 'function') return all;
  const before = all.filter((a) => a.statement < statement || (a.statement === statement && !a.certain));
  if (before.length === 0) return all;
  // The last certain assignment above hides everything before it; dynamic ones after it may win.
  let lastCertain = -1;
  before.forEach((a, i) => {
    if (a.certain && a.statement < statement) lastCertain = i;
  });
  return lastCertain < 0 ? before : before.slice(lastCertain);
}

/** Ranges of every occurrence of name: references, and (when asked) assignments, export and unset. */
export function occurrencesOf(doc: ConfDocument, name: string, includeDeclarations: boolean): Range[] {
  const out: Range[] = [];
  for (const r of doc.references) if (!r.special && r.name === name) out.push(r.nameRange);
  if (includeDeclarations) {
    for (const a of assignmentsOf(doc, name)) out.push(a.range);
    for (const s of doc.statements) {
      if (s.kind === 'export' || s.kind === 'unset') for (const n of s.names) if (n.name === name) out.push(n.range);
      if (s.kind === 'command') for (const a of s.envAssignments) if (a.name === name) out.push(a.nameRange);
    }
  }
  return out.sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
}
