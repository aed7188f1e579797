// "Did you mean": the closest known name to a misspelt one (optimal string alignment distance,
// so a swapped pair of letters counts as one edit). Runs on every keystroke for every unknown
// name, so the rows are reused typed arrays and hopeless candidates are cut off early.

let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rows[0]!.length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let prev2 = rows[0]!;
  let prev = rows[1]!;
  let cur = rows[2]!;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = prev[j - 1]! + (ca === cb ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb && prev2[j - 2]! + 1 < v) v = prev2[j - 2]! + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n]!;
}

/** The closest candidate within a distance that grows with the length of the name. */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = name.length <= 4 ? 1 : name.length <= 12 ? 2 : 3;
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    if (c === name) continue;
    if (Math.abs(c.length - name.length) >= bestD) continue;
    const cl = c.toLowerCase();
    if (cl === lower) return c;
    const d = editDistance(lower, cl, bestD - 1);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

const memo = new Map<string, string | undefined>();

/** suggestName against a fixed candidate list identified by key (e.g. the pbulk version). */
export function suggestNameCached(name: string, key: string, candidates: () => Iterable<string>): string | undefined {
  const k = `${key}\0${name}`;
  if (memo.has(k)) return memo.get(k);
  if (memo.size > 5000) memo.clear();
  const s = suggestName(name, candidates());
  memo.set(k, s);
  return s;
}
