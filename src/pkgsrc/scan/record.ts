// One package record of `bmake pbulk-index` output, meta/pscan or meta/presolve: `KEY=value`
// lines, the first one `PKGNAME=`. A record keeps its exact source text so that what pbulk
// would copy through unchanged (pscan -> presolve -> pbulk-build's stdin) stays byte-identical.

export interface ScanField {
  key: string;
  value: string;
  /** 0-based line in the parsed text. */
  line: number;
}

export interface ScanRecord {
  pkgname: string;
  /** PKG_LOCATION (pbulk's PKGPATH, `category/dir`); undefined in raw pbulk-index output. */
  location: string | undefined;
  /** The exact text of the record, every line with its '\n'. */
  text: string;
  /** 0-based line of the PKGNAME= line in the parsed text. */
  line: number;
  /** Every KEY=value line in order; lookups take the first (pbulk's prefix search does). */
  fields: ScanField[];
  /** The first line with this key, when the record can find it faster than a search of `fields`. */
  fieldOf?(key: string): ScanField | undefined;
}

export function getField(r: ScanRecord, key: string): string | undefined {
  return fieldLine(r, key)?.value;
}

export function fieldLine(r: ScanRecord, key: string): ScanField | undefined {
  if (r.fieldOf) return r.fieldOf(key);
  for (const f of r.fields) if (f.key === key) return f;
  return undefined;
}

function words(v: string | undefined): string[] {
  if (!v) return [];
  return v.split(/[ \t]+/).filter((w) => w !== '');
}

/** DEPENDS= of a presolve record: the resolved PKGNAMEs; undefined when the line is absent. */
export function dependsOf(r: ScanRecord): string[] | undefined {
  const v = getField(r, 'DEPENDS');
  return v === undefined ? undefined : words(v);
}

/** SCAN_DEPENDS= entries (makefiles read while scanning). */
export function scanDependsOf(r: ScanRecord): string[] {
  return words(getField(r, 'SCAN_DEPENDS'));
}

export function categoriesOf(r: ScanRecord): string[] {
  return words(getField(r, 'CATEGORIES'));
}

/** MULTI_VERSION= as VAR=value pairs (the value starts with a space); undefined when absent. */
export function multiVersionOf(r: ScanRecord): [string, string][] | undefined {
  const v = getField(r, 'MULTI_VERSION');
  if (v === undefined) return undefined;
  return words(v).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, ''] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** PBULK_WEIGHT= as a number; undefined when absent or not a non-negative integer. */
export function weightOf(r: ScanRecord): number | undefined {
  const v = getField(r, 'PBULK_WEIGHT');
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Prefailed in pbulk's sense: a non-empty PKG_SKIP_REASON or PKG_FAIL_REASON. */
export function isPrefailed(r: ScanRecord): boolean {
  return (getField(r, 'PKG_SKIP_REASON') ?? '') !== '' || (getField(r, 'PKG_FAIL_REASON') ?? '') !== '';
}

/** Builds a record from fields, in the given order (the text is generated). */
export function makeRecord(fields: readonly (readonly [string, string])[], line = 0): ScanRecord {
  const out: ScanField[] = fields.map(([key, value], i) => ({ key, value, line: line + i }));
  const pkgname = fields[0]?.[0] === 'PKGNAME' ? fields[0][1] : '';
  const loc = out.find((f) => f.key === 'PKG_LOCATION')?.value;
  return {
    pkgname,
    location: loc,
    text: fields.map(([k, v]) => `${k}=${v}\n`).join(''),
    line,
    fields: out,
  };
}
