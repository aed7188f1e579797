// Checks of a build request that must pass before anything on disk changes: every location
// asked for is a package of the tree (a Makefile in <pkgsrc>/<location>). A typo then costs an
// error message, not the results of the last build.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RequestError } from './errors';

/** The locations without a Makefile in the tree, in the order given. */
async function missingLocations(pkgsrc: string, locations: readonly string[]): Promise<string[]> {
  const found = await Promise.all(
    locations.map((l) =>
      stat(join(pkgsrc, l, 'Makefile')).then(
        (s) => s.isFile(),
        () => false,
      ),
    ),
  );
  return locations.filter((_, i) => !found[i]);
}

/**
 * Refuses locations that are not packages of the tree; `listFile` names the limited_list they
 * came from, so the message points at its lines.
 */
export async function checkLocations(pkgsrc: string, locations: readonly string[], listFile?: string): Promise<void> {
  const missing = await missingLocations(pkgsrc, locations);
  if (missing.length === 0) return;
  const where = (l: string) => `${l}: no such package in ${pkgsrc} (no ${join(l, 'Makefile')})`;
  if (!listFile) throw new RequestError(missing.map(where).join('\n'));
  const lines = (await readFile(listFile, 'utf8').catch(() => '')).split('\n');
  const lineOf = (l: string) => lines.findIndex((x) => x === l || x.startsWith(`${l} `) || x.startsWith(`${l}\t`) || x.startsWith(`${l}#`)) + 1;
  throw new RequestError(missing.map((l) => `${listFile}:${lineOf(l) || 1}: ${where(l)}`).join('\n'));
}
