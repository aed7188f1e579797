// pbulk-resolve's own output on real data is the reference: the full 2013Q1 scan (12,111
// records, resolved globally with -v) and the last scan round of a limited build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveLimited } from '../../src/pkgsrc/resolve/limited';
import { messageLine } from '../../src/pkgsrc/resolve/messages';
import { resolveGlobal, resolveIncremental } from '../../src/pkgsrc/resolve/resolve';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { assemblePscan } from '../../src/pkgsrc/scan/pscan';
import { dependsOf, makeRecord, type ScanRecord } from '../../src/pkgsrc/scan/record';
import { createHash } from 'node:crypto';
import { FULL_PRESOLVE_SHA256, fullPscan, pbulkOutput } from '../fixtures/reference-data';

const fullLogs = pbulkOutput.fullScanLogs;
const limited = path.join(pbulkOutput.limitedBulklog, 'meta');
const limitedRun = pbulkOutput.limitedRun;

let fullRecords: ScanRecord[] | undefined;

test("the full 2013Q1 pscan resolves to pbulk's presolve byte for byte, with its -v messages", () => {
  const t0 = performance.now();
  const pscan = fullPscan().toString('latin1');
  const parsed = parseScan(pscan, { format: 'pscan', file: 'pscan' });
  fullRecords = parsed.records;
  assert.equal(parsed.records.length, 12111);
  assert.equal(parsed.errors, 0);
  const t1 = performance.now();
  const r = resolveGlobal(parsed.records, { verbose: 1 });
  const t2 = performance.now();
  assert.equal(r.ok, true);
  assert.equal(r.records.length, 12111);
  assert.equal(createHash('sha256').update(r.text, 'latin1').digest('hex'), FULL_PRESOLVE_SHA256, "presolve differs from pbulk-resolve's");
  const err = readFileSync(path.join(fullLogs, 'presolve-err.log'), 'latin1');
  assert.equal(r.messages.map((m) => `${messageLine(m)}\n`).join(''), err);
  assert.equal(r.missing.length, 0);
  // 61 records have no dependencies at all and so no DEPENDS line.
  assert.equal(r.records.filter((x) => x.depends === undefined).length, 61);
  assert.deepEqual(r.unresolved, []);
  console.log(`# full pscan: parse ${(t1 - t0).toFixed(0)} ms (with decompression), resolve ${(t2 - t1).toFixed(0)} ms`);
});

/**
 * The presolve the limited build had before its last round: the final one without the records
 * of the last pscan, and without DEPENDS for the records that were waiting for them (in
 * incremental mode a record with a missing dependency is written without DEPENDS).
 */
function previousRound(final: readonly ScanRecord[], last: readonly ScanRecord[]): ScanRecord[] {
  const added = new Set(last.map((r) => r.pkgname));
  return final
    .filter((r) => !added.has(r.pkgname))
    .map((r) =>
      (dependsOf(r) ?? []).some((d) => added.has(d)) ? makeRecord(r.fields.filter((f) => f.key !== 'DEPENDS').map((f) => [f.key, f.value] as const)) : r,
    );
}

test("the last round of a limited build: previous presolve + last pscan gives pbulk's presolve exactly", () => {
  const presolveText = readFileSync(path.join(limited, 'presolve'), 'latin1');
  const presolve = parseScan(presolveText, { format: 'presolve' }).records;
  const pscan = parseScan(readFileSync(path.join(limited, 'pscan'), 'latin1'), { format: 'pscan' }).records;
  assert.deepEqual(
    pscan.map((r) => r.location),
    ['security/libgpg-error', 'textproc/expat'],
  );
  const before = previousRound(presolve, pscan);
  assert.equal(before.length, 61);

  // The round before the last one left exactly meta/missing.s to scan.
  const waiting = resolveIncremental(before, [], { verbose: 1 });
  assert.equal(waiting.ok, true);
  const missingS = readFileSync(path.join(limited, 'missing.s'), 'latin1');
  assert.equal(
    [...new Set(waiting.missing)]
      .sort()
      .map((l) => `${l}\n`)
      .join(''),
    missingS,
  );
  assert.deepEqual(waiting.unresolved, ['libgcrypt-1.5.0', 'py27-cElementTree-0nb1']);

  // The last round: `pbulk-resolve -i missing -v presolve pscan`.
  const last = resolveIncremental(before, pscan, { verbose: 1 });
  assert.equal(last.ok, true);
  assert.equal(last.text, presolveText);
  assert.deepEqual(last.missing, []);
  assert.equal(readFileSync(path.join(limited, 'missing'), 'latin1'), '');
  assert.deepEqual(last.messages, [], '-v prints nothing in incremental mode');

  // Resolving it once more changes nothing: every record has its DEPENDS.
  assert.equal(resolveIncremental(presolve, pscan).text, presolveText);
  assert.equal(resolveGlobal(presolve).text, presolveText);
});

test("the whole limited build, scanned from the full scan's records: pbulk's rounds and its presolve", async () => {
  fullRecords ??= parseScan(fullPscan().toString('latin1')).records;
  // What `bmake pbulk-index` printed for each location, as the full scan recorded it.
  const outputs = new Map<string, string>();
  for (const r of fullRecords) outputs.set(r.location!, (outputs.get(r.location!) ?? '') + r.text.replace(`PKG_LOCATION=${r.location}\n`, ''));
  const list = readFileSync(path.join(limitedRun, 'limited_list'), 'latin1').split('\n');
  const res = await resolveLimited(
    list,
    async (locations) => {
      const jobs = locations.map((location) => {
        const output = outputs.get(location);
        return output === undefined ? { location, failed: true as const } : { location, output };
      });
      return parseScan(assemblePscan(jobs).text, { format: 'pscan' }).records;
    },
    { verbose: 1 },
  );
  assert.equal(res.ok, true, res.message);
  assert.deepEqual(res.missing, []);
  // bulkbuild's console shows pbulk-scan's progress, one `N/N` line end per round.
  const console = readFileSync(path.join(limitedRun, 'bulkbuild.out'), 'latin1');
  const scanned = [...console.matchAll(/ (\d+)\/\1$/gm)].map((m) => Number(m[1]));
  assert.deepEqual(scanned, [14, 19, 9, 8, 7, 2, 2, 2]);
  assert.deepEqual(
    res.rounds.map((r) => r.locations.length),
    scanned,
  );
  assert.deepEqual(
    res.rounds
      .at(-1)!
      .locations.map((l) => `${l}\n`)
      .join(''),
    readFileSync(path.join(limited, 'missing.s'), 'latin1'),
  );
  assert.equal(res.presolve, readFileSync(path.join(limited, 'presolve'), 'latin1'));
  assert.equal(res.records.length, 63);
});

test("a limited build with a location that cannot be scanned ends with pbulk's message", async () => {
  const rec = (name: string, loc: string, deps: string): string =>
    `PKGNAME=${name}\nPKG_LOCATION=${loc}\nALL_DEPENDS=${deps}\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n`;
  const tree: Record<string, string> = { 'a/app': rec('app-1.0', 'a/app', 'lib>=1:../../b/lib'), 'b/lib': rec('lib-1.0', 'b/lib', 'gone>=1:../../c/gone') };
  const seen: string[][] = [];
  const res = await resolveLimited(['# comment', 'a/app', ''], async (locations) => {
    seen.push(locations);
    return parseScan(locations.map((l) => tree[l] ?? '').join('')).records;
  });
  assert.deepEqual(seen, [['a/app'], ['b/lib'], ['c/gone']]);
  assert.equal(res.ok, false);
  assert.deepEqual(res.missing, ['c/gone']);
  assert.equal(res.message, 'Unresolvable dependencies found, exiting:\nc/gone');
  assert.equal(res.rounds.at(-1)!.unchanged, true);
  assert.deepEqual(
    res.records.map((r) => r.pkgname),
    ['app-1.0', 'lib-1.0'],
  );
});
