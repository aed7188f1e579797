// ${var} references that expand to nothing: to an unset variable (usually a typo), or to one
// assigned only further down (the file is sourced top to bottom).
import type { Range } from '../../problem';
import { allVariables } from '../schema/index';
import { suggestName } from '../suggest';
import type { CheckRun } from './run';

/** ${x:-...}, ${x+...} ... handle an unset variable on purpose. */
const HANDLES_UNSET = new Set(['-', ':-', '=', ':=', '+', ':+', '?', ':?']);

export function checkReferences(run: CheckRun): void {
  const assigned = new Set<string>();
  for (const s of run.doc.statements) if (s.kind === 'assignment') assigned.add(s.name);
  const lineOf = (r: Range): number => r.start.line + 1;
  for (const use of run.ev.references) {
    const r = use.reference;
    if (r.op !== undefined && HANDLES_UNSET.has(r.op)) continue;
    // The variable referenced, and the one whose value gets the empty expansion.
    const holder = run.assignedAt(r.range);
    const variables = holder ? [r.name, holder] : [r.name];
    if (use.status === 'before-assignment') {
      const later = use.laterAssignment;
      run.report(
        r.range,
        'error',
        'use-before-assignment',
        `${r.name} is used before it is assigned${later ? ` (line ${lineOf(later.range)})` : ''}: pbulk.conf is sourced top to bottom, so \${${r.name}} is empty here. Move the assignment of ${r.name} above this line`,
        {
          variables,
          related: later ? [run.related(later, `${r.name} is assigned here`)] : [],
        },
      );
    } else if (use.status === 'unset') {
      const before = [...assigned].filter((n) => run.doc.statements.some((s) => s.kind === 'assignment' && s.name === n && s.index < r.statement));
      const suggestion = suggestName(r.name, [...before, ...allVariables().map((v) => v.name)]);
      const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
      const unsetBy = run.state(r.name)?.unsetBy;
      const why = unsetBy && unsetBy.index < r.statement ? 'was unset above' : 'is never set';
      run.report(r.range, 'warning', 'unset-reference', `${r.name} ${why}: \${${r.name}} expands to the empty string.${hint}`, {
        variables,
        fixes: suggestion ? [{ title: `Change to ${suggestion}`, edits: [{ range: r.nameRange, newText: suggestion }] }] : [],
      });
    }
  }
}
