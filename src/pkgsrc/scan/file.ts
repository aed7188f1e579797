// Reading and writing scan files so that bytes survive: pbulk works on bytes, and presolve
// must come out byte-identical even when a MAINTAINER or a reason holds Latin-1. Valid UTF-8
// is decoded as such (for display); anything else is decoded as Latin-1, one character per
// byte, and written back the same way. gzip-compressed files are read transparently.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

export type ScanEncoding = 'utf8' | 'latin1';

export interface ScanText {
  text: string;
  encoding: ScanEncoding;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function isAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return false;
  return true;
}

/**
 * Decodes scan bytes. `latin1: true` always decodes one character per byte (fastest, and
 * exact for strcmp-style ordering); otherwise UTF-8 when valid. Throws, with a message fit
 * for the user, only for a corrupt gzip stream or text too large for one string.
 */
export function decodeScanBytes(bytes: Uint8Array, opts: { latin1?: boolean } = {}): ScanText {
  const buf = gunzipScanBytes(bytes);
  try {
    if (opts.latin1 || isAscii(buf)) return { text: buf.toString('latin1'), encoding: 'latin1' };
    try {
      return { text: utf8.decode(buf), encoding: 'utf8' };
    } catch {
      return { text: buf.toString('latin1'), encoding: 'latin1' };
    }
  } catch (e) {
    throw new Error(`too large to read as text (${buf.byteLength} bytes: ${(e as Error).message})`);
  }
}

/** The bytes of a scan file, gunzipped when compressed; throws for a corrupt gzip stream. */
function gunzipScanBytes(bytes: Uint8Array): Buffer {
  let raw: Uint8Array = bytes;
  if (isGzip(bytes)) {
    try {
      raw = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`not a valid gzip file (${(e as Error).message})`);
    }
  }
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

export function encodeScanText(text: string, encoding: ScanEncoding): Buffer {
  return Buffer.from(text, encoding);
}

export type ReadScanResult = ({ ok: true } & ScanText) | { ok: false; message: string };

function readError(path: string, e: unknown): { ok: false; message: string } {
  return { ok: false, message: `${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` };
}

/** Reads a scan file (plain or .gz); failures come back as a message naming the file. */
export async function readScanFile(path: string, opts: { latin1?: boolean } = {}): Promise<ReadScanResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return readError(path, e);
  }
  try {
    return { ok: true, ...decodeScanBytes(bytes, opts) };
  } catch (e) {
    return { ok: false, message: `${path}: ${(e as Error).message}` };
  }
}

/**
 * The bytes of a scan file (plain or .gz, gunzipped), read in one go for a process that has
 * nothing else to do meanwhile (the CLI); failures come back as a message naming the file.
 */
export function readScanBytesSync(path: string): { ok: true; bytes: Buffer } | { ok: false; message: string } {
  try {
    return { ok: true, bytes: gunzipScanBytes(readFileSync(path)) };
  } catch (e) {
    return readError(path, e);
  }
}
