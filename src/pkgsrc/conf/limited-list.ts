// The limited_list file: one package location (category/dir) per line. pbulk 0.51 drops only
// lines *starting* with # and keeps everything else verbatim, so trailing blanks or comments
// become part of the location; the 2020 scan script strips them. In master mode each scan
// client rejects locations that are not exactly `category/dir`, which aborts that client.
// checkLimitedList is the one judge of a list: the language server and lint show what it
// finds, and builds (engine, CLI, editor) refuse a list it finds errors in.
import type { Range } from '../problem';
import type { ConfCheckContext } from './checks/run';
import { LineIndex } from './positions';
import { realProbe } from './probe';
import type { ConfDiagnostic, ConfFix } from './types';
import { compareVersions, defaultPbulkVersion } from './version';

export interface LimitedListEntry {
  /** The location exactly as the given pbulk version passes it to the scan. */
  location: string;
  /** 0-based line. */
  line: number;
  /** Range of the location text on its line. */
  range: Range;
}

export interface LimitedList {
  entries: LimitedListEntry[];
  /** Comment lines (for document symbols and folding). */
  comments: Range[];
}

/** Whether this pbulk strips inline comments and trailing blanks (the 2020 scan script does). */
export function stripsComments(version: string): boolean {
  return compareVersions(version, '0.68') >= 0;
}

/** The entries a given pbulk version reads from the file. */
export function parseLimitedList(text: string, version = defaultPbulkVersion().version): LimitedList {
  const idx = new LineIndex(text);
  const entries: LimitedListEntry[] = [];
  const comments: Range[] = [];
  const strip = stripsComments(version);
  for (let i = 0; i < idx.lineCount; i++) {
    const line = idx.lineText(i);
    if (line.startsWith('#')) {
      comments.push({ start: { line: i, character: 0 }, end: { line: i, character: line.length } });
      continue;
    }
    let location = line;
    if (strip) {
      const hash = location.indexOf('#');
      if (hash >= 0) {
        comments.push({ start: { line: i, character: hash }, end: { line: i, character: line.length } });
        location = location.slice(0, hash);
      }
      location = location.replace(/\s+$/, '');
    }
    if (location === '') continue;
    entries.push({ location, line: i, range: { start: { line: i, character: 0 }, end: { line: i, character: location.length } } });
  }
  return { entries, comments };
}

/** A package location: `category/dir`, no blanks, nothing above or beside the tree. */
export const PACKAGE_LOCATION = /^[A-Za-z0-9][^/\s]*\/(?!\.{1,2}$)[^/\s]+$/;
const SHAPE = PACKAGE_LOCATION;

/** Why a scan client in master mode rejects the location ("Invalid path from master"), if it does. */
function masterRejects(loc: string): string | undefined {
  if (loc.length < 3) return 'it is shorter than 3 characters';
  if (loc.startsWith('/')) return 'it starts with /';
  if (loc.startsWith('../')) return 'it starts with ../';
  if (loc.endsWith('/..')) return 'it ends with /..';
  const slashes = loc.split('/').length - 1;
  if (slashes !== 1) return `it has ${slashes} slashes instead of exactly one`;
  return undefined;
}

/** Why `loc` is not a package location, for anyone: the first rule it breaks. */
function notLocation(loc: string): string {
  if (/\s/.test(loc)) return 'it contains blanks';
  const slashes = loc.split('/').length - 1;
  if (slashes !== 1) return `it has ${slashes} slashes instead of exactly one`;
  if (/\/\.{1,2}$/.test(loc)) return 'it leaves its category';
  return 'a category starts with a letter or digit';
}

export function checkLimitedList(text: string, file: string, context: ConfCheckContext = {}): ConfDiagnostic[] {
  const out: ConfDiagnostic[] = [];
  const version = (context.pbulkVersion ?? defaultPbulkVersion()).version;
  const strip = stripsComments(version);
  const probe = context.probe ?? realProbe;
  const idx = new LineIndex(text);
  const report = (
    range: Range,
    severity: ConfDiagnostic['severity'],
    code: string,
    message: string,
    fixes: ConfFix[] = [],
    related?: ConfDiagnostic['related'],
  ): void => {
    const d: ConfDiagnostic = { file, range, severity, message, code };
    if (fixes.length) d.fixes = fixes;
    if (related?.length) d.related = related;
    out.push(d);
  };
  const lineRange = (i: number): Range => ({ start: { line: i, character: 0 }, end: { line: i, character: idx.lineText(i).length } });
  const deleteLine = (i: number): Range =>
    i + 1 < idx.lineCount
      ? { start: { line: i, character: 0 }, end: { line: i + 1, character: 0 } }
      : i > 0
        ? { start: { line: i - 1, character: idx.lineText(i - 1).length }, end: { line: i, character: idx.lineText(i).length } }
        : lineRange(i);

  const nul = text.indexOf('\0');
  if (nul >= 0) report(idx.range(nul, nul + 1), 'error', 'binary-content', 'NUL byte: this is not a text file');
  const cr = text.indexOf('\r');
  if (cr >= 0) {
    report(
      idx.range(cr, cr),
      strip ? 'information' : 'error',
      'crlf-line-ends',
      strip
        ? 'CRLF line ends: this pbulk strips them, but pbulk before 2020 keeps the carriage return in every location'
        : `CRLF line ends: pbulk ${version} keeps the carriage return in every location, so every scan fails`,
    );
  }

  const pkgsrc = context.pkgsrc;
  const treeOk = pkgsrc !== undefined && probe.stat(pkgsrc)?.kind === 'directory';
  const seen = new Map<string, number>();
  let count = 0;
  for (let i = 0; i < idx.lineCount; i++) {
    const line = idx.lineText(i);
    if (line.startsWith('#') || line === '') continue;
    // What the 2013 scan would read, and what a careful reader meant.
    const hash = line.search(/\s#|^\s*#/);
    const meant = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (meant === '' && hash >= 0) {
      if (!strip) {
        report(
          lineRange(i),
          'error',
          'limited-list-comment',
          `pbulk ${version} treats only lines starting with # as comments: this indented comment becomes a package location and its scan fails`,
          [{ title: 'Start the comment in column 1', edits: [{ range: lineRange(i), newText: line.trimStart() }] }],
        );
      }
      continue;
    }
    if (/^\s*$/.test(line)) {
      if (!strip && line !== '') {
        report(lineRange(i), 'warning', 'limited-list-blank', `this line holds only blanks: pbulk ${version} scans it as a location, which fails`, [
          { title: 'Remove the line', edits: [{ range: deleteLine(i), newText: '' }] },
        ]);
      }
      continue;
    }
    count++;
    const start = line.indexOf(meant);
    const range: Range = { start: { line: i, character: start }, end: { line: i, character: start + meant.length } };
    if (start > 0) {
      report(
        { start: { line: i, character: 0 }, end: { line: i, character: start } },
        'error',
        'limited-list-blank',
        `leading blanks become part of the location '${line.slice(0, start + meant.length)}': the scan fails`,
        [{ title: 'Remove the leading blanks', edits: [{ range: { start: { line: i, character: 0 }, end: { line: i, character: start } }, newText: '' }] }],
      );
    }
    const tail: Range = { start: { line: i, character: start + meant.length }, end: { line: i, character: line.length } };
    if (line.length > start + meant.length) {
      const what = hash >= 0 ? 'an inline comment' : 'trailing blanks';
      const fix = [
        {
          title: hash >= 0 ? 'Move the comment to its own line' : 'Remove the trailing blanks',
          edits:
            hash >= 0
              ? [
                  { range: tail, newText: '' },
                  { range: { start: { line: i, character: 0 }, end: { line: i, character: 0 } }, newText: `# ${line.slice(line.indexOf('#') + 1).trim()}\n` },
                ]
              : [{ range: tail, newText: '' }],
        },
      ];
      if (strip)
        report(
          tail,
          'information',
          'limited-list-trailing',
          `${what}: this pbulk strips it, but pbulk before 2020 (config 0.51) keeps it as part of the location and the scan fails`,
          fix,
        );
      else
        report(
          tail,
          'error',
          'limited-list-trailing',
          `${what}: pbulk ${version} keeps it as part of the location '${line}', so make runs in a directory that does not exist and the scan fails`,
          fix,
        );
    }
    const loc = meant;
    if (!SHAPE.test(loc)) {
      const rejects = masterRejects(loc);
      const fixes =
        loc.endsWith('/') && SHAPE.test(loc.replace(/\/+$/, ''))
          ? [{ title: 'Remove the trailing /', edits: [{ range, newText: loc.replace(/\/+$/, '') }] }]
          : [];
      if (context.masterMode === true && rejects) {
        report(
          range,
          'error',
          'limited-list-entry',
          `'${loc}' is not a package location (category/dir): in master mode the scan clients reject it ("Invalid path from master") because ${rejects}, and the client aborts`,
          fixes,
        );
      } else {
        report(
          range,
          'error',
          'limited-list-entry',
          `'${loc}' is not a package location (category/dir): ${notLocation(loc)}; no package can be built from it`,
          fixes,
        );
      }
    } else if (treeOk && probe.stat(`${pkgsrc}/${loc}/Makefile`)?.kind !== 'file') {
      report(range, 'warning', 'limited-list-missing', `${pkgsrc}/${loc} has no Makefile: pbulk reports "Scan failed for ${loc}"`);
    }
    const first = seen.get(loc);
    if (first !== undefined) {
      report(
        range,
        'warning',
        'limited-list-duplicate',
        `${loc} is listed twice (first on line ${first + 1}); harmless, because the list is sorted with sort -u`,
        [{ title: 'Remove the duplicate line', edits: [{ range: deleteLine(i), newText: '' }] }],
        [{ file, range: lineRange(first), message: 'first listed here' }],
      );
    } else {
      seen.set(loc, i);
    }
  }
  if (count === 0)
    report(
      { start: { line: 0, character: 0 }, end: { line: 0, character: idx.lineText(0).length } },
      'warning',
      'limited-list-empty',
      'no package locations: a limited build of nothing',
    );
  return out;
}

export interface LimitedListLocations {
  /** The package locations to build, each once, in list order. */
  locations: string[];
  entries: LimitedListEntry[];
  /** What checkLimitedList finds that stops a build of the list. */
  errors: ConfDiagnostic[];
}

/** A limited_list as a build takes it: its locations, or the errors that refuse it. */
export function limitedListLocations(text: string, file: string, context: ConfCheckContext = {}): LimitedListLocations {
  const version = (context.pbulkVersion ?? defaultPbulkVersion()).version;
  const entries = parseLimitedList(text, version).entries;
  const errors = checkLimitedList(text, file, { ...context, pbulkVersion: context.pbulkVersion ?? defaultPbulkVersion() }).filter(
    (d) => d.severity === 'error',
  );
  const locations = [...new Set(entries.map((e) => e.location).filter((l) => PACKAGE_LOCATION.test(l)))];
  return { locations, entries, errors };
}
