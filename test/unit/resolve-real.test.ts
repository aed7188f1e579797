// pbulk-resolve's own output on real data is the reference: the full 2013Q1 scan (12,111
// records, resolved globally with -v) and the last scan round of a limited build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { messageLine } from '../../src/pkgsrc/resolve/messages';
import { resolveGlobal, resolveIncremental } from '../../src/pkgsrc/resolve/resolve';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { dependsOf, makeRecord, type ScanRecord } from '../../src/pkgsrc/scan/record';

const data = path.resolve(__dirname, '../../../shared/data');
const full = path.join(data, 'scan-2013q1-full');
const limited = path.join(data, 'bulklog-2013q1-limited/meta');

test('the full 2013Q1 pscan resolves to pbulk\'s presolve byte for byte, with its -v messages', () => {
  const t0 = performance.now();
  const pscan = gunzipSync(readFileSync(path.join(full, 'pscan.gz'))).toString('latin1');
  const parsed = parseScan(pscan, { format: 'pscan', file: 'pscan' });
  assert.equal(parsed.records.length, 12111);
  assert.equal(parsed.errors, 0);
  const t1 = performance.now();
  const r = resolveGlobal(parsed.records, { verbose: 1 });
  const t2 = performance.now();
  assert.equal(r.ok, true);
  assert.equal(r.records.length, 12111);
  const presolve = gunzipSync(readFileSync(path.join(full, 'presolve.gz'))).toString('latin1');
  assert.ok(r.text === presolve, 'presolve differs from pbulk-resolve\'s');
  const err = readFileSync(path.join(full, 'presolve-err.log'), 'latin1');
  assert.equal(r.messages.map((m) => `${messageLine(m)}\n`).join(''), err);
  assert.equal(r.missing.length, 0);
  // 61 records have no dependencies at all and so no DEPENDS line.
  assert.equal(r.records.filter((x) => x.depends === undefined).length, 61);
  assert.deepEqual(r.unresolved, []);
  console.log(`# full pscan: parse ${(t1 - t0).toFixed(0)} ms (with gunzip), resolve ${(t2 - t1).toFixed(0)} ms`);
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

test('the last round of a limited build: previous presolve + last pscan gives pbulk\'s presolve exactly', () => {
  const presolveText = readFileSync(path.join(limited, 'presolve'), 'latin1');
  const presolve = parseScan(presolveText, { format: 'presolve' }).records;
  const pscan = parseScan(readFileSync(path.join(limited, 'pscan'), 'latin1'), { format: 'pscan' }).records;
  assert.deepEqual(pscan.map((r) => r.location), ['security/libgpg-error', 'textproc/expat']);
  const before = previousRound(presolve, pscan);
  assert.equal(before.length, 61);

  // The round before the last one left exactly meta/missing.s to scan.
  const waiting = resolveIncremental(before, [], { verbose: 1 });
  assert.equal(waiting.ok, true);
  const missingS = readFileSync(path.join(limited, 'missing.s'), 'latin1');
  assert.equal([...new Set(waiting.missing)].sort().map((l) => `${l}\n`).join(''), missingS);
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
