// Finding a package by what a person remembers of it: words of its path or of its COMMENT (or
// of its name and maintainer), in any order; a word may be a prefix ("fire") or the letters of
// a path in order ("wwwffox").
// Used by "Go to Package...", whose own matching only finds one contiguous piece of text.

export interface Findable {
  path: string;
  comment?: string;
  /** Found too, after path and COMMENT: e.g. the package name and its maintainer. */
  other?: string;
}

/** An item with its text lowercased once, so that each keystroke only compares. */
export interface FindEntry<T> {
  item: T;
  path: string;
  dir: string;
  comment: string;
  other: string;
  order: number;
}

/** `text` says what of an item is searched: its path and COMMENT. */
export function findEntries<T>(items: readonly T[], text: (item: T) => Findable): FindEntry<T>[] {
  return items.map((item, order) => {
    const f = text(item);
    const path = f.path.toLowerCase();
    return { item, path, dir: path.slice(path.indexOf('/') + 1), comment: (f.comment ?? '').toLowerCase(), other: (f.other ?? '').toLowerCase(), order };
  });
}

function isSubsequence(word: string, text: string): boolean {
  let at = 0;
  for (let i = 0; i < word.length; i++) {
    at = text.indexOf(word[i]!, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

function wordScore(w: string, e: FindEntry<unknown>): number {
  if (e.dir === w) return 8;
  if (e.dir.startsWith(w)) return 6;
  if (e.path.includes(w)) return 5;
  const c = e.comment.indexOf(w);
  if (c === 0 || (c > 0 && !/[a-z0-9]/.test(e.comment[c - 1]!))) return 4;
  if (c > 0) return 3;
  if (e.other.includes(w)) return 2;
  if (w.length >= 2 && isSubsequence(w, e.path)) return 1;
  return 0;
}

/** A query as typed, lowercased: its words and the whole of it with single spaces. */
export interface FindQuery {
  words: string[];
  phrase: string;
}

function findQuery(query: string): FindQuery {
  const phrase = query.trim().toLowerCase().replace(/\s+/g, ' ');
  return { words: phrase === '' ? [] : phrase.split(' '), phrase };
}

/**
 * How well a query fits a package (higher is better), or 0 when some word of it fits neither
 * the path nor the COMMENT. The whole query found as it was typed counts most.
 */
function packageScore(q: FindQuery, e: FindEntry<unknown>): number {
  let score = 1;
  for (const w of q.words) {
    const s = wordScore(w, e);
    if (s === 0) return 0;
    score += s;
  }
  if (q.words.length > 1 && (e.comment.includes(q.phrase) || e.path.includes(q.phrase))) score += 10;
  return score;
}

/** The entries that fit `query`, best first (ties: shorter path, then tree order), at most `limit`. */
export function findPackages<T>(entries: readonly FindEntry<T>[], query: string, limit = 500): T[] {
  const q = findQuery(query);
  const hits: [number, FindEntry<T>][] = [];
  for (const e of entries) {
    const s = packageScore(q, e);
    if (s > 0) hits.push([s, e]);
  }
  hits.sort((a, b) => b[0] - a[0] || a[1].path.length - b[1].path.length || a[1].order - b[1].order);
  return hits.slice(0, limit).map(([, e]) => e.item);
}
