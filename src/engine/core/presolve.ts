// meta/presolve read back as the records the build loop takes (a resumed run builds from the
// file, exactly as pbulk-build does).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PresolveRecord } from '../../pkgsrc/resolve';
import { parseScan } from '../../pkgsrc/scan/parse';
import { dependsOf } from '../../pkgsrc/scan/record';
import { formatProblem } from '../../pkgsrc/problem';

export async function readPresolve(metaDir: string): Promise<{ records: PresolveRecord[]; errors: string[] }> {
  const file = join(metaDir, 'presolve');
  let text: string;
  try {
    text = await readFile(file, 'latin1');
  } catch {
    return { records: [], errors: [`${file}: missing (the scan did not finish)`] };
  }
  const parsed = parseScan(text, { file, format: 'presolve' });
  const errors = parsed.problems.filter((p) => p.severity === 'error').map(formatProblem);
  const records = parsed.records.map((r) => ({ record: r, pkgname: r.pkgname, location: r.location ?? '', depends: dependsOf(r), text: r.text }));
  return { records, errors };
}
