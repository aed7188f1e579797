// Bounded reading of log files that may be huge (a runaway build writing gigabytes), binary
// or still being written. At most maxBytes are decoded: the head and, mostly, the tail (where
// builds fail); the bytes skipped in between are streamed only to count their newlines, so
// every line number stays exact.
import { open } from 'node:fs/promises';
import { decodeBytes, textLines } from '../text';
import { matchLines, type LogMatch, type MatchOptions } from './scan';
import type { LogProblem } from './types';

export interface LogWindow {
  /** 0-based line number of lines[0] in the file. */
  firstLine: number;
  lines: string[];
}

export interface BoundedLog {
  path: string;
  size: number;
  /** One window (the whole file) or two (head and tail) when the file exceeds maxBytes. */
  windows: LogWindow[];
  /** What was left out, when the file was too large. */
  skipped?: { fromLine: number; lines: number; bytes: number };
  hasNul: boolean;
  invalidUtf8: boolean;
}

const DEFAULT_MAX_LOG_BYTES = 16 * 1024 * 1024;

/** Reads a log, decoding at most maxBytes (1/4 head, 3/4 tail). */
export async function readLogBounded(path: string, maxBytes = DEFAULT_MAX_LOG_BYTES): Promise<BoundedLog> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size <= maxBytes) {
      const buf = Buffer.alloc(size);
      const { bytesRead } = await fh.read(buf, 0, size, 0);
      const d = decodeBytes(buf.subarray(0, bytesRead));
      return { path, size, windows: [{ firstLine: 0, lines: textLines(d.text) }], hasNul: d.hasNul, invalidUtf8: d.invalidUtf8 };
    }
    const headLen = Math.floor(maxBytes / 4);
    const tailLen = maxBytes - headLen;
    const head = Buffer.alloc(headLen);
    await fh.read(head, 0, headLen, 0);
    // The head ends at its last newline; a partial line there is counted with the skipped part.
    const headNl = head.lastIndexOf(0x0a);
    const headEnd = headNl >= 0 ? headNl + 1 : 0;
    const tail = Buffer.alloc(tailLen);
    const tailStart = size - tailLen;
    await fh.read(tail, 0, tailLen, tailStart);
    const tailNl = tail.indexOf(0x0a);
    const tailFrom = tailNl >= 0 ? tailNl + 1 : tailLen;
    const headBytes = head.subarray(0, headEnd);
    const tailBytes = tail.subarray(tailFrom);
    const headLines = countNewlines(headBytes);
    const skippedStart = headEnd;
    const skippedEnd = tailStart + tailFrom;
    const skippedLines = await countNewlinesIn(fh, skippedStart, skippedEnd);
    const hd = decodeBytes(headBytes);
    const td = decodeBytes(tailBytes);
    return {
      path,
      size,
      windows: [
        { firstLine: 0, lines: textLines(hd.text) },
        { firstLine: headLines + skippedLines, lines: textLines(td.text) },
      ],
      skipped: { fromLine: headLines, lines: skippedLines, bytes: skippedEnd - skippedStart },
      hasNul: hd.hasNul || td.hasNul,
      invalidUtf8: hd.invalidUtf8 || td.invalidUtf8,
    };
  } finally {
    await fh.close();
  }
}

export interface LogFileMatch extends LogMatch {
  log: Omit<BoundedLog, 'windows'>;
}

/** Matches a log file within the byte bound; a truncation becomes an information problem. */
export async function matchLogFile(path: string, opts: MatchOptions & { maxBytes?: number } = {}): Promise<LogFileMatch> {
  const log = await readLogBounded(path, opts.maxBytes);
  const out: LogMatch = { problems: [], sections: [], problemsTruncated: false };
  for (const w of log.windows) {
    const m = matchLines(w.lines, { ...opts, lineOffset: w.firstLine });
    out.problems.push(...m.problems);
    out.sections.push(...m.sections);
    out.problemsTruncated ||= m.problemsTruncated;
  }
  if (log.skipped) {
    const note: LogProblem = {
      severity: 'information',
      code: 'log-truncated',
      message: `log is ${log.size} bytes: ${log.skipped.lines} lines (${log.skipped.bytes} bytes) from line ${log.skipped.fromLine + 1} were not examined`,
      logLine: log.skipped.fromLine,
      logEndLine: log.skipped.fromLine,
    };
    out.problems.push(note);
    out.problems.sort((a, b) => a.logLine - b.logLine);
  }
  if (log.hasNul) {
    out.problems.unshift({ severity: 'information', code: 'log-binary', message: 'log contains NUL bytes (binary output)', logLine: 0, logEndLine: 0 });
  }
  const { windows: _w, ...rest } = log;
  return { ...out, log: rest };
}

function countNewlines(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}

async function countNewlinesIn(fh: import('node:fs/promises').FileHandle, start: number, end: number): Promise<number> {
  const chunk = Buffer.alloc(1024 * 1024);
  let n = 0;
  for (let pos = start; pos < end;) {
    const len = Math.min(chunk.length, end - pos);
    const { bytesRead } = await fh.read(chunk, 0, len, pos);
    if (bytesRead === 0) break;
    n += countNewlines(chunk.subarray(0, bytesRead));
    pos += bytesRead;
  }
  return n;
}
