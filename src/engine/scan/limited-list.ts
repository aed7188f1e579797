// The locations of a limited build from a limited_list file, read the way the configured pbulk
// version reads it, and judged by the conf library's checkLimitedList, the same checker lint and
// the editor show: a list it finds errors in is refused, with those errors and their lines.
import { limitedListLocations, readConfText } from '../../pkgsrc/conf';
import type { Problem } from '../../pkgsrc/problem';

export interface LimitedLocations {
  locations: string[];
  /** Errors only: what refuses the list. */
  problems: Problem[];
}

export function limitedLocations(text: string, file: string, pbulkVersion?: string): LimitedLocations {
  const r = limitedListLocations(text, file, pbulkVersion ? { pbulkVersion: { version: pbulkVersion, source: 'setting' } } : {});
  return { locations: r.locations, problems: r.errors.map(({ file: f, range, severity, code, message }) => ({ file: f, range, severity, code, message })) };
}

export async function readLimitedList(file: string, pbulkVersion?: string): Promise<LimitedLocations> {
  const { text, problems } = await readConfText(file);
  if (problems.some((p) => p.severity === 'error')) return { locations: [], problems };
  const r = limitedLocations(text, file, pbulkVersion);
  return { locations: r.locations, problems: [...problems, ...r.problems] };
}
