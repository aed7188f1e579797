// pbulk-resolve: from scan records to meta/presolve, with pbulk's exact results and messages.
//
// Records are visited in input order. An active record without a DEPENDS= line gets its
// ALL_DEPENDS resolved: for each `pattern:../../location` item, a pattern already satisfied by
// a dependency chosen earlier for this record is skipped; otherwise the best match among ALL
// records (highest version, pkg_order) is chosen and becomes active. The record is written
// unchanged with `DEPENDS=<names>` appended. Modes:
//   global (default)  every record is active; an unresolvable dependency fails the whole run
//   partial (-p)      a record with an unresolvable dependency is written without DEPENDS
//   incremental (-i)  the first input is the active set, the rest are candidates that become
//                     active only when chosen; unresolvable dependencies give their location
//                     in `missing` (one per failed item, in order) instead of an error
// Only active records are written, and nothing at all when the run failed.
//
// Ties between identical PKGNAMEs (incremental rounds see a package both in the old presolve
// and in the new pscan) go the way pbulk's lookup goes: patterns that start with four plain
// characters and have no '{' walk a hash chain newest-first, so the earliest record wins;
// other patterns walk all records in order, so the latest wins.
import { isAlnum } from '../pattern/ascii';
import { compilePattern, quickMatch, type CompiledPattern } from '../pattern/match';
import { comparePkgnames } from '../pattern/order';
import { parseAllDepends } from '../scan/all-depends';
import { fieldLine, type ScanRecord } from '../scan/record';
import { CandidateIndex } from './candidates';
import type { ResolveMessage } from './messages';

export interface ResolveOptions {
  /** -v: report best matches that differ from the named location; -vv: every multiple match. */
  verbose?: number;
  /** -p: write records with unresolvable dependencies without DEPENDS instead of failing. */
  partial?: boolean;
}

export interface PresolveRecord {
  record: ScanRecord;
  pkgname: string;
  location: string;
  /** The resolved dependencies (the DEPENDS= line); undefined when the record has none. */
  depends: string[] | undefined;
  /** The record as written to meta/presolve. */
  text: string;
}

export interface ResolveResult {
  /** pbulk-resolve's exit status would be 0. */
  ok: boolean;
  /** The records written, in order (none when !ok). */
  records: PresolveRecord[];
  /** meta/presolve ('' when !ok). */
  text: string;
  /** stderr, in order. */
  messages: ResolveMessage[];
  /** Incremental mode: locations of unresolvable dependencies, as written to the -i file. */
  missing: string[];
  /** Packages left without DEPENDS because a dependency could not be resolved. */
  unresolved: string[];
}

interface Entry {
  rec: ScanRecord;
  name: string;
  location: string;
  active: boolean;
  /** Resolved dependency entries, or undefined (none resolved, or the record failed). */
  deps: number[] | undefined;
}

interface Found {
  /** Every record the pattern matches. */
  all: Set<number>;
  best: number | undefined;
  /** Names pbulk logs at -vv, in its (odd) order: the best-so-far, twice on the first repeat. */
  multi: string[];
}

/** Does pbulk-resolve look the pattern up in its two-character hash chain? */
function hashed(p: string): boolean {
  for (let i = 0; i < 4; i++) {
    const c = p.charCodeAt(i);
    if (!(isAlnum(c) || c === 45)) return false;
  }
  return !p.includes('{');
}

type Where = ResolveMessage['at'];

/** A message about the record of `e`; `extra` adds pattern, location, position, detail. */
function about(
  e: Entry,
  code: ResolveMessage['code'],
  severity: ResolveMessage['severity'],
  message: string,
  extra: Partial<ResolveMessage> = {},
): ResolveMessage {
  return { code, severity, message, pkgname: e.name, record: e.rec, ...extra };
}

/** The PKGNAME= line of a record, as a position. */
function nameLine(e: Entry): Where {
  return { line: e.rec.line, start: 0, end: 8 + e.name.length };
}

class Resolver {
  readonly entries: Entry[];
  readonly messages: ResolveMessage[] = [];
  readonly missing: string[] = [];
  private readonly index: CandidateIndex;
  private readonly found = new Map<string, Found>();
  private readonly verbose: number;

  constructor(
    files: readonly (readonly ScanRecord[])[],
    private readonly incremental: boolean,
    private readonly partial: boolean,
    verbose: number,
  ) {
    this.verbose = verbose;
    this.entries = files.flatMap((recs, f) => recs.map((rec) => ({ rec, name: rec.pkgname, location: rec.location ?? '', active: f === 0, deps: undefined })));
    this.index = new CandidateIndex(this.entries.map((e) => e.name));
  }

  /** pbulk's read_entries checks; a message for the first record it would reject. */
  checkInput(): ResolveMessage | undefined {
    for (const e of this.entries) {
      let detail: string | undefined;
      if (e.name.length < 4 || /[ \t]/.test(e.name)) detail = `PKGNAME '${e.name}' is shorter than 4 characters or contains blanks`;
      else if (e.rec.location === undefined) detail = `record of ${e.name} has no PKG_LOCATION line`;
      if (detail) return about(e, 'invalid-input', 'error', 'Invalid input', { fatal: true, at: nameLine(e), detail });
    }
    return undefined;
  }

  private find(pattern: string, c: CompiledPattern): Found {
    let f = this.found.get(pattern);
    if (f) return f;
    const matches = this.index.matches(c);
    f = { all: new Set(matches), best: undefined, multi: [] };
    if (hashed(pattern)) matches.reverse();
    let count = 0;
    for (const i of matches) {
      if (count++ === 0) {
        f.best = i;
        continue;
      }
      const bestName = this.entries[f.best!]!.name;
      if (count === 2) f.multi.push(bestName);
      f.multi.push(bestName);
      if (comparePkgnames(bestName, this.entries[i]!.name) <= 0) f.best = i;
    }
    this.found.set(pattern, f);
    return f;
  }

  private bestDiffers(match: Entry, location: string, pattern: string, e: Entry, at: Where): void {
    if (this.verbose < 1 || this.incremental || match.location === location) return;
    const text = `Best matching ${match.name} differs from location ${location} for dependency ${pattern} of package ${e.name}`;
    this.messages.push(about(e, 'best-match-differs', 'information', text, { pattern, location, at }));
  }

  /** resolve_entry: false when the run fails because of this record; throws Fatal to stop. */
  resolveEntry(e: Entry): boolean {
    if (!e.active) return true;
    if (fieldLine(e.rec, 'DEPENDS')) return true;
    const all = fieldLine(e.rec, 'ALL_DEPENDS');
    if (!all) {
      throw new Fatal(about(e, 'no-all-depends', 'error', `No ALL_DEPENDS line for ${e.name}`, { fatal: true, at: nameLine(e) }));
    }
    const list = parseAllDepends(all.value);
    const off = all.key.length + 1;
    const at = (start: number, end: number): Where => ({ line: all.line, start: off + start, end: off + end });
    const deps: number[] = [];
    let failed = false;
    for (const item of list.items) {
      const where = at(item.start, item.end);
      const { pattern, location } = item;
      const c = compilePattern(pattern);
      if (c.error) {
        // pkg_install exits as soon as it has to expand such a pattern against a name.
        if (this.entries.some((x) => quickMatch(pattern, x.name))) {
          throw new Fatal(about(e, 'bad-pattern', 'error', c.error, { fatal: true, pattern, location, at: where }));
        }
      }
      const f = this.find(pattern, c);
      const prev = deps.find((d) => f.all.has(d));
      if (prev !== undefined) {
        this.bestDiffers(this.entries[prev]!, location, pattern, e, where);
        continue;
      }
      if (this.verbose >= 2) {
        for (const m of f.multi) {
          const text = `Multiple matches for dependency ${pattern} of package ${e.name}: ${m}`;
          this.messages.push(about(e, 'multiple-matches', 'information', text, { pattern, location, at: where }));
        }
      }
      if (f.best === undefined) {
        if (this.incremental) this.missing.push(location);
        else
          this.messages.push(about(e, 'no-match', 'error', `No match found for dependency ${pattern} of package ${e.name}`, { pattern, location, at: where }));
        failed = true;
        continue;
      }
      const best = this.entries[f.best]!;
      this.bestDiffers(best, location, pattern, e, where);
      deps.push(f.best);
      best.active = true;
    }
    if (list.error) {
      // pbulk-resolve stops at the malformed item; what it activated so far stays active.
      const where = at(list.error.start, list.error.end);
      this.messages.push(about(e, 'incorrect-dependency', 'error', `Incorrect dependency for ${e.name}, skipping`, { at: where, detail: list.error.message }));
      return false;
    }
    if (failed) return this.incremental || this.partial;
    e.deps = deps.length > 0 ? deps : undefined;
    return true;
  }
}

class Fatal extends Error {
  constructor(readonly msg: ResolveMessage) {
    super(msg.message);
  }
}

export interface ResolveFilesOptions extends ResolveOptions {
  /** -i: the first input is the active set, the others candidates. */
  incremental?: boolean;
  /**
   * false: leave `text` empty in the result and its records (a caller that writes presolve
   * from the input's bytes does not need 65 MB of strings). Default true.
   */
  texts?: boolean;
}

/**
 * pbulk-resolve over several inputs (only incremental mode takes more than one): the general
 * entry point; resolveGlobal and resolveIncremental are the usual shapes.
 */
export function resolveFiles(files: readonly (readonly ScanRecord[])[], opts: ResolveFilesOptions = {}): ResolveResult {
  const incremental = opts.incremental === true;
  const texts = opts.texts !== false;
  const r = new Resolver(files, incremental, opts.partial === true && !incremental, opts.verbose ?? 0);
  const fail = (extra?: ResolveMessage): ResolveResult => ({
    ok: false,
    records: [],
    text: '',
    messages: extra ? [...r.messages, extra] : r.messages,
    missing: r.missing,
    unresolved: [],
  });
  const bad = r.checkInput();
  if (bad) return fail(bad);
  let ok = true;
  try {
    // Reading each entry's state anew: resolving one may activate later ones.
    for (let i = 0; i < r.entries.length; i++) if (!r.resolveEntry(r.entries[i]!)) ok = false;
  } catch (e) {
    if (e instanceof Fatal) return fail(e.msg);
    throw e;
  }
  if (!ok) return fail();
  const records: PresolveRecord[] = [];
  const unresolved: string[] = [];
  for (const e of r.entries) {
    if (!e.active) continue;
    const hasLine = fieldLine(e.rec, 'DEPENDS') !== undefined;
    const depends = e.deps?.map((d) => r.entries[d]!.name);
    if (!depends && !hasLine && (fieldLine(e.rec, 'ALL_DEPENDS')?.value.trim() ?? '') !== '') unresolved.push(e.name);
    const text = texts ? (depends ? `${e.rec.text}DEPENDS=${depends.join(' ')}\n` : e.rec.text) : '';
    records.push({ record: e.rec, pkgname: e.name, location: e.location, depends: depends ?? (hasLine ? existingDepends(e.rec) : undefined), text });
  }
  return { ok: true, records, text: texts ? records.map((x) => x.text).join('') : '', messages: r.messages, missing: r.missing, unresolved };
}

function existingDepends(rec: ScanRecord): string[] {
  return (fieldLine(rec, 'DEPENDS')?.value ?? '').split(/[ \t]+/).filter((w) => w !== '');
}

/** Full build: `pbulk-resolve [-v] [-p] pscan`. */
export function resolveGlobal(records: readonly ScanRecord[], opts: ResolveOptions = {}): ResolveResult {
  return resolveFiles([records], opts);
}

/**
 * Limited build round: `pbulk-resolve -i missing active candidates`. `active` is the previous
 * round's presolve (or the first pscan), `candidates` the records scanned since.
 */
export function resolveIncremental(
  active: readonly ScanRecord[],
  candidates: readonly ScanRecord[],
  opts: Pick<ResolveOptions, 'verbose'> = {},
): ResolveResult {
  return resolveFiles([active, candidates], { ...opts, incremental: true });
}
