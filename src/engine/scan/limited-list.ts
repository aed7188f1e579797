// The locations of a limited build from a limited_list file, read the way the configured pbulk
// version reads it (the conf library's parser: 0.51 drops only lines starting with #, later
// versions strip inline comments and trailing blanks). What is left must be `category/dir`;
// anything else is reported with its line instead of being handed to make.
import { parseLimitedList } from '../../pkgsrc/conf';
import { readConfText } from '../../pkgsrc/conf';
import type { Problem } from '../../pkgsrc/problem';
import { LOCATION } from './runner';

export interface LimitedLocations {
  locations: string[];
  problems: Problem[];
}

export function limitedLocations(text: string, file: string, pbulkVersion?: string): LimitedLocations {
  const locations: string[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of parseLimitedList(text, pbulkVersion).entries) {
    if (!LOCATION.test(e.location)) {
      problems.push({ file, range: e.range, severity: 'error', code: 'bad-location', message: `'${e.location}' is not a category/package location` });
      continue;
    }
    if (!seen.has(e.location)) locations.push(e.location);
    seen.add(e.location);
  }
  return { locations, problems };
}

export async function readLimitedList(file: string, pbulkVersion?: string): Promise<LimitedLocations> {
  const { text, problems } = await readConfText(file);
  if (problems.some((p) => p.severity === 'error')) return { locations: [], problems };
  const r = limitedLocations(text, file, pbulkVersion);
  return { locations: r.locations, problems: [...problems, ...r.problems] };
}
