// Path arithmetic on config values, without touching the file system.
import { posix } from 'node:path';

/** /usr//pkg/ -> /usr/pkg; keeps / as is. */
export function normalizePath(p: string): string {
  // Already normal (the common case): no allocation.
  if (p.length > 1 && p.startsWith('/') && !p.endsWith('/') && !p.includes('//') && !p.includes('/.')) return p;
  const n = posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** Whether path equals dir or lies below it. */
export function isUnder(path: string, dir: string): boolean {
  const p = normalizePath(path);
  const d = normalizePath(dir);
  return p === d || d === '/' || p.startsWith(d + '/');
}

/** The program of a command value such as "/bin/gzip -nf -9". */
export function programOf(value: string): string {
  return value.trim().split(/\s+/)[0] ?? '';
}
