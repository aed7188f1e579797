// Variable values as bmake would assign them, read statically: `=`, `?=`, `+=`, `:=` and `!=` in
// file order, with included files spliced in where they are included. Expressions are not
// expanded; a value that holds one, comes from a shell command or sits inside a conditional is
// marked unresolved, because only bmake knows what it becomes.
import { hasExpression } from './makefile';
import type { MkInclude, MkStatement, Span } from './makefile';

/** A variable's value; file and span are those of the assignment that set it last. */
export interface MkValue extends Span {
  value: string;
  unresolved: boolean;
  file: string;
}

export interface MkSource {
  file: string;
  statements: readonly MkStatement[];
}

/**
 * Assigns in order into `vars` (a plain object, so that it can be the result itself).
 * `follow` returns the parsed file an include brings in, or undefined to skip it; included
 * files are not followed further (one level, as the tree view needs).
 */
export function evaluateInto(vars: Record<string, MkValue>, main: MkSource, follow: (inc: MkInclude) => MkSource | undefined): void {
  const run = (src: MkSource, nested: boolean) => {
    for (const st of src.statements) {
      if (st.kind === 'include') {
        if (nested) continue;
        const inc = follow(st);
        if (inc) run(inc, true);
        continue;
      }
      const old = vars[st.name];
      if (st.op === '?=' && old) continue;
      const unresolved = st.conditional || st.op === '!=' || hasExpression(st.value);
      if (st.op === '+=' && old) {
        const value = old.value === '' ? st.value : st.value === '' ? old.value : `${old.value} ${st.value}`;
        vars[st.name] = {
          value,
          unresolved: old.unresolved || unresolved,
          file: src.file,
          line: st.line,
          character: st.character,
          endLine: st.endLine,
          endCharacter: st.endCharacter,
        };
      } else {
        vars[st.name] = {
          value: st.value,
          unresolved,
          file: src.file,
          line: st.line,
          character: st.character,
          endLine: st.endLine,
          endCharacter: st.endCharacter,
        };
      }
    }
  };
  run(main, false);
}

export function evaluate(main: MkSource, follow: (inc: MkInclude) => MkSource | undefined): Map<string, MkValue> {
  const vars: Record<string, MkValue> = Object.create(null) as Record<string, MkValue>;
  evaluateInto(vars, main, follow);
  return new Map(Object.entries(vars));
}
