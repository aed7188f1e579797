// Runs the matcher table over log lines: problems, log sections (between phase banners) and
// the first error line. Work is bounded: lines are matched on at most maxLineLength
// characters, at most maxProblems problems are kept, and a cheap substring filter skips the
// lines no matcher could match.
import { range, type Problem } from '../problem';
import { textLines } from '../text';
import { LOG_MATCHERS, type LogMatcher, type MatchContext } from './matchers';
import type { LogProblem, LogSection } from './types';

export interface MatchOptions {
  /** Which matchers to use; default both. */
  sources?: ('log' | 'pbulk')[];
  /** Added to every line index (when the lines are a window of a larger log). */
  lineOffset?: number;
  /** Keep at most this many problems (default 2000). */
  maxProblems?: number;
  /** Match at most this many characters of a line (default 4096). */
  maxLineLength?: number;
  /** Only find sections, no problems (cheaper). */
  sectionsOnly?: boolean;
}

export interface LogMatch {
  problems: LogProblem[];
  sections: LogSection[];
  /** True when more than maxProblems problems were found. */
  problemsTruncated: boolean;
}

const compiled = new Map<string, { matchers: LogMatcher[]; filter: RegExp }>();

function matchersFor(sources: readonly string[], sectionsOnly: boolean): { matchers: LogMatcher[]; filter: RegExp } {
  const key = `${[...sources].sort().join(',')}|${sectionsOnly}`;
  let c = compiled.get(key);
  if (!c) {
    const matchers = LOG_MATCHERS.filter((m) => sources.includes(m.source) && (!sectionsOnly || m.kind === 'section'));
    const hints = [...new Set(matchers.flatMap((m) => m.hints))];
    const filter = new RegExp(hints.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
    c = { matchers, filter };
    compiled.set(key, c);
  }
  return c;
}

export function matchLines(lines: readonly string[], opts: MatchOptions = {}): LogMatch {
  const offset = opts.lineOffset ?? 0;
  const maxProblems = opts.maxProblems ?? 2000;
  const maxLen = opts.maxLineLength ?? 4096;
  const { matchers, filter } = matchersFor(opts.sources ?? ['log', 'pbulk'], opts.sectionsOnly ?? false);
  const ctx: MatchContext = { memory: new Map() };
  const problems: LogProblem[] = [];
  const sections: LogSection[] = [];
  let section: LogSection = { title: '(start)', startLine: offset, endLine: offset };
  let truncated = false;
  let cont: { p: LogProblem; re: RegExp } | undefined;
  const lastByCode = new Map<string, LogProblem>();
  const byKey = new Map<string, LogProblem>();

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.length > maxLen ? raw.slice(0, maxLen) : raw;
    const ln = i + offset;
    if (cont) {
      const m = cont.re.exec(line);
      if (m) {
        const more = (m[1] ?? '').trim();
        if (more) cont.p.message += ` ${more}`;
        cont.p.logEndLine = ln;
        continue;
      }
      cont = undefined;
    }
    if (!filter.test(line)) continue;
    for (const matcher of matchers) {
      if (!matcher.hints.some((h) => line.includes(h))) continue;
      const m = matcher.re.exec(line);
      if (!m) continue;
      const b = matcher.build(m, ctx);
      if (matcher.kind === 'section') {
        // The section before the banner ends on the line before it (an empty `(start)` is dropped).
        if (ln > section.startLine) {
          section.endLine = ln - 1;
          sections.push(section);
        }
        section = { title: line.replace(/^===>\s*/, '').trimEnd(), startLine: ln, endLine: ln, ...(b.data?.pkgname ? { pkgname: b.data.pkgname } : {}) };
        break;
      }
      if (matcher.kind === 'context') break;
      const p: LogProblem = {
        severity: b.severity ?? matcher.severity,
        message: b.message,
        code: matcher.code,
        logLine: ln,
        logEndLine: ln,
        ...(b.file !== undefined ? { file: b.file } : {}),
        ...(b.line !== undefined ? { line: b.line } : {}),
        ...(b.column !== undefined ? { column: b.column } : {}),
        ...(b.data ? { data: b.data } : {}),
      };
      if (matcher.dedupeKey) {
        const key = matcher.dedupeKey(p);
        const seen = byKey.get(key);
        if (seen) {
          seen.count = (seen.count ?? 1) + 1;
          break;
        }
        byKey.set(key, p);
      }
      if (matcher.cascade) {
        const prev = lastByCode.get(matcher.code);
        if (prev && ln - prev.logEndLine <= matcher.cascade.within) {
          prev.logEndLine = ln;
          if (matcher.cascade.join && p.message) prev.message += ` ${p.message}`;
          break;
        }
      }
      if (problems.length < maxProblems) {
        problems.push(p);
        lastByCode.set(matcher.code, p);
        if (matcher.continuation) cont = { p, re: matcher.continuation };
      } else {
        truncated = true;
      }
      break;
    }
  }
  section.endLine = Math.max(section.startLine, offset + lines.length - 1);
  if (lines.length > 0) sections.push(section);
  return { problems, sections, problemsTruncated: truncated };
}

/** Matches a whole log given as text. */
export function matchLog(text: string, opts: MatchOptions = {}): LogMatch {
  return matchLines(textLines(text), opts);
}

/** The sections of a log between phase banners, for document symbols. */
export function segmentLog(text: string, opts: Pick<MatchOptions, 'lineOffset' | 'maxLineLength'> = {}): LogSection[] {
  return matchLines(textLines(text), { ...opts, sectionsOnly: true }).sections;
}

/**
 * 0-based line of the first error in a log: the first error that is a cause (a compiler error,
 * a failed fetch, a missing dependency ...) rather than a consequence (make's `*** Error code 1`),
 * else the first error of any kind. Undefined when there is none.
 */
export function firstErrorLine(log: string | LogMatch): number | undefined {
  const m = typeof log === 'string' ? matchLog(log) : log;
  const consequence = new Set(LOG_MATCHERS.filter((x) => x.consequence).map((x) => x.code));
  const errors = m.problems.filter((p) => p.severity === 'error');
  return (errors.find((p) => !consequence.has(p.code)) ?? errors[0])?.logLine;
}

/** A log problem as a located Problem on the log file itself (the whole lines it spans). */
export function logProblemToProblem(p: LogProblem, logPath: string, lineLength?: (line: number) => number): Problem {
  const endChar = lineLength ? lineLength(p.logEndLine) : 0;
  const where = p.file !== undefined ? ` [${p.file}${p.line !== undefined ? `:${p.line + 1}` : ''}${p.column !== undefined ? `:${p.column + 1}` : ''}]` : '';
  return {
    file: logPath,
    range: lineLength ? range(p.logLine, 0, p.logEndLine, endChar) : range(p.logLine, 0, p.logEndLine + 1, 0),
    severity: p.severity,
    message: `${p.message}${where}${p.count && p.count > 1 ? ` (${p.count} times)` : ''}`,
    code: p.code,
  };
}
