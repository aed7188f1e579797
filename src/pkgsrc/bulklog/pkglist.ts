// meta/success and meta/error: one PKGNAME per line, appended as builds finish. A crash can
// leave a torn last line without its newline; pbulk-build would refuse the file ("Invalid
// input"), we drop the fragment with a warning so that a resume rebuilds that package.
import type { Problem } from '../problem';
import { fileLines, lineProblem } from './located';

export interface PkgList {
  /** Names in file order; duplicates kept (a resumed run may list a package again). */
  names: string[];
  /** 0-based line of each name in `names`. */
  lines: number[];
  /** The fragment after the last newline, if any. */
  tornTail?: string;
  problems: Problem[];
}

export function parsePkgList(text: string, file: string): PkgList {
  const out: PkgList = { names: [], lines: [], problems: [] };
  const { lines, tornLast } = fileLines(text);
  const last = tornLast ? lines.length - 1 : -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (i === last) {
      out.tornTail = l;
      out.problems.push(lineProblem(file, i, 'warning', 'torn-line', `incomplete last line '${l}' ignored (interrupted write?)`, l));
      continue;
    }
    if (l.trim() === '') {
      out.problems.push(lineProblem(file, i, 'warning', 'empty-line', 'empty line ignored', l));
      continue;
    }
    if (/\s/.test(l)) {
      out.problems.push(lineProblem(file, i, 'error', 'bad-pkgname', `not a package name: '${l}'`, l));
      continue;
    }
    out.names.push(l);
    out.lines.push(i);
  }
  return out;
}
