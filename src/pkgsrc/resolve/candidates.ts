// Finding the records a dependency pattern matches, fast. pbulk-resolve tries every record of
// a hash chain (or all of them); with 12,000 records and 200,000 dependencies that is too slow
// for us, so candidates are narrowed first and only they are tested with the full pattern:
//   exact name -> records with that PKGNAME; dewey -> records whose name before the last '-'
//   is the pattern's; glob -> records starting with the glob's literal prefix (all of them when
//   it has none). Every match is among the candidates, so the result is the same set.
import { leavesOf, matchCompiled, type CompiledPattern } from '../pattern/match';

export class CandidateIndex {
  private readonly byName = new Map<string, number[]>();
  private readonly byBase = new Map<string, number[]>();
  /** Record indices sorted by name (code-unit order), for prefix ranges. */
  private readonly sorted: number[];

  constructor(private readonly names: readonly string[]) {
    names.forEach((n, i) => {
      push(this.byName, n, i);
      const dash = n.lastIndexOf('-');
      if (dash >= 0) push(this.byBase, n.slice(0, dash), i);
    });
    this.sorted = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
  }

  /** Indices (ascending) of the records whose PKGNAME matches the pattern. */
  matches(c: CompiledPattern): number[] {
    if (c.error) return [];
    const cand = new Set<number>();
    for (const leaf of leavesOf(c)) {
      switch (leaf.kind) {
        case 'exact':
          for (const i of this.byName.get(leaf.pattern) ?? []) cand.add(i);
          break;
        case 'dewey':
          for (const i of this.byBase.get(leaf.name) ?? []) cand.add(i);
          break;
        case 'glob':
          for (const i of this.withPrefix(leaf.glob.prefix)) cand.add(i);
          break;
      }
    }
    const out: number[] = [];
    for (const i of cand) if (matchCompiled(c, this.names[i]!)) out.push(i);
    return out.sort((a, b) => a - b);
  }

  private *withPrefix(prefix: string): Iterable<number> {
    const s = this.sorted;
    const names = this.names;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (names[s[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < s.length && names[s[k]!]!.startsWith(prefix); k++) yield s[k]!;
  }
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
