// The parts of an on-disk package index (src/pkgsrc/tree/cache.ts), for tests that read or alter
// one: the first line, the head (JSON), the packages' stamps (binary) and the rows (JSON lines).
import { readFileSync, writeFileSync } from 'node:fs';

export interface IndexParts {
  /** `pkgsrc-bulk tree index VERSION ORDER` (the sizes are written by writeIndex). */
  magic: string;
  head: {
    version: number;
    categories: [string, unknown, { comment?: { value: string } }, string[]][];
    paths: (string | number)[];
    [key: string]: unknown;
  };
  stamps: Buffer;
  /** The packages' rows, then one row of ranges per category. */
  rows: string[];
}

export function readIndex(file: string): IndexParts {
  const bytes = readFileSync(file);
  const nl = bytes.indexOf(10);
  const words = bytes.toString('latin1', 0, nl).split(' ');
  const headLength = Number(words[words.length - 2]);
  const stampsLength = Number(words[words.length - 1]);
  const headAt = nl + 1;
  const stampsAt = headAt + headLength + 1;
  const rowsAt = stampsAt + stampsLength + 1;
  return {
    magic: words.slice(0, -2).join(' '),
    head: JSON.parse(bytes.toString('latin1', headAt, headAt + headLength)) as IndexParts['head'],
    stamps: Buffer.from(bytes.subarray(stampsAt, stampsAt + stampsLength)),
    rows: bytes.toString('latin1', rowsAt).split('\n').slice(0, -1),
  };
}

/** JSON as the index is written: ASCII, other characters escaped. */
export const ascii = (json: string) => json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function writeIndex(file: string, parts: IndexParts): void {
  const head = Buffer.from(ascii(JSON.stringify(parts.head)), 'latin1');
  const nl = Buffer.from('\n');
  const rows = Buffer.from(parts.rows.map((r) => `${r}\n`).join(''), 'latin1');
  writeFileSync(file, Buffer.concat([Buffer.from(`${parts.magic} ${head.length} ${parts.stamps.length}\n`), head, nl, parts.stamps, nl, rows]));
}
