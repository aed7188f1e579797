// Reading many small files fast without stalling the event loop. On a local disk, synchronous
// open/read/close into one reused buffer is several times faster than fs.promises (which costs
// four thread-pool round trips per file), so files are read synchronously in slices of a few
// milliseconds with a yield between slices. When the disk turns out to be slow (NFS, a cold
// cache), reading switches to a bounded pool of asynchronous reads so nothing blocks for long.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import type { Problem } from '../problem';

export interface ReadOptions {
  /** Larger files are not read (a problem says so). Default 4 MiB. */
  maxBytes?: number;
  /** Parallel reads once reading has switched to asynchronous. Default 16. */
  concurrency?: number;
  /** Mean ms per file above which reading switches to asynchronous. Default 2. */
  slowFileMs?: number;
}

export interface TextFile {
  file: string;
  /** Undefined when the file could not be read. */
  text?: string;
  /**
   * The raw bytes when the file is plain ASCII (text offsets are byte offsets; the buffer may
   * be longer than the text), valid only during the visit callback: the buffer is reused for
   * the next file.
   */
  bytes?: Buffer;
  /** ENOENT or ENOTDIR: the file is not there (callers decide whether that is a problem). */
  missing: boolean;
  problems: readonly Problem[];
}

const SLICE_MS = 8;
const none: readonly never[] = Object.freeze([]);
/** A NUL or a byte above 0x7f, in text decoded as Latin-1. */
const notPlain = /[^\x01-\x7f]/;
/** Mean time per file above which the reads go asynchronous. */
const SLOW_FILE_MS = 2;
const scratch = Buffer.allocUnsafe(64 * 1024);

function wholeFile(): Problem['range'] {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function errorResult(file: string, e: unknown): TextFile {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { file, missing: true, problems: none };
  const why = code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
  return { file, missing: false, problems: [{ file, range: wholeFile(), severity: 'error', message: `Cannot read the file: ${why}.`, code: 'unreadable' }] };
}

/** Where the first byte that breaks UTF-8 lies, as a line and column of the Latin-1 text. */
function firstBadByte(bytes: Uint8Array): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b === 10) {
      line++;
      lineStart = i + 1;
      i++;
      continue;
    }
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need >= 0;
    for (let k = 1; ok && k <= need; k++) ok = i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80;
    // Overlong forms, surrogates and code points above U+10FFFF, which isUtf8 refuses too.
    const b1 = bytes[i + 1] ?? 0;
    if (ok && ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f))) ok = false;
    if (!ok) return { line, character: i - lineStart };
    i += need + 1;
  }
  return { line, character: 0 };
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Bytes to text. Not UTF-8: read as Latin-1, the usual legacy encoding of pkgsrc files, so every
 * byte keeps one column and names like "Café" still show; a problem marks the first bad byte.
 */
export function decodeText(file: string, bytes: Buffer): { text: string; problems: Problem[] } {
  const problems: Problem[] = [];
  let text: string;
  if (isUtf8(bytes)) {
    text = bytes.toString('utf8');
  } else {
    text = bytes.toString('latin1');
    const at = firstBadByte(bytes);
    problems.push({
      file,
      range: { start: at, end: { line: at.line, character: at.character + 1 } },
      severity: 'warning',
      message: 'The file is not valid UTF-8; it was read as Latin-1.',
      code: 'invalid-utf8',
    });
  }
  // Positions count characters of the decoded text (a UTF-8 sequence is one column), not bytes.
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = countNewlines(text, nul);
    const last = text.lastIndexOf('\n', nul);
    problems.push({
      file,
      range: { start: { line, character: nul - last - 1 }, end: { line, character: nul - last } },
      severity: 'error',
      message: 'The file holds NUL bytes: it looks binary, and bmake will not read it as a Makefile.',
      code: 'binary-file',
    });
  }
  return { text, problems };
}

/**
 * The common case, cheapest: the file fits the reused buffer and is plain ASCII, so its text is
 * a byte-for-byte copy and `bytes` (valid until the next read) lets a parser cut values out
 * as fresh strings that do not keep the whole text alive. Anything else takes readTextSync.
 */
function readTextFast(file: string, maxBytes: number): TextFile {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return errorResult(file, e);
  }
  let n: number;
  try {
    n = readSync(fd, scratch, 0, scratch.length, 0);
  } catch (e) {
    closeSync(fd);
    return errorResult(file, e);
  }
  closeSync(fd);
  if (n < scratch.length) {
    const text = scratch.toString('latin1', 0, n);
    if (!notPlain.test(text)) return { file, text, bytes: scratch, missing: false, problems: none };
  }
  return readTextSync(file, maxBytes);
}

function readTextSync(file: string, maxBytes: number): TextFile {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return errorResult(file, e);
  }
  try {
    let n = readSync(fd, scratch, 0, scratch.length, 0);
    let bytes: Buffer = scratch.subarray(0, n);
    if (n === scratch.length) {
      const size = fstatSync(fd).size;
      if (size > maxBytes) {
        return tooLarge(file, size, maxBytes);
      }
      const big = Buffer.allocUnsafe(size);
      n = 0;
      for (let r = 1; r > 0 && n < size; n += r) r = readSync(fd, big, n, size - n, n);
      bytes = big.subarray(0, n);
    }
    const d = decodeText(file, bytes);
    return { file, text: d.text, missing: false, problems: d.problems };
  } catch (e) {
    return errorResult(file, e);
  } finally {
    closeSync(fd);
  }
}

/** A Makefile larger than any real one: a problem instead of its text. */
function tooLarge(file: string, size: number, maxBytes: number): TextFile {
  const message = `The file is ${size} bytes, more than the ${maxBytes} a Makefile may have here; it was not read.`;
  return { file, missing: false, problems: [{ file, range: wholeFile(), severity: 'error', message, code: 'file-too-large' }] };
}

async function readTextAsync(file: string, maxBytes: number): Promise<TextFile> {
  let h;
  try {
    h = await open(file, 'r');
  } catch (e) {
    return errorResult(file, e);
  }
  try {
    const size = (await h.stat()).size;
    if (size > maxBytes) {
      return tooLarge(file, size, maxBytes);
    }
    const d = decodeText(file, await h.readFile());
    return { file, text: d.text, missing: false, problems: d.problems };
  } catch (e) {
    return errorResult(file, e);
  } finally {
    await h.close();
  }
}

/** Milliseconds from an arbitrary start (process.hrtime: `performance` costs a fresh process 10 ms to load). */
const now = () => Number(process.hrtime.bigint()) / 1e6;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads every file and hands each to `visit` as soon as it is read, so a caller that keeps only
 * what it parsed out of a file never holds all the texts at once. Never rejects.
 */
export async function forEachTextFile(files: readonly string[], visit: (index: number, f: TextFile) => void, opts: ReadOptions = {}): Promise<void> {
  const maxBytes = opts.maxBytes ?? 4 * 1024 * 1024;
  let i = 0;
  let syncMs = 0;
  while (i < files.length) {
    const t0 = now();
    do {
      const stop = Math.min(files.length, i + 32);
      for (; i < stop; i++) visit(i, readTextFast(files[i]!, maxBytes));
    } while (i < files.length && now() - t0 < SLICE_MS);
    syncMs += now() - t0;
    // A mean over many files, so a moment of CPU contention does not look like a slow disk.
    if (i >= 32 && syncMs / i > (opts.slowFileMs ?? SLOW_FILE_MS)) break;
    if (i < files.length) await yieldToLoop();
  }
  let next = i;
  const worker = async () => {
    while (next < files.length) {
      const k = next++;
      visit(k, await readTextAsync(files[k]!, maxBytes));
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, files.length - next) }, worker));
}

/** Calls fn(0..count-1) synchronously in slices of a few milliseconds, yielding between them. */
export async function sliced(count: number, fn: (i: number) => void): Promise<void> {
  let i = 0;
  while (i < count) {
    const t0 = now();
    do {
      const stop = Math.min(count, i + 64);
      for (; i < stop; i++) fn(i);
    } while (i < count && now() - t0 < SLICE_MS);
    if (i < count) await yieldToLoop();
  }
}

/** Reads every file; results in the order of `files`. Never rejects. */
export async function readTextFiles(files: readonly string[], opts: ReadOptions = {}): Promise<TextFile[]> {
  const out: TextFile[] = new Array(files.length);
  // The bytes of the reused buffer do not outlive the visit.
  await forEachTextFile(files, (i, f) => (out[i] = f.bytes ? { file: f.file, text: f.text, missing: f.missing, problems: f.problems } : f), opts);
  return out;
}
