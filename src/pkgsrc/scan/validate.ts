// Checks of one parsed record: lenient on keys we do not know, strict on the ones pbulk and
// pkg-build read. Errors are what pbulk-resolve or pbulk-build would refuse (or silently
// mishandle); warnings are values pbulk accepts that are still wrong.
import { patternError } from '../pattern/match';
import { range, type Problem, type Severity } from '../problem';
import { parseAllDepends } from './all-depends';
import type { ScanField, ScanRecord } from './record';

export type ScanFormat = 'index' | 'pscan' | 'presolve';

/** Lines every record needs (pbulk-resolve: ALL_DEPENDS; pbulk-build: the two reasons). */
const REQUIRED = ['ALL_DEPENDS', 'PKG_SKIP_REASON', 'PKG_FAIL_REASON'];
/** Lines pbulk-index always prints; their absence means the output is not from pbulk-index. */
const EXPECTED = ['NO_BIN_ON_FTP', 'RESTRICTED', 'CATEGORIES', 'MAINTAINER', 'USE_DESTDIR', 'BOOTSTRAP_PKG', 'USERGROUP_PHASE', 'SCAN_DEPENDS'];

export interface Reporter {
  (severity: Severity, code: string, message: string, line: number, start?: number, end?: number): void;
}

/** Collects problems for a file, keeping at most `max` (the rest are counted). */
export function problemSink(file: string, lineLength: (line: number) => number, max: number) {
  const problems: Problem[] = [];
  let omitted = 0;
  let errors = 0;
  const report: Reporter = (severity, code, message, line, start = 0, end) => {
    if (severity === 'error') errors++;
    if (problems.length >= max) {
      omitted++;
      return;
    }
    const len = lineLength(line);
    const s = Math.min(start, len);
    const e = Math.max(s, Math.min(end ?? len, len));
    problems.push({ file, range: range(line, s, line, e), severity, message, code });
  };
  const finish = (): { problems: Problem[]; errors: number } => {
    if (omitted > 0) {
      problems.push({
        file,
        range: range(0, 0),
        severity: 'information',
        code: 'more-problems',
        message: `${omitted} more problems not listed`,
      });
    }
    return { problems, errors };
  };
  return { report, finish };
}

function valueStart(f: ScanField): number {
  return f.key.length + 1;
}

export function validateRecord(r: ScanRecord, format: ScanFormat, report: Reporter): void {
  const name = r.pkgname;
  const minLen = format === 'index' ? 2 : 4;
  if (name === '' || /[ \t]/.test(name)) {
    report('error', 'bad-pkgname', `PKGNAME '${name}' is empty or contains blanks`, r.line, 8);
  } else if (name.length < minLen) {
    report('error', 'bad-pkgname', `PKGNAME '${name}' is shorter than ${minLen} characters (pbulk rejects it)`, r.line, 8);
  } else if (!name.includes('-')) {
    report('error', 'bad-pkgname', `PKGNAME '${name}' has no version (no '-')`, r.line, 8);
  }

  const seen = new Map<string, ScanField>();
  for (const f of r.fields) {
    const first = seen.get(f.key);
    if (first) {
      report('warning', 'duplicate-field', `${f.key} appears again in the record of ${name}; line ${first.line + 1} is used`, f.line);
      continue;
    }
    seen.set(f.key, f);
    checkValue(f, name, format, report);
  }

  if (format === 'index') {
    const loc = seen.get('PKG_LOCATION');
    if (loc) report('warning', 'unexpected-field', 'pbulk-index output has no PKG_LOCATION line; pbulk-scan inserts its own', loc.line);
  } else if (!seen.has('PKG_LOCATION')) {
    report('error', 'missing-field', `record of ${name} has no PKG_LOCATION line`, r.line);
  }
  for (const k of REQUIRED) {
    if (!seen.has(k)) report('error', 'missing-field', `record of ${name} has no ${k} line`, r.line);
  }
  for (const k of EXPECTED) {
    if (!seen.has(k)) report('warning', 'missing-field', `record of ${name} has no ${k} line`, r.line);
  }
  const dep = seen.get('DEPENDS');
  if (format !== 'presolve' && dep) {
    report('warning', 'unexpected-field', `DEPENDS in a scan record: pbulk-resolve keeps it instead of resolving ${name}`, dep.line);
  }
  if (format === 'presolve' && !dep) {
    const all = seen.get('ALL_DEPENDS');
    if (all && all.value.trim() !== '') {
      report('warning', 'unresolved', `${name} has dependencies but no DEPENDS line (left unresolved): it is built as if it had none`, r.line);
    }
  }
}

function checkValue(f: ScanField, name: string, format: ScanFormat, report: Reporter): void {
  const at = valueStart(f);
  const v = f.value;
  switch (f.key) {
    case 'PKG_LOCATION':
      if (v === '' || /\s/.test(v)) report('error', 'bad-location', `PKG_LOCATION '${v}' is empty or contains blanks`, f.line, at);
      else if (!/^[^/]+\/[^/]+$/.test(v)) report('warning', 'bad-location', `PKG_LOCATION '${v}' is not of the form category/package`, f.line, at);
      break;
    case 'ALL_DEPENDS': {
      const list = parseAllDepends(v);
      if (list.error) {
        const { message, start, end } = list.error;
        report('error', 'bad-dependency', `${message} (in ALL_DEPENDS of ${name})`, f.line, at + start, at + end);
      }
      for (const item of list.items) {
        const err = patternError(item.pattern);
        if (err) report('error', 'bad-pattern', err, f.line, at + item.start, at + item.end);
      }
      break;
    }
    case 'USE_DESTDIR':
      if (!['', 'no', 'yes', 'destdir', 'user-destdir'].includes(v)) {
        report('warning', 'bad-value', `USE_DESTDIR '${v}' is not one of no, destdir, user-destdir`, f.line, at);
      }
      break;
    case 'BOOTSTRAP_PKG':
      if (!['', 'yes', 'no'].includes(v)) report('warning', 'bad-value', `BOOTSTRAP_PKG '${v}' is not yes or empty`, f.line, at);
      break;
    case 'USERGROUP_PHASE':
      if (v !== '' && !/(configure|build|pre-install)$/.test(v)) {
        report('warning', 'bad-value', `USERGROUP_PHASE '${v}' does not end in configure, build or pre-install`, f.line, at);
      }
      break;
    case 'MULTI_VERSION':
      if (
        !v.startsWith(' ') ||
        !v
          .trim()
          .split(/\s+/)
          .every((w) => /^[A-Za-z_][A-Za-z0-9_]*=\S*$/.test(w))
      ) {
        report('warning', 'bad-value', `MULTI_VERSION '${v}' is not a list of ' VAR=value' settings`, f.line, at);
      }
      break;
    case 'PBULK_WEIGHT':
      if (!/^\d+$/.test(v)) report('warning', 'bad-value', `PBULK_WEIGHT '${v}' is not a non-negative integer`, f.line, at);
      break;
    case 'DEPENDS':
      if (format === 'presolve' && /^[ \t]|[ \t]$|[ \t]{2}/.test(v)) {
        report('warning', 'bad-value', 'DEPENDS has stray blanks (pbulk-resolve writes single spaces)', f.line, at);
      }
      break;
  }
}
