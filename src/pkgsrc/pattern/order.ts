// Which of two PKGNAMEs is the better match: pbulk's pkg_order. The higher version (dewey
// order of the part after the last '-') wins; between equal versions (1.0 and 1.0.0, or
// libao-oss-1.1 and libao-pulse-1.1) the name that sorts later byte-wise wins. Two identical
// names are a tie, which pbulk-resolve breaks by the order it visits records in.
import { strcmp } from './ascii';
import { compareParsed, type Version } from './dewey';
import { versionOfName } from './match';

export interface SplitName {
  /** The name up to the last '-'. */
  base: string;
  /** The part after the last '-'. */
  version: string;
}

/** Splits a PKGNAME at its last '-'; undefined when it has none (not a valid PKGNAME). */
export function splitPkgname(name: string): SplitName | undefined {
  const dash = name.lastIndexOf('-');
  if (dash < 0) return undefined;
  return { base: name.slice(0, dash), version: name.slice(dash + 1) };
}

/** Parsed version of a PKGNAME (empty for a name without '-'). */
export function pkgVersion(name: string): Version {
  return versionOfName(name, name.lastIndexOf('-'));
}

/**
 * Total order behind pkg_order: positive when `a` is preferred to `b`, negative when `b` is,
 * zero only for identical names. A name without '-' (which pbulk rejects with "Internal
 * error") is ordered as if its version were empty.
 */
export function comparePkgnames(a: string, b: string): number {
  if (a === b) return 0;
  const c = compareParsed(pkgVersion(a), pkgVersion(b));
  return c !== 0 ? c : strcmp(a, b);
}

/** pkg_order(a, b): the preferred name; `b` on a tie (identical names). */
export function pkgOrder(a: string, b: string): string {
  return comparePkgnames(a, b) > 0 ? a : b;
}

/** The best of several PKGNAMEs (highest version), or undefined for none. */
export function bestMatch(names: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const n of names) best = best === undefined ? n : pkgOrder(best, n);
  return best;
}
