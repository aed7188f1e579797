// Reading text that may not be clean: pkgsrc Makefiles, configs and logs can carry CRLF line
// ends, Latin-1 bytes or NULs. Decoding never throws; callers learn what was replaced.

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lossy = new TextDecoder('utf-8', { fatal: false });

export interface DecodedText {
  text: string;
  /** True when the bytes were not valid UTF-8 and were decoded with replacement characters. */
  invalidUtf8: boolean;
  /** True when the bytes held NUL characters. */
  hasNul: boolean;
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  const hasNul = bytes.includes(0);
  try {
    return { text: utf8.decode(bytes), invalidUtf8: false, hasNul };
  } catch {
    return { text: utf8Lossy.decode(bytes), invalidUtf8: true, hasNul };
  }
}

/** Splits into lines, accepting \n and \r\n; the line texts carry no terminator. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/**
 * The lines of a text as an editor counts them: splitLines without the empty line after a
 * final newline. A lone \r at the end is a line of its own, not a terminator ("\r" is one line).
 */
export function textLines(text: string): string[] {
  const lines = splitLines(text);
  if (text === '' || text.endsWith('\n')) lines.pop();
  return lines;
}
