// ALL_DEPENDS= values: `pattern:../../category/dir` items separated by blanks, read exactly
// as pbulk-resolve reads them: the pattern runs to the next ':' (blanks included), which must
// be followed by `../../`; the location runs to the next blank.

export interface DependItem {
  pattern: string;
  /** The location without its `../../` prefix, e.g. `devel/gmake`. */
  location: string;
  /** Offsets of the item in the value (end exclusive). */
  start: number;
  end: number;
}

export interface DependList {
  items: DependItem[];
  /** The first malformed item; pbulk-resolve gives up on the package there. */
  error?: { message: string; start: number; end: number };
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

// Validation and resolution both read every ALL_DEPENDS; the second read is a lookup. The
// returned lists are shared: callers must not modify them.
const memo = new Map<string, DependList>();

export function parseAllDepends(value: string): DependList {
  let d = memo.get(value);
  if (!d) {
    if (memo.size >= 50_000) memo.clear();
    d = parse(value);
    memo.set(value, d);
  }
  return d;
}

function parse(value: string): DependList {
  const items: DependItem[] = [];
  let i = 0;
  const n = value.length;
  while (i < n && isBlank(value[i])) i++;
  while (i < n) {
    const start = i;
    const colon = value.indexOf(':', i);
    if (colon < 0 || !value.startsWith(':../../', colon)) {
      let end = i;
      while (end < n && !isBlank(value[end])) end++;
      const item = value.slice(start, end);
      return {
        items,
        error: { message: `dependency '${item}' is not of the form pattern:../../category/package`, start, end },
      };
    }
    let j = colon + 7;
    while (j < n && !isBlank(value[j])) j++;
    items.push({ pattern: value.slice(start, colon), location: value.slice(colon + 7, j), start, end: j });
    i = j;
    while (i < n && isBlank(value[i])) i++;
  }
  return { items };
}
