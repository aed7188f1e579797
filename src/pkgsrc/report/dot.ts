// report.dot in pbulk's layout (create-broken-graph): an edge from every unsuccessful
// dependency to its dependent (red from failed packages), then one node line per unsuccessful
// package that breaks something or is drawn. pbulk writes both in awk hash order; we use
// record order (edges in DEPENDS order), so the file equals pbulk's as a set of lines.
import { isBroken, State, type BuildState } from '../states';
import type { ReportInput } from './model';

const NODE_COLOURS: Partial<Record<BuildState, string>> = {
  [State.Failed]: 'red',
  [State.Broken]: 'gray2',
  [State.DependsOnFailed]: 'orange',
  [State.DependsOnBroken]: 'lightgray',
};

export function formatReportDot(input: ReportInput): string {
  const state = new Map(input.packages.map((p) => [p.pkgname, p.state]));
  const drawn = new Set<string>();
  const out = ['digraph "Broken packages" {'];
  for (const p of input.packages) {
    for (const d of p.depends) {
      const ds = state.get(d);
      if (ds === undefined || !isBroken(ds)) continue;
      out.push(`"${d}" -> "${p.pkgname}" [ color = "${ds === State.Failed ? 'red' : 'lightgray'}" ];`);
      drawn.add(d);
      drawn.add(p.pkgname);
    }
  }
  for (const p of input.packages) {
    const c = NODE_COLOURS[p.state];
    if (!c) continue;
    if ((p.depth === undefined || p.depth <= 1) && !drawn.has(p.pkgname)) continue;
    out.push(`"${p.pkgname}" [ color = "${c}", fontcolor = "${c}", label="${p.pkgname}" ];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
