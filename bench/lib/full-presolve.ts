// pbulk-resolve's presolve of the full 2013Q1 pscan. The repository carries only its SHA-256
// (test/fixtures/pbulk-0.51): the resolver reproduces it byte for byte (test/unit/resolve-real),
// so it is made again here and checked against that sum.
import { createHash } from 'node:crypto';
import { resolveGlobal } from '../../src/pkgsrc/resolve/resolve';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { FULL_PRESOLVE_SHA256, fullPscan } from '../../test/fixtures/reference-data';

let text: string | undefined;

/** The presolve as latin1 text (12,111 records, 64 MB). */
export function fullPresolveText(): string {
  if (text !== undefined) return text;
  const r = resolveGlobal(parseScan(fullPscan().toString('latin1'), { format: 'pscan' }).records);
  if (!r.ok || createHash('sha256').update(r.text, 'latin1').digest('hex') !== FULL_PRESOLVE_SHA256) {
    throw new Error("the full presolve made from the pscan differs from pbulk-resolve's (see test/unit/resolve-real.test.ts)");
  }
  text = r.text;
  return text;
}
