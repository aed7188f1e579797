// Where and how a variable is set in a pbulk.conf, as far as a form is concerned: not at all (a
// form adds it), by plain top-level assignments whose last value the form can show and replace,
// or in a way only the text can express (inside if/case/a function, by a command, unset again),
// which the form shows read-only with the lines to go to.
import type { ConfEvaluation } from '../evaluate';
import { lineIndexFor } from '../positions';
import type { Assignment, ConfDocument } from '../types';
import { formValueOf, quoteStyleOf, type QuoteStyle } from './word';

export type SettingSite =
  | { kind: 'absent' }
  | {
      kind: 'editable';
      /** The assignment the form edits: the last one, whose value pbulk sees. */
      assignment: Assignment;
      /** Every top-level assignment of the name, in order. */
      assignments: Assignment[];
      /** Its value as the form shows it. */
      value: string;
      style: QuoteStyle;
    }
  | {
      kind: 'readonly';
      /** Why the form cannot edit it, as a phrase: "set inside an if". */
      reason: string;
      /** 0-based lines where it is set. */
      lines: number[];
    };

const REGION_WORDS: Record<string, string> = {
  if: 'an if',
  case: 'a case',
  loop: 'a loop',
  group: 'a { ... } group',
  subshell: 'a subshell',
  function: 'a function',
  pipeline: 'a pipeline',
  'and-or': 'an && or || list',
  background: 'a background command',
  source: 'a sourced file',
  eval: 'an eval',
  read: 'a read',
};

export function settingSite(doc: ConfDocument, ev: ConfEvaluation, name: string): SettingSite {
  const state = ev.variables.get(name);
  const assignments = state?.assignments ?? [];
  const regions = state?.dynamicRegions ?? [];
  const unsets = doc.statements.filter((s) => s.kind === 'unset' && !s.functions && s.names.some((n) => n.name === name));
  // Inside a region, the lines that assign the name (a sourced file or eval: the region's line).
  const regionLines = regions.flatMap((r) => {
    const own = r.mayAssign.filter((n) => n.name === name).map((n) => n.range.start.line);
    return own.length > 0 ? own : [r.range.start.line];
  });
  const lines = [...new Set([...assignments.map((a) => a.range.start.line), ...regionLines, ...unsets.map((u) => u.range.start.line)])].sort((a, b) => a - b);
  if (regions.length > 0) return { kind: 'readonly', reason: `set inside ${REGION_WORDS[regions[0]!.dynamicKind] ?? 'a compound command'}`, lines };
  if (unsets.length > 0) return { kind: 'readonly', reason: 'unset by an unset command', lines };
  const last = assignments[assignments.length - 1];
  if (!last) return { kind: 'absent' };
  const idx = lineIndexFor(doc);
  const fv = formValueOf(last.value, doc.text, (p) => idx.offset(p));
  if ('unrepresentable' in fv) return { kind: 'readonly', reason: `its value has ${fv.unrepresentable}`, lines };
  return { kind: 'editable', assignment: last, assignments, value: fv.value, style: quoteStyleOf(last.value) };
}
