// Character classes as C's <ctype.h> sees them in the C locale: ASCII only. pkg_install and
// pbulk run there, so a non-ASCII letter is neither alpha nor alnum for them, and must not be
// for us either.

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}

/** ASCII lower case of one code unit; anything else unchanged (like tolower in the C locale). */
export function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** strncasecmp(s + at, word, word.length) == 0 for an all-lower-case ASCII `word`. */
export function startsWithIgnoreCase(s: string, at: number, word: string): boolean {
  if (at + word.length > s.length) return false;
  for (let i = 0; i < word.length; i++) {
    if (lower(s.charCodeAt(at + i)) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** strcmp: negative, zero or positive. Code-unit order, which is byte order for ASCII and Latin-1 text. */
export function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
