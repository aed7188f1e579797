// One read-only document per package with all its logs: a one-line header (state, failing
// phase, what it breaks), then each phase log in pkg-build's order under a title line, then
// work.log and other files. Huge logs keep their head and tail with a marker line in between
// (readLogBounded), and the layout maps a (log file, line) to the document line, so that
// diagnostics and "Show log" land on the right line. Pure (node fs only), so node --test runs it.
import { basename, join } from 'node:path';
import { readPackageLogs, type LogFile } from '../../pkgsrc/bulklog/logs';
import { PHASE_TITLES, type Phase } from '../../pkgsrc/bulklog/phases';
import { readLogBounded, type BoundedLog } from '../../pkgsrc/problems/read';
import { segmentLog } from '../../pkgsrc/problems/scan';
import type { LogSection } from '../../pkgsrc/problems/types';

/** Bytes kept of each phase log; work.log (the wrapper log, often huge) gets less. */
export const MAX_PHASE_LOG_BYTES = 4 * 1024 * 1024;
const MAX_AUX_LOG_BYTES = 512 * 1024;

export interface LogDocumentPart {
  name: string;
  path: string;
  phase?: Phase;
  /** 0-based document line of the part's title line. */
  titleLine: number;
  /** Last document line of the part (inclusive). */
  endLine: number;
  /** Document line of each window's first line, with the window's first file line and length. */
  windows: { docLine: number; fileLine: number; count: number }[];
  /** Document line of the "lines not shown" marker of a truncated log. */
  markerLine?: number;
  /** Phase banners inside the log, in document lines. */
  sections: LogSection[];
  size: number;
}

export interface LogDocument {
  pkgname: string;
  text: string;
  parts: LogDocumentPart[];
  /** Document lines of the header. */
  headerLines: number;
}

export interface LogDocumentInfo {
  pkgname: string;
  location?: string | undefined;
  /** State, failing phase, breaks, reasons ...: joined on the first line. */
  facts: string[];
}

/** The document line of a line of one of the package's log files, or undefined when not shown. */
export function documentLine(doc: LogDocument, logPath: string, fileLine: number): number | undefined {
  const part = doc.parts.find((p) => p.path === logPath || p.name === basename(logPath));
  if (!part) return undefined;
  for (const w of part.windows) {
    if (fileLine >= w.fileLine && fileLine < w.fileLine + w.count) return w.docLine + (fileLine - w.fileLine);
  }
  return part.markerLine ?? part.titleLine;
}

/** The part of a phase, if its log is in the document. */
export function phasePart(doc: LogDocument, phase: Phase): LogDocumentPart | undefined {
  return doc.parts.find((p) => p.phase === phase);
}

function partTitle(name: string, phase: Phase | undefined, size: number): string {
  return `==== ${name}${phase ? ` (${PHASE_TITLES[phase]} phase)` : ''}, ${size} bytes ====`;
}

/** Builds the document from logs already read (the order given is the order shown). */
export function composeLogDocument(info: LogDocumentInfo, logs: { file: LogFile; log: BoundedLog }[], noLogsText?: string): LogDocument {
  // The header is always one line (and a blank one), whatever the facts, so that document
  // lines computed for diagnostics stay right when the package's state changes.
  const out: string[] = [[`${info.pkgname}${info.location ? ` (${info.location})` : ''}`, ...info.facts].join(' · '), ''];
  const headerLines = out.length;
  if (logs.length === 0 && noLogsText) out.push(noLogsText, '');
  const parts: LogDocumentPart[] = [];
  for (const { file, log } of logs) {
    const titleLine = out.length;
    out.push(partTitle(file.name, file.phase, log.size));
    const part: LogDocumentPart = {
      name: file.name,
      path: file.path,
      titleLine,
      endLine: titleLine,
      windows: [],
      sections: [],
      size: log.size,
      ...(file.phase ? { phase: file.phase } : {}),
    };
    log.windows.forEach((w, k) => {
      if (k > 0 && log.skipped) {
        part.markerLine = out.length;
        out.push(`.... ${log.skipped.lines} lines (${log.skipped.bytes} bytes) not shown: open ${file.path} for all of it ....`);
      }
      const docLine = out.length;
      part.windows.push({ docLine, fileLine: w.firstLine, count: w.lines.length });
      // Banners only: the lines before the first one belong to the part itself.
      for (const s of segmentLog(w.lines.join('\n'), { lineOffset: docLine })) if (s.title !== '(start)') part.sections.push(s);
      for (const l of w.lines) out.push(l);
    });
    if (log.hasNul) out.push('(the log holds NUL bytes: binary output, shown as far as it is text)');
    part.endLine = out.length - 1;
    out.push('');
    parts.push(part);
  }
  // The text carries no NULs: an editor shows them, but they break copying and searching.
  const text = out.join('\n').replace(/\0/g, '\uFFFD');
  return { pkgname: info.pkgname, text, parts, headerLines };
}

/** Reads a package's log directory (`<bulklog>/<PKGNAME>`) into a document. */
export async function readLogDocument(bulklog: string, info: LogDocumentInfo, noLogsText?: string): Promise<LogDocument> {
  const pl = await readPackageLogs(bulklog, info.pkgname);
  const files = (pl?.files ?? []).filter((f) => !f.name.endsWith('.tar.gz'));
  const logs: { file: LogFile; log: BoundedLog }[] = [];
  for (const file of files) {
    try {
      logs.push({ file, log: await readLogBounded(file.path, file.phase ? MAX_PHASE_LOG_BYTES : MAX_AUX_LOG_BYTES) });
    } catch {
      // Removed while reading (a live build finished and its logs were deleted): skip it.
    }
  }
  return composeLogDocument(info, logs, noLogsText ?? `No logs in ${join(bulklog, info.pkgname)}.`);
}
