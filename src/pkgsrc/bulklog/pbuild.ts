// meta/pbuild, written by `pbulk-build -r` at the end of a build: `PKGNAME|status|restricted|depth`
// per package in presolve order. pbulk 0.51 leaves the restricted column empty; older versions
// wrote `restricted` there.
import type { Problem } from '../problem';
import { fileLines, lineProblem } from './located';
import { isBuildState, type BuildState } from './states';

export interface PbuildEntry {
  pkgname: string;
  state: BuildState;
  restricted: boolean;
  /** PKG_DEPTH: 1 + the number of packages depending on this one. */
  depth: number;
  /** 0-based line in the file. */
  line: number;
}

export function parsePbuild(text: string, file: string): { entries: PbuildEntry[]; problems: Problem[] } {
  const entries: PbuildEntry[] = [];
  const problems: Problem[] = [];
  const { lines, tornLast } = fileLines(text);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    if (tornLast && i === lines.length - 1) {
      problems.push(lineProblem(file, i, 'warning', 'torn-line', 'incomplete last line ignored (interrupted write?)', l));
      continue;
    }
    const f = l.split('|');
    const [name, state, restricted, depth] = f;
    if (f.length !== 4 || !name || /\s/.test(name)) {
      problems.push(lineProblem(file, i, 'error', 'bad-pbuild-line', 'expected PKGNAME|status|restricted|depth', l));
      continue;
    }
    if (!isBuildState(state!)) {
      problems.push(lineProblem(file, i, 'error', 'bad-state', `unknown status '${state}' for ${name}`, l));
      continue;
    }
    if (!/^\d+$/.test(depth!)) {
      problems.push(lineProblem(file, i, 'error', 'bad-depth', `depth '${depth}' of ${name} is not a number`, l));
      continue;
    }
    entries.push({ pkgname: name, state, restricted: restricted === 'restricted', depth: Number(depth), line: i });
  }
  return { entries, problems };
}

export function formatPbuild(entries: { pkgname: string; state: BuildState; depth: number; restricted?: boolean }[]): string {
  return entries.map((e) => `${e.pkgname}|${e.state}|${e.restricted ? 'restricted' : ''}|${e.depth}\n`).join('');
}
