// Categories from the top Makefile and packages from a category Makefile, counted the way pbulk
// counts them (pbulk-reference §3.1, §7.2): the words bmake would put in SUBDIR, without
// `${...}` entries such as ${USER_ADDITIONAL_PKGS}; commented-out entries are kept apart with
// their reasons.
import type { Problem, Range } from '../problem';
import { hasExpression, parseMakefile, spanRange } from './makefile';
import type { MkDisabledEntry } from './makefile';
import { evaluate } from './values';
import type { MkValue } from './values';

export interface SubdirEntry {
  name: string;
  range: Range;
}

export interface SubdirList {
  entries: SubdirEntry[];
  disabled: MkDisabledEntry[];
  /** COMMENT of a category Makefile. */
  comment?: MkValue;
  problems: Problem[];
}

const names = new Set(['SUBDIR', 'COMMENT']);
const words = new Set(['SUBDIR']);

/** Reads SUBDIR (and COMMENT) of a top-level or category Makefile. */
export function readSubdirs(text: string, file: string): SubdirList {
  const parsed = parseMakefile(text, file, { only: names, wordsOf: words });
  const problems = parsed.problems;
  let entries: SubdirEntry[] = [];
  for (const st of parsed.statements) {
    if (st.kind !== 'assign' || st.name !== 'SUBDIR') continue;
    if (st.op === '?=' && entries.length > 0) continue;
    if (st.op === '=' || st.op === ':=' || st.op === '?=') entries = [];
    if (st.op === '!=') {
      problems.push({
        file,
        range: spanRange(st),
        severity: 'warning',
        message: 'SUBDIR from a shell command cannot be read statically; these entries are left out.',
        code: 'dynamic-subdir',
      });
      continue;
    }
    if (st.conditional) {
      problems.push({
        file,
        range: spanRange(st),
        severity: 'information',
        message: 'SUBDIR entry inside a conditional: counted here, but bmake may skip it.',
        code: 'conditional-subdir',
      });
    }
    for (const w of st.words ?? []) {
      if (hasExpression(w.text)) continue;
      if (w.text.includes('/') || w.text === '.' || w.text === '..') {
        problems.push({
          file,
          range: w.range,
          severity: 'warning',
          message: `'${w.text}' is not a directory name; SUBDIR entries name one directory each.`,
          code: 'bad-subdir-entry',
        });
        continue;
      }
      entries.push({ name: w.text, range: w.range });
    }
  }
  const seen = new Set<string>();
  const unique: SubdirEntry[] = [];
  for (const e of entries) {
    if (seen.has(e.name)) {
      problems.push({ file, range: e.range, severity: 'warning', message: `'${e.name}' is listed twice in SUBDIR.`, code: 'duplicate-subdir' });
      continue;
    }
    seen.add(e.name);
    unique.push(e);
  }
  const comment = evaluate({ file, statements: parsed.statements.filter((s) => s.kind === 'assign' && s.name === 'COMMENT') }, () => undefined).get('COMMENT');
  return { entries: unique, disabled: parsed.disabled, ...(comment ? { comment } : {}), problems };
}
