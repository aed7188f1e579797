// A limited_list file: one location per line. As pbulk's later scan script reads it, a `#`
// starts a comment anywhere on a line and trailing blanks are dropped, so annotated lists
// work; what is left must be `category/dir`, else it is reported with its line (pbulk would
// hand it to make and fail later with a less helpful "Scan failed").
import { readFile } from 'node:fs/promises';
import { range, type Problem } from '../../pkgsrc/problem';
import { LOCATION } from './runner';

export interface LimitedList {
  locations: string[];
  problems: Problem[];
}

export function parseLimitedList(text: string, file: string): LimitedList {
  const locations: string[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, line) => {
    const l = raw.replace(/\r$/, '');
    const hash = l.indexOf('#');
    const entry = (hash < 0 ? l : l.slice(0, hash)).trim();
    if (entry === '') return;
    const col = l.indexOf(entry);
    if (!LOCATION.test(entry)) {
      problems.push({ file, range: range(line, col, line, col + entry.length), severity: 'error', code: 'bad-location', message: `'${entry}' is not a category/package location` });
      return;
    }
    if (!seen.has(entry)) locations.push(entry);
    seen.add(entry);
  });
  return { locations, problems };
}

export async function readLimitedList(file: string): Promise<LimitedList> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { locations: [], problems: [{ file, range: range(0, 0), severity: 'error', code: 'limited-list', message: `cannot read limited_list: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  return parseLimitedList(text, file);
}
