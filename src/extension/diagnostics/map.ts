// A bulklog's packages as diagnostics, the way a pkgsrc developer wants to meet them:
//  - failed: an error on the package Makefile, on the line that matters when it is known (the
//    DEPENDS line of a missing dependency, DISTNAME/MASTER_SITES for fetch and checksum
//    failures, else line 1), saying the phase, the first error lines of the log and how many
//    packages it breaks; related information points at those log lines. Compiler errors go on
//    the patches/ or files/ line they come from when the path maps there, else on the log;
//  - depending on a failed or broken package: information naming the dependency behind it, on
//    the line that brings that dependency in;
//  - broken (prefailed): the PKG_FAIL_REASON / PKG_SKIP_REASON text on the line that sets BROKEN etc.
// Severity and code are the state's (src/pkgsrc/states.ts), the same as its icon in the tree.
// Without a local Makefile (a bulklog from another machine) everything goes on the package's
// log document. Pure (node fs only), so node --test runs it.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Bulklog, BulklogPackage } from '../../pkgsrc/bulklog';
import { BROKEN_STATES, STATE_LOOK, State, type BuildState } from '../../pkgsrc/states';
import { range, type Range } from '../../pkgsrc/problem';
import { analyzeFailureLog, LOG_MATCHERS, type FailureAnalysis, type LogProblem } from '../../pkgsrc/problems';
import { documentLine, phasePart, readLogDocument, type LogDocument } from '../logs/logDocument';
import { findDependencyLine, findDistfileLine, findDistinfoLine, findReasonLine, type LineHit } from './makefileLines';
import { mapSourcePosition, type PackageSources } from './patchMap';
import type { DiagnosticSpec, RelatedSpec, Target } from './types';

/** Errors shown in a failed package's message; more go to related information only. */
const MESSAGE_ERRORS = 3;
/** Log errors turned into diagnostics of their own, per package. */
const MAX_LOG_DIAGNOSTICS = 50;
const consequences = new Set(LOG_MATCHERS.filter((m) => m.consequence).map((m) => m.code));

export interface DiagnoseContext {
  bulklog: Bulklog;
  /** The local pkgsrc tree, where Makefiles, patches/ and files/ are looked for. */
  pkgsrc?: string | undefined;
  readText(path: string): Promise<string | undefined>;
  /** patches/ and files/ of a package directory. */
  sources(dir: string): Promise<PackageSources>;
  logDocument(p: BulklogPackage): Promise<LogDocument>;
  analyze(log: string): Promise<FailureAnalysis | undefined>;
}

/** Facts a package's log document starts with. */
export function logFacts(p: BulklogPackage): string[] {
  const facts = [`${STATE_LOOK[p.state].word}${p.failingPhase && p.state === State.Failed ? ` in the ${p.failingPhase} phase` : ''}`];
  if (p.breaks) facts.push(`breaks ${plural(p.breaks, 'package')}`);
  if (p.culprits?.length) facts.push(`because of ${p.culprits.join(', ')}`);
  if (p.reasons?.length) facts.push(joinReasons(p.reasons));
  if (p.maintainer) facts.push(p.maintainer);
  return facts;
}

/** What the context reads, from the file system, each file once. */
export function fileContext(bulklog: Bulklog, pkgsrc: string | undefined): DiagnoseContext {
  const texts = new Map<string, Promise<string | undefined>>();
  const docs = new Map<string, Promise<LogDocument>>();
  const analyses = new Map<string, Promise<FailureAnalysis | undefined>>();
  const once = <T>(m: Map<string, Promise<T>>, k: string, f: () => Promise<T>) => {
    let v = m.get(k);
    if (!v) m.set(k, (v = f()));
    return v;
  };
  return {
    bulklog,
    pkgsrc,
    readText: (path) => once(texts, path, () => readFile(path, 'utf8').catch(() => undefined)),
    sources: (dir) => packageSources(dir),
    logDocument: (p) => once(docs, p.pkgname, () => readLogDocument(bulklog.dir, { pkgname: p.pkgname, location: p.location, facts: logFacts(p) })),
    analyze: (log) => once(analyses, log, () => analyzeFailureLog(log, { maxErrors: 10 }).catch(() => undefined)),
  };
}

async function walk(dir: string, depth: number): Promise<string[]> {
  if (depth > 4) return [];
  let ents;
  try {
    ents = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of ents) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p, depth + 1)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** A package directory's patches (with their text) and files/ entries. */
async function packageSources(dir: string): Promise<PackageSources> {
  const patchPaths = (await walk(join(dir, 'patches'), 4)).filter((p) => /\/patch-[^/]+$/.test(p)).sort();
  const patches: PackageSources['patches'] = [];
  for (const p of patchPaths) {
    const text = await readFile(p, 'utf8').catch(() => undefined);
    if (text !== undefined) patches.push({ path: p, text });
  }
  const filesDir = join(dir, 'files');
  const files = (await walk(filesDir, 0)).map((p) => ({ path: p, rel: relative(filesDir, p) }));
  return { patches, files };
}

/** Reasons as one sentence: `foo is marked as broken:` reads on into the next one. */
function joinReasons(reasons: readonly string[]): string {
  return reasons.reduce((acc, r, k) => (k === 0 ? r : `${acc}${/:$/.test(acc) ? ' ' : '; '}${r}`), '');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function hitRange(h: LineHit | undefined): Range {
  return h ? range(h.line, h.start, h.line, h.end) : range(0, 0, 0, 0);
}

function whole(line: number): Range {
  return range(line, 0, line + 1, 0);
}

interface PackagePlace {
  makefile?: string;
  text?: string;
  dir?: string;
}

async function placeOf(p: BulklogPackage, ctx: DiagnoseContext): Promise<PackagePlace> {
  if (!ctx.pkgsrc || !p.location) return {};
  const dir = join(ctx.pkgsrc, p.location);
  const makefile = join(dir, 'Makefile');
  const text = await ctx.readText(makefile);
  return text === undefined ? {} : { makefile, text, dir };
}

function logTarget(ctx: DiagnoseContext, pkgname: string): Target {
  return { kind: 'log', bulklog: ctx.bulklog.dir, pkgname };
}

/** The line of the Makefile a failure is about, from the errors its log shows. */
function failureLine(text: string, errors: LogProblem[]): { hit?: LineHit; distinfo?: { distfile: string; algorithm?: string } } {
  for (const e of errors) {
    const d = e.data ?? {};
    if ((e.code === 'missing-dependency' || e.code === 'missing-dependency-dir') && (d.pkgpath || d.pattern)) {
      const hit = findDependencyLine(text, { pkgpath: d.pkgpath, pattern: d.pattern });
      if (hit) return { hit };
    }
    if (e.code === 'checksum-mismatch' || e.code === 'checksum-missing') {
      const hit = findDistfileLine(text, 'checksum');
      return { ...(hit ? { hit } : {}), ...(d.distfile ? { distinfo: { distfile: d.distfile, ...(d.algorithm ? { algorithm: d.algorithm } : {}) } } : {}) };
    }
    if (e.code === 'fetch-failed') {
      const hit = findDistfileLine(text, 'fetch');
      if (hit) return { hit };
    }
    if (e.code === 'pkg-fail-reason' || e.code.endsWith('-restriction')) {
      const hit = findReasonLine(text, [e.message]);
      if (hit) return { hit };
    }
  }
  return {};
}

async function failedDiagnostics(p: BulklogPackage, ctx: DiagnoseContext): Promise<DiagnosticSpec[]> {
  const out: DiagnosticSpec[] = [];
  const place = await placeOf(p, ctx);
  const doc = await ctx.logDocument(p);
  const analysis = p.failingLog ? await ctx.analyze(p.failingLog) : undefined;
  const errors = analysis?.errors ?? [];
  const phase = p.failingPhase;
  const docLineOf = (line: number) => (p.failingLog ? documentLine(doc, p.failingLog, line) : undefined);
  const firstLine = analysis?.firstErrorLine !== undefined ? docLineOf(analysis.firstErrorLine) : undefined;
  const showLine = firstLine ?? (phase ? phasePart(doc, phase)?.titleLine : undefined);
  const logT = logTarget(ctx, p.pkgname);

  const head = `${p.pkgname} failed${phase ? ` in the ${phase} phase` : ''}${p.breaks ? `, breaks ${plural(p.breaks, 'package')}` : ''}`;
  const lines = errors.slice(0, MESSAGE_ERRORS).map((e) => `${e.message}${e.count && e.count > 1 ? ` (${e.count} times)` : ''}`);
  const message =
    lines.length > 0
      ? `${head}: ${lines[0]}${lines
          .slice(1)
          .map((l) => `\n${l}`)
          .join('')}`
      : `${head}${p.failingLog ? `; no error message recognised in ${phase}.log` : '; it left no log'}`;
  const related: RelatedSpec[] = [];
  for (const e of errors) {
    const l = docLineOf(e.logLine);
    if (l !== undefined) related.push({ target: logT, range: whole(l), message: `${phase}.log:${e.logLine + 1}: ${e.message}` });
  }
  if (related.length === 0 && showLine !== undefined) related.push({ target: logT, range: whole(showLine), message: `${phase ?? 'the'} log` });

  let target: Target = logT;
  let where = range(0, 0, 0, 0);
  if (place.makefile && place.text !== undefined) {
    const f = failureLine(place.text, errors);
    target = { kind: 'file', path: place.makefile };
    where = hitRange(f.hit);
    if (f.distinfo && place.dir) {
      const distinfo = join(place.dir, 'distinfo');
      const dt = await ctx.readText(distinfo);
      const dl = dt === undefined ? undefined : findDistinfoLine(dt, f.distinfo.distfile, f.distinfo.algorithm);
      if (dl) related.push({ target: { kind: 'file', path: distinfo }, range: hitRange(dl), message: `checksum recorded for ${f.distinfo.distfile}` });
    }
  } else if (showLine !== undefined) {
    where = whole(showLine);
  }
  out.push({
    target,
    range: where,
    ...problemOf(State.Failed),
    message,
    related,
    owner: p.pkgname,
    actions: { showLog: { bulklog: ctx.bulklog.dir, pkgname: p.pkgname, ...(showLine !== undefined ? { line: showLine } : {}) }, rebuild: [p.pkgname] },
  });

  // Every error of the failing log: on the package's own patch or files/ line when it maps
  // there, else on the log document.
  if (analysis) {
    const sources = place.dir ? await ctx.sources(place.dir) : { patches: [], files: [] };
    let n = 0;
    for (const e of analysis.problems) {
      if (e.severity !== 'error' || consequences.has(e.code)) continue;
      if (n++ >= MAX_LOG_DIAGNOSTICS) break;
      const docLine = docLineOf(e.logLine);
      const logRel: RelatedSpec[] = docLine !== undefined ? [{ target: logT, range: whole(docLine), message: `${phase}.log:${e.logLine + 1}` }] : [];
      const mapped = e.file !== undefined && e.line !== undefined ? mapSourcePosition(e.file, e.line, e.column, sources) : undefined;
      const base = {
        severity: 'error' as const,
        code: e.code,
        owner: p.pkgname,
        actions: { showLog: { bulklog: ctx.bulklog.dir, pkgname: p.pkgname, ...(docLine !== undefined ? { line: docLine } : {}) }, rebuild: [p.pkgname] },
      };
      if (mapped) {
        const where = e.file !== undefined ? `${e.file}:${(e.line ?? 0) + 1}${e.column !== undefined ? `:${e.column + 1}` : ''}: ` : '';
        out.push({
          ...base,
          target: { kind: 'file', path: mapped.file },
          range: range(mapped.line, mapped.character, mapped.line, mapped.character + 1),
          message: `${where}${e.message} (${p.pkgname}, ${phase} phase)`,
          related: logRel,
        });
      } else if (docLine !== undefined) {
        const where = e.file !== undefined ? `${e.file}:${(e.line ?? 0) + 1}${e.column !== undefined ? `:${e.column + 1}` : ''}: ` : '';
        out.push({
          ...base,
          target: logT,
          range: whole(docLine),
          message: `${where}${e.message}${e.count && e.count > 1 ? ` (${e.count} times)` : ''}`,
          related: [],
        });
      }
    }
  }
  return out;
}

/** The failed or prefailed packages an indirect one is held up by, and the direct dependencies leading there. */
function blockers(p: BulklogPackage, b: Bulklog, want: (s: BulklogPackage['state']) => boolean): { roots: string[]; direct: string[] } {
  const roots = new Set<string>();
  const direct: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): boolean => {
    const q = b.byName.get(name);
    if (!q) return false;
    if (want(q.state)) {
      roots.add(name);
      return true;
    }
    if (seen.has(name)) return false;
    seen.add(name);
    let any = false;
    for (const d of q.depends) if (visit(d)) any = true;
    return any;
  };
  for (const d of p.depends) {
    const q = b.byName.get(d);
    if (!q) continue;
    if (visit(d)) direct.push(d);
  }
  return { roots: [...roots], direct };
}

async function indirectDiagnostic(
  p: BulklogPackage,
  ctx: DiagnoseContext,
  kind: typeof State.DependsOnFailed | typeof State.DependsOnBroken,
): Promise<DiagnosticSpec> {
  const b = ctx.bulklog;
  const found = blockers(p, b, (s) => (kind === State.DependsOnFailed ? s === State.Failed : s === State.Broken));
  const roots = kind === State.DependsOnFailed && p.culprits?.length ? p.culprits : found.roots;
  const place = await placeOf(p, ctx);
  let target: Target = logTarget(ctx, p.pkgname);
  let where = range(0, 0, 0, 0);
  let via: string | undefined;
  if (place.makefile && place.text !== undefined) {
    target = { kind: 'file', path: place.makefile };
    // The dependency line through which the failure arrives, a culprit itself if it is direct.
    const direct = [...found.direct].sort((x, y) => Number(roots.includes(y)) - Number(roots.includes(x)));
    for (const d of direct) {
      const hit = findDependencyLine(place.text, { pkgpath: b.byName.get(d)?.location });
      if (hit) {
        where = hitRange(hit);
        if (!roots.includes(d)) via = d;
        break;
      }
    }
  }
  const failed = kind === State.DependsOnFailed;
  const names = roots.length > 0 ? roots : found.direct;
  const message =
    names.length === 0
      ? `${p.pkgname} was not built: a dependency ${failed ? 'failed' : 'is broken'}`
      : `${p.pkgname} was not built: it depends on ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}, which ${failed ? 'failed' : names.length === 1 ? 'is broken' : 'are broken'}${via ? ` (through ${via})` : ''}`;
  const related: RelatedSpec[] = [];
  const deps: NonNullable<DiagnosticSpec['actions']['openDependency']> = [];
  for (const n of names.slice(0, 10)) {
    const q = b.byName.get(n);
    const qPlace = q ? await placeOf(q, ctx) : {};
    const t: Target = qPlace.makefile ? { kind: 'file', path: qPlace.makefile } : logTarget(ctx, n);
    related.push({
      target: t,
      range: range(0, 0, 0, 0),
      message:
        `${n}${q?.location ? ` (${q.location})` : ''} ${q?.state === State.Failed ? `failed${q.failingPhase ? ` in ${q.failingPhase}` : ''}` : q ? STATE_LOOK[q.state].word : ''}`.trim(),
    });
    deps.push({ pkgname: n, ...(q?.location ? { location: q.location } : {}), ...(qPlace.makefile ? { makefile: qPlace.makefile } : {}) });
  }
  return {
    target,
    range: where,
    ...problemOf(kind),
    message,
    related,
    owner: p.pkgname,
    actions: { openDependency: deps, ...(failed && names.length > 0 ? { rebuild: names } : {}), showLog: { bulklog: b.dir, pkgname: p.pkgname } },
  };
}

async function prefailedDiagnostic(p: BulklogPackage, ctx: DiagnoseContext): Promise<DiagnosticSpec> {
  const reasons = p.reasons?.length ? p.reasons : [p.failReason ?? p.skipReason ?? 'PKG_FAIL_REASON or PKG_SKIP_REASON is set'];
  const place = await placeOf(p, ctx);
  let target: Target = logTarget(ctx, p.pkgname);
  let where = range(0, 0, 0, 0);
  if (place.makefile && place.text !== undefined) {
    target = { kind: 'file', path: place.makefile };
    where = hitRange(findReasonLine(place.text, reasons));
  }
  return {
    target,
    range: where,
    ...problemOf(State.Broken),
    message: `${p.pkgname} is not built: ${joinReasons(reasons)}${p.breaks ? ` (${plural(p.breaks, 'package')} depend on it)` : ''}`,
    related: [],
    owner: p.pkgname,
    actions: { showLog: { bulklog: ctx.bulklog.dir, pkgname: p.pkgname } },
  };
}

/** A state's severity and code in Problems. */
function problemOf(s: BuildState): { severity: NonNullable<DiagnosticSpec['severity']>; code: string } {
  return { severity: STATE_LOOK[s].severity!, code: STATE_LOOK[s].code! };
}

/** The diagnostics of one package (none for done, open and in-processing ones). */
export async function diagnosePackage(p: BulklogPackage, ctx: DiagnoseContext): Promise<DiagnosticSpec[]> {
  switch (p.state) {
    case State.Failed:
      return failedDiagnostics(p, ctx);
    case State.DependsOnFailed:
    case State.DependsOnBroken:
      return [await indirectDiagnostic(p, ctx, p.state)];
    case State.Broken:
      return [await prefailedDiagnostic(p, ctx)];
    default:
      return [];
  }
}

/** Every package's diagnostics, `concurrency` packages at a time; failed ones first. */
export async function diagnoseBulklog(ctx: DiagnoseContext, opts: { concurrency?: number } = {}): Promise<DiagnosticSpec[]> {
  const order = (s: BuildState) => (BROKEN_STATES as readonly BuildState[]).indexOf(s);
  const todo = ctx.bulklog.packages.filter((p) => order(p.state) >= 0).sort((a, b) => order(a.state) - order(b.state));
  const results: DiagnosticSpec[][] = new Array(todo.length);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const k = next++;
      results[k] = await diagnosePackage(todo[k]!, ctx).catch((e: unknown) => [
        {
          target: logTarget(ctx, todo[k]!.pkgname),
          range: range(0, 0, 0, 0),
          severity: 'warning' as const,
          message: `${todo[k]!.pkgname}: cannot map its logs to diagnostics: ${(e as Error).message}`,
          code: 'diagnostics-failed',
          related: [],
          owner: todo[k]!.pkgname,
          actions: {},
        },
      ]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  return results.flat();
}
