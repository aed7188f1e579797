// The values an mk.conf sets for certain, read without make, for the editor: plain assignments
// (=, :=, ?=, +=) with ${VAR} references to values already known. Anything make alone can
// decide leaves the variable unknown, never guessed: a `!=` command, a modifier, a reference
// to an unknown variable, an assignment under a condition (other than the kit's own
// `.ifdef BSD_PKG_MK` guard), and whatever came before an .include.

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_.]*)\s*([:?+!]?=)\s*(.*)$/;
const PKGSRC_GUARD = /^\.\s*if(?:def\s+BSD_PKG_MK|\s+defined\s*\(\s*BSD_PKG_MK\s*\))\s*$/;

function stripComment(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && line[i + 1] === '#') {
      out += '#';
      i++;
      continue;
    }
    if (c === '#') break;
    out += c;
  }
  return out.trim();
}

/** ${NAME} and $(NAME) replaced from `known`; undefined when a reference cannot be resolved. */
function expand(value: string, known: ReadonlyMap<string, string>): string | undefined {
  let failed = false;
  const out = value.replace(/\$(?:\{([^{}()]*)\}|\(([^{}()]*)\)|(\$))/g, (_m, a?: string, b?: string, dollar?: string) => {
    if (dollar) return '$';
    const name = a ?? b ?? '';
    const v = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? known.get(name) : undefined;
    if (v === undefined) failed = true;
    return v ?? '';
  });
  return failed || /\$[{(]/.test(out) ? undefined : out;
}

/**
 * The variables `text` sets for certain, expanded. `known` holds values make would have before
 * reading the file (PKGSRCDIR ...); they are used for references but returned only when the
 * file assigns them.
 */
export function staticMkConf(text: string, known: Record<string, string> = {}): Record<string, string> {
  const values = new Map<string, string>(Object.entries(known));
  const assigned = new Set<string>();
  const unknown = new Set<string>();
  // A backslash-newline and the next line's leading blanks are one space, as make reads them.
  const lines = text.replace(/\\\n[ \t]*/g, ' ').split('\n');
  // Open conditionals: true for the kit's guard, false for any other (uncertain).
  const conds: boolean[] = [];
  for (const raw of lines) {
    const line = stripComment(raw);
    if (line === '') continue;
    if (line.startsWith('.')) {
      const d = line.replace(/^\.\s*/, '');
      if (/^if/.test(d)) conds.push(PKGSRC_GUARD.test(line));
      else if (/^endif\b/.test(d)) conds.pop();
      else if (/^(else|elif)/.test(d)) {
        if (conds.length > 0) conds[conds.length - 1] = false;
      } else if (/^(s|-)?include\b|^for\b|^undef\b/.test(d)) {
        // Anything may have changed: what is known so far is no longer certain.
        for (const n of assigned) unknown.add(n);
      }
      continue;
    }
    const m = ASSIGN.exec(line);
    if (!m) continue;
    const [, name, op, rhs] = m as unknown as [string, string, string, string];
    const certain = conds.every((c) => c) && op !== '!=';
    const v = op === '!=' ? undefined : expand(rhs.trim(), values);
    // ?= after a value that is not certain stays not certain.
    if (op === '?=' && (unknown.has(name) || assigned.has(name) || values.has(name))) continue;
    assigned.add(name);
    if (!certain || v === undefined || (op === '+=' && unknown.has(name))) {
      unknown.add(name);
      values.delete(name);
      continue;
    }
    unknown.delete(name);
    values.set(name, op === '+=' && values.has(name) ? `${values.get(name)} ${v}`.trim() : v);
  }
  const out: Record<string, string> = {};
  for (const n of assigned) if (!unknown.has(n) && values.has(n)) out[n] = values.get(n)!;
  return out;
}
