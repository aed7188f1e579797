// Reading bulklog files that may be missing, huge, binary or half-written.
import { readFile } from 'node:fs/promises';
import type { Problem } from '../problem';
import { decodeBytes } from '../text';
import { fileProblem } from './located';

export interface TextFile {
  exists: boolean;
  text: string;
  problems: Problem[];
}

/** A file's text; a missing file is `exists: false`, other read errors become problems. */
export async function readTextFile(path: string): Promise<TextFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { exists: false, text: '', problems: [] };
    return { exists: false, text: '', problems: [fileProblem(path, 'error', 'unreadable', `cannot read: ${(e as Error).message}`)] };
  }
  const d = decodeBytes(bytes);
  const problems: Problem[] = [];
  if (d.hasNul) problems.push(fileProblem(path, 'warning', 'nul-bytes', 'file contains NUL bytes (binary or corrupted)'));
  if (d.invalidUtf8) problems.push(fileProblem(path, 'information', 'invalid-utf8', 'file is not valid UTF-8; bad bytes were replaced'));
  return { exists: true, text: d.text, problems };
}
