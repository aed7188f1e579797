// The dependency graph pbulk-build builds from meta/presolve: DEPENDS= names resolved to
// records, reverse edges, and PKG_DEPTH = 1 + the number of packages that depend on a package
// directly or transitively (the figure behind "breaks N"). Cycles are found with their chain.

export interface GraphInput {
  pkgname: string;
  /** Resolved dependency PKGNAMEs (DEPENDS=); undefined or empty for none. */
  depends?: readonly string[] | undefined;
}

export interface DependencyGraph {
  names: string[];
  index: Map<string, number>;
  /** Direct dependencies of each package (indices), in DEPENDS order, without duplicates. */
  deps: number[][];
  /** Direct dependents of each package (indices). */
  dependents: number[][];
  /** PKG_DEPTH of each package. */
  depth: number[];
}

export type GraphIssue =
  | { kind: 'duplicate-package'; record: number; pkgname: string; message: string }
  | { kind: 'missing-dependency'; record: number; pkgname: string; dependency: string; message: string }
  | { kind: 'cycle'; record: number; pkgname: string; chain: string[]; message: string };

export function buildGraph(inputs: readonly GraphInput[]): { graph: DependencyGraph; issues: GraphIssue[] } {
  const issues: GraphIssue[] = [];
  const names = inputs.map((r) => r.pkgname);
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    if (index.has(n)) {
      issues.push({ kind: 'duplicate-package', record: i, pkgname: n, message: `Duplicate package: ${n} (the first record is used)` });
    } else {
      index.set(n, i);
    }
  });
  const deps: number[][] = names.map(() => []);
  const dependents: number[][] = names.map(() => []);
  inputs.forEach((r, i) => {
    if (index.get(r.pkgname) !== i) return;
    const seen = new Set<number>();
    for (const d of r.depends ?? []) {
      const j = index.get(d);
      if (j === undefined) {
        issues.push({
          kind: 'missing-dependency',
          record: i,
          pkgname: r.pkgname,
          dependency: d,
          message: `Dependency \`${d}' of ${r.pkgname} doesn't exist`,
        });
        continue;
      }
      if (seen.has(j)) continue;
      seen.add(j);
      deps[i]!.push(j);
      dependents[j]!.push(i);
    }
  });
  const graph: DependencyGraph = { names, index, deps, dependents, depth: computeDepths(dependents) };
  for (const chain of findCycles(deps)) {
    const first = chain[0]!;
    const pretty = chain.map((k) => names[k]!);
    issues.push({
      kind: 'cycle',
      record: first,
      pkgname: names[first]!,
      chain: pretty,
      message: `Cyclic dependency for package ${names[first]}: ${pretty.join(' -> ')}`,
    });
  }
  return { graph, issues };
}

/** Number of distinct packages reachable over dependent edges, the package itself included. */
function computeDepths(dependents: number[][]): number[] {
  const n = dependents.length;
  const stamp = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const depth = new Array<number>(n);
  for (let s = 0; s < n; s++) {
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    stamp[s] = s;
    while (head < tail) {
      const v = queue[head++]!;
      for (const w of dependents[v]!) {
        if (stamp[w] !== s) {
          stamp[w] = s;
          queue[tail++] = w;
        }
      }
    }
    depth[s] = tail;
  }
  return depth;
}

/**
 * One cycle per strongly connected component that has one (iterative Tarjan), as a chain of
 * indices that starts and ends with the component's first package in record order.
 */
function findCycles(deps: number[][]): number[][] {
  const n = deps.length;
  const idx = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const cycles: number[][] = [];
  let counter = 0;
  let compCount = 0;
  for (let root = 0; root < n; root++) {
    if (idx[root] !== -1) continue;
    const call: [number, number][] = [[root, 0]];
    idx[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (call.length > 0) {
      const top = call[call.length - 1]!;
      const [v, k] = top;
      const edges = deps[v]!;
      if (k < edges.length) {
        top[1] = k + 1;
        const w = edges[k]!;
        if (idx[w] === -1) {
          idx[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          call.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, idx[w]!);
        }
        continue;
      }
      call.pop();
      if (call.length > 0) {
        const parent = call[call.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === idx[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = compCount;
          members.push(w);
        } while (w !== v);
        const selfLoop = members.length === 1 && deps[v]!.includes(v);
        if (members.length > 1 || selfLoop) cycles.push(cycleChain(Math.min(...members), comp, compCount, deps));
        compCount++;
      }
    }
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

/** Shortest path start -> ... -> start inside one component (breadth-first). */
function cycleChain(start: number, comp: Int32Array, c: number, deps: number[][]): number[] {
  const prev = new Map<number, number>();
  const queue = [start];
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h]!;
    for (const w of deps[v]!) {
      if (comp[w] !== c) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = prev.get(x)!) path.push(x);
        path.push(start);
        // path is start, v, ..., start backwards from v; put it in dependency order.
        return [start, ...path.slice(1, -1).reverse(), start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
