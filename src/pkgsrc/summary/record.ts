// One record of a pkg_summary file (pkg_summary(5), what `pkg_info -X` prints for a binary
// package): `VARIABLE=VALUE` lines, a variable with several values repeated on consecutive
// lines, records separated by one empty line. Lookups are by variable; the field list keeps
// the file's order so that formatting the records of a clean file gives it back.

export interface SummaryField {
  key: string;
  value: string;
  /** 0-based line in the parsed text. */
  line: number;
}

export interface SummaryRecord {
  /** PKGNAME; '' when the record has none (a problem says so). */
  pkgname: string;
  /** 0-based line of the record's first line. */
  line: number;
  fields: SummaryField[];
}

/** Variables that take one line per value (pkg_summary(5)); the rest have a single value. */
export const MULTI_LINE = new Set(['CONFLICTS', 'DEPENDS', 'DESCRIPTION', 'PROVIDES', 'REQUIRES', 'SUPERSEDES']);

/** Variables pkg_summary(5) marks as required in every record. */
export const REQUIRED = [
  'BUILD_DATE',
  'CATEGORIES',
  'COMMENT',
  'DESCRIPTION',
  'MACHINE_ARCH',
  'OPSYS',
  'OS_VERSION',
  'PKGNAME',
  'PKGPATH',
  'PKGTOOLS_VERSION',
  'SIZE_PKG',
] as const;

/** The first value of a variable, undefined when the record lacks it. */
export function summaryValue(r: SummaryRecord, key: string): string | undefined {
  for (const f of r.fields) if (f.key === key) return f.value;
  return undefined;
}

/** Every value of a (multi-line) variable, in order. */
export function summaryValues(r: SummaryRecord, key: string): string[] {
  return r.fields.filter((f) => f.key === key).map((f) => f.value);
}

/** DESCRIPTION as one text, its lines joined by newlines. */
export function summaryDescription(r: SummaryRecord): string {
  return summaryValues(r, 'DESCRIPTION').join('\n');
}

/** FILE_NAME, or PKGNAME.tgz as pkg_summary(5) says a client may assume. */
export function summaryFileName(r: SummaryRecord): string {
  return summaryValue(r, 'FILE_NAME') ?? `${r.pkgname}.tgz`;
}

/** A record from [key, value] pairs in order (lines numbered from `line`). */
export function makeSummaryRecord(fields: readonly (readonly [string, string])[], line = 0): SummaryRecord {
  return {
    pkgname: fields.find(([k]) => k === 'PKGNAME')?.[1] ?? '',
    line,
    fields: fields.map(([key, value], i) => ({ key, value, line: line + i })),
  };
}
