// The line of a package Makefile that a build problem is about: the DEPENDS (or buildlink3.mk
// include) line of a dependency, the BROKEN / PKG_FAIL_REASON / NOT_FOR_PLATFORM line behind a
// prefailed package, DISTNAME or MASTER_SITES for fetch and checksum failures. Read statically,
// for placing a diagnostic only: what the package really depends on comes from bmake's scan.
// Pure (no vscode), so node --test runs it.
import { splitLines } from '../../pkgsrc/text';

export interface LineHit {
  /** 0-based line. */
  line: number;
  /** Start and end character of the part to underline (the variable name or the path). */
  start: number;
  end: number;
}

const ASSIGN = /^\s*([A-Za-z_][A-Za-z0-9_.${}+-]*?)\s*[+?:!]?=/;

/** Lines with their continuation lines (ending in `\`) folded onto the first one. */
function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const raw = splitLines(text);
  for (let i = 0; i < raw.length; i++) {
    const first = i;
    let t = raw[i]!;
    while (t.endsWith('\\') && i + 1 < raw.length) t = t.slice(0, -1) + ' ' + raw[++i]!;
    out.push({ line: first, text: t });
  }
  return out;
}

/** Where a variable is assigned (the first assignment of any of `names`, in their order of preference). */
export function findAssignment(text: string, names: readonly string[]): LineHit | undefined {
  const lines = splitLines(text);
  for (const name of names) {
    for (let i = 0; i < lines.length; i++) {
      const m = ASSIGN.exec(lines[i]!);
      if (!m) continue;
      const v = m[1]!;
      if (v === name || v.startsWith(`${name}.`)) {
        const start = lines[i]!.indexOf(v);
        return { line: i, start, end: start + v.length };
      }
    }
  }
  return undefined;
}

const DEPENDS_VARS = /^(?:BOOTSTRAP_|BUILD_|TOOL_|TEST_)?DEPENDS\b/;

/**
 * The line that brings in the dependency at `pkgpath` (`category/dir`): a `*DEPENDS+=` entry
 * naming `../../category/dir`, else an `.include` of a file under it (buildlink3.mk). When only a
 * pattern is known, an entry starting with that pattern.
 */
export function findDependencyLine(text: string, dep: { pkgpath?: string | undefined; pattern?: string | undefined }): LineHit | undefined {
  const logical = logicalLines(text);
  const lines = splitLines(text);
  // A hit on a folded line is located on the physical line holding the needle.
  const locate = (first: number, needle: string): LineHit | undefined => {
    for (let k = first; k < lines.length; k++) {
      const c = lines[k]!.indexOf(needle);
      if (c >= 0) return { line: k, start: c, end: c + needle.length };
      if (!lines[k]!.endsWith('\\')) break;
    }
    return undefined;
  };
  if (dep.pkgpath) {
    const needle = `../../${dep.pkgpath.replace(/^(\.\.\/)+/, '').replace(/\/+$/, '')}`;
    const ends = (t: string, at: number) => at + needle.length === t.length || /[\s/:"'}]/.test(t[at + needle.length]!);
    let include: LineHit | undefined;
    for (const l of logical) {
      const at = l.text.indexOf(needle);
      if (at < 0 || !ends(l.text, at)) continue;
      const m = ASSIGN.exec(l.text);
      if (m && DEPENDS_VARS.test(m[1]!)) return locate(l.line, needle);
      if (!include && /^\s*\.\s*(?:s?include|-include)\b/.test(l.text)) include = locate(l.line, needle);
    }
    if (include) return include;
  }
  if (dep.pattern) {
    for (const l of logical) {
      const m = ASSIGN.exec(l.text);
      if (!m || !DEPENDS_VARS.test(m[1]!)) continue;
      if (l.text.includes(`${dep.pattern}:`) || l.text.includes(dep.pattern)) return locate(l.line, dep.pattern);
    }
  }
  return undefined;
}

/**
 * The line behind a prefailed package's reason, as pkgsrc turns variables into
 * PKG_FAIL_REASON: BROKEN for "is marked as broken", the platform variables for "is not
 * available for", LICENSE for license refusals, else an explicit PKG_FAIL_REASON/PKG_SKIP_REASON.
 */
export function findReasonLine(text: string, reasons: readonly string[]): LineHit | undefined {
  const all = reasons.join(' ');
  const prefer: string[] = [];
  if (/marked as broken/i.test(all)) prefer.push('BROKEN', 'BROKEN_ON_PLATFORM', 'BROKEN_EXCEPT_ON_PLATFORM');
  if (/not available for|only available for/i.test(all))
    prefer.push('ONLY_FOR_PLATFORM', 'NOT_FOR_PLATFORM', 'BROKEN_ON_PLATFORM', 'BROKEN_EXCEPT_ON_PLATFORM', 'ONLY_FOR_COMPILER', 'NOT_FOR_COMPILER');
  if (/license/i.test(all)) prefer.push('LICENSE');
  if (/restricted|NO_BIN_ON_FTP/i.test(all)) prefer.push('RESTRICTED', 'NO_BIN_ON_FTP');
  prefer.push('PKG_FAIL_REASON', 'PKG_SKIP_REASON', 'BROKEN', 'BROKEN_ON_PLATFORM', 'NOT_FOR_PLATFORM', 'ONLY_FOR_PLATFORM', 'NOT_FOR_UNPRIVILEGED');
  return findAssignment(text, [...new Set(prefer)]);
}

/** Where a package's distfiles come from: for fetch and checksum failures. */
export function findDistfileLine(text: string, what: 'fetch' | 'checksum'): LineHit | undefined {
  return findAssignment(text, what === 'fetch' ? ['MASTER_SITES', 'DISTNAME', 'DISTFILES'] : ['DISTNAME', 'DISTFILES', 'PKGNAME']);
}

/** The line of a distinfo file recording a distfile (`SHA1 (name) = ...`). */
export function findDistinfoLine(text: string, distfile: string, algorithm?: string): LineHit | undefined {
  const lines = splitLines(text);
  const base = distfile.replace(/^.*\//, '');
  for (const alg of algorithm ? [algorithm, ''] : ['']) {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      const at = l.indexOf(`(${base})`);
      if (at < 0 && !l.includes(`/${base})`)) continue;
      if (alg && !l.startsWith(`${alg} `)) continue;
      return { line: i, start: 0, end: l.length };
    }
  }
  return undefined;
}
