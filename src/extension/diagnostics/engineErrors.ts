// Build-wide problems as diagnostics on the file a user fixes: the pbulk.conf, the limited_list
// line of a location, or a package Makefile. Sources: the engine's error events, pbulk's own
// logs in meta/ (presolve-err.log, pscan.stderr), the `file:line:col: severity: message [code]`
// lines the engine prints when it refuses a pbulk.conf, and the `file:line: message` lines of
// a refused build request. Pure (node fs only), so node --test runs it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bulklog } from '../../pkgsrc/bulklog';
import { range, type Range, type Severity } from '../../pkgsrc/problem';
import { PBULK_META_LOGS, matchLogFile, type LogProblem } from '../../pkgsrc/problems';
import { findDependencyLine } from './makefileLines';
import type { DiagnosticSpec, Target } from './types';

export interface BuildFiles {
  /** The pbulk.conf of the build. */
  conf: string;
  /** 0-based line of `limited_list=` in it, when set. */
  limitedListLine?: number;
  /** The limited_list with the line of each location. */
  limitedList?: { file: string; entries: { location: string; line: number; range: Range }[] };
  /** Local pkgsrc tree. */
  pkgsrc?: string;
}

export const ENGINE_OWNER = 'engine:';
export const META_OWNER = 'meta:';

function spec(target: Target, r: Range, severity: Severity, message: string, code: string, owner: string): DiagnosticSpec {
  return { target, range: r, severity, message, code, related: [], owner, actions: {} };
}

function confTarget(f: BuildFiles): { target: Target; range: Range } {
  const l = f.limitedListLine;
  return { target: { kind: 'file', path: f.conf }, range: l !== undefined ? range(l, 0, l + 1, 0) : range(0, 0, 0, 0) };
}

/** The limited_list line naming a location, if the build has a list that does. */
function listLine(f: BuildFiles, location: string): { target: Target; range: Range } | undefined {
  const e = f.limitedList?.entries.find((x) => x.location === location);
  return e && f.limitedList ? { target: { kind: 'file', path: f.limitedList.file }, range: e.range } : undefined;
}

async function makefileOf(f: BuildFiles, location: string | undefined): Promise<{ path: string; text: string } | undefined> {
  if (!f.pkgsrc || !location) return undefined;
  const path = join(f.pkgsrc, location, 'Makefile');
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { path, text };
}

/** Where a problem about a location goes: its limited_list line, else its Makefile, else the conf. */
async function locationPlace(f: BuildFiles, location: string): Promise<{ target: Target; range: Range }> {
  const l = listLine(f, location);
  if (l) return l;
  const mk = await makefileOf(f, location);
  if (mk) return { target: { kind: 'file', path: mk.path }, range: range(0, 0, 0, 0) };
  return confTarget(f);
}

const LOCATION = /^[A-Za-z0-9][^/\s]*\/[^/\s]+$/;

/**
 * pbulk's complaints in meta/presolve-err.log and meta/pscan.stderr (errors and warnings; the
 * information lines of a full resolve are too many to list), each where it can be fixed.
 */
export async function metaLogDiagnostics(metaDir: string, files: BuildFiles, bulklog?: Bulklog): Promise<DiagnosticSpec[]> {
  const out: DiagnosticSpec[] = [];
  for (const name of PBULK_META_LOGS) {
    const path = join(metaDir, name);
    let problems: LogProblem[];
    try {
      problems = (await matchLogFile(path, { sources: ['pbulk'] })).problems;
    } catch {
      continue;
    }
    for (const p of problems) {
      if (p.severity !== 'error' && p.severity !== 'warning') continue;
      out.push(...(await metaProblem(p, path, files, bulklog)));
    }
  }
  return out;
}

async function metaProblem(p: LogProblem, file: string, f: BuildFiles, bulklog: Bulklog | undefined): Promise<DiagnosticSpec[]> {
  const onLog = spec({ kind: 'file', path: file }, range(p.logLine, 0, p.logEndLine + 1, 0), p.severity, p.message, p.code, META_OWNER);
  const d = p.data ?? {};
  if (d.pkgpath && LOCATION.test(d.pkgpath) && p.code.startsWith('scan-')) {
    const place = await locationPlace(f, d.pkgpath);
    return [
      {
        ...spec(place.target, place.range, p.severity, p.message, p.code, META_OWNER),
        related: [{ target: onLog.target, range: onLog.range, message: 'reported here' }],
      },
    ];
  }
  if (p.code === 'unresolved-dependency' && d.pkgname) {
    const pkg = bulklog?.byName.get(d.pkgname);
    const out: DiagnosticSpec[] = [];
    const related = [{ target: onLog.target, range: onLog.range, message: 'reported here' }];
    const mk = await makefileOf(f, pkg?.location);
    if (mk) {
      const hit = findDependencyLine(mk.text, { pattern: d.pattern });
      const r = hit ? range(hit.line, hit.start, hit.line, hit.end) : range(0, 0, 0, 0);
      out.push({ ...spec({ kind: 'file', path: mk.path }, r, 'error', p.message, p.code, META_OWNER), related });
    }
    const l = pkg?.location ? listLine(f, pkg.location) : undefined;
    if (l) out.push({ ...spec(l.target, l.range, 'error', p.message, p.code, META_OWNER), related });
    return out.length > 0 ? out : [onLog];
  }
  return [onLog];
}

/** One engine error event as diagnostics. */
export async function engineErrorDiagnostics(
  e: { severity: Severity; message: string; code: string; location?: { file: string; line: number; character: number } | undefined },
  f: BuildFiles,
): Promise<DiagnosticSpec[]> {
  const owner = ENGINE_OWNER;
  if (e.code === 'resolve' && /Unresolvable dependencies found/.test(e.message)) {
    // The locations follow the first line, one per line.
    const locs = e.message
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter((l) => LOCATION.test(l));
    const out: DiagnosticSpec[] = [];
    const c = confTarget(f);
    out.push(
      spec(c.target, c.range, 'error', `unresolvable dependencies: ${locs.join(', ') || 'see meta/presolve-err.log'}`, 'unresolvable-dependencies', owner),
    );
    for (const loc of locs) {
      const l = listLine(f, loc);
      if (l) out.push(spec(l.target, l.range, 'error', `${loc}: unresolvable (no package found there)`, 'unresolvable-dependencies', owner));
    }
    return out;
  }
  const scan = /^Scan failed for (\S+?):?(?:\s|$)/.exec(e.message);
  if (scan && LOCATION.test(scan[1]!)) {
    const place = await locationPlace(f, scan[1]!);
    return [spec(place.target, place.range, e.severity, e.message, e.code, owner)];
  }
  // Problems located in pbulk's meta logs are read from those files (metaLogDiagnostics).
  if (e.location && !PBULK_META_LOGS.some((n) => e.location!.file.endsWith(`/${n}`))) {
    const { file, line, character } = e.location;
    return [spec({ kind: 'file', path: file }, range(line, character, line + 1, 0), e.severity, e.message, e.code, owner)];
  }
  const c = confTarget(f);
  return [
    spec(
      c.target,
      c.range,
      e.severity,
      e.message.split('\n')[0]! + (e.message.includes('\n') ? ` (${e.message.split('\n').length - 1} more lines in the engine output)` : ''),
      e.code,
      owner,
    ),
  ];
}

const PROBLEM_LINE = /^(\/.+?):(\d+):(\d+): (error|warning|information|hint): (.*?)(?: \[([\w.-]+)\])?$/;
const REQUEST_LINE = /^(\/.+?):(\d+): (.*)$/;

/**
 * Problems printed as `file:line:col: severity: message [code]` (the engine's stderr when it
 * refuses a pbulk.conf) or `file:line: message` (a refused build request), 1-based.
 */
export function printedProblems(text: string, owner = ENGINE_OWNER): DiagnosticSpec[] {
  const out: DiagnosticSpec[] = [];
  for (const raw of text.split('\n')) {
    const l = raw.trimEnd();
    const m = PROBLEM_LINE.exec(l);
    if (m) {
      const line = Math.max(0, Number(m[2]) - 1);
      const col = Math.max(0, Number(m[3]) - 1);
      out.push(spec({ kind: 'file', path: m[1]! }, range(line, col, line + 1, 0), m[4] as Severity, m[5]!, m[6] ?? 'engine', owner));
      continue;
    }
    const r = REQUEST_LINE.exec(l);
    if (r && !/^\d+:/.test(r[3]!)) {
      const line = Math.max(0, Number(r[2]) - 1);
      out.push(spec({ kind: 'file', path: r[1]! }, range(line, 0, line + 1, 0), 'error', r[3]!, 'engine', owner));
    }
  }
  return out;
}
