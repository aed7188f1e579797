// Checks that JSON read back (the on-disk index, a worker's message) has the shapes of the
// model, field by field and cheaply, so that a damaged file is refused instead of handed out.
import type { Position, Problem, Range } from '../problem';
import type { MkValue } from './values';

export const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isPosition = (p: unknown): boolean => p !== null && typeof p === 'object' && isCount((p as Position).line) && isCount((p as Position).character);
export const isRange = (r: unknown): r is Range => r !== null && typeof r === 'object' && isPosition((r as Range).start) && isPosition((r as Range).end);
const severities: ReadonlySet<unknown> = new Set<Problem['severity']>(['error', 'warning', 'information', 'hint']);

export function isProblem(x: unknown): x is Problem {
  const p = x as Problem;
  return (
    p !== null &&
    typeof p === 'object' &&
    typeof p.file === 'string' &&
    typeof p.message === 'string' &&
    typeof p.code === 'string' &&
    severities.has(p.severity) &&
    isRange(p.range)
  );
}

export function isValue(v: unknown): v is MkValue {
  const x = v as MkValue;
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof x.value === 'string' &&
    typeof x.unresolved === 'boolean' &&
    typeof x.file === 'string' &&
    isCount(x.line) &&
    isCount(x.character) &&
    isCount(x.endLine) &&
    isCount(x.endCharacter)
  );
}
