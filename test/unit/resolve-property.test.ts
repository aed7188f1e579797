import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePattern, pkgMatch } from '../../src/pkgsrc/pattern/match';
import { comparePkgnames } from '../../src/pkgsrc/pattern/order';
import { CandidateIndex } from '../../src/pkgsrc/resolve/candidates';
import { resolveGlobal, resolveIncremental } from '../../src/pkgsrc/resolve/resolve';
import { parseScan } from '../../src/pkgsrc/scan/parse';
import { parseAllDepends } from '../../src/pkgsrc/scan/all-depends';
import { getField } from '../../src/pkgsrc/scan/record';

const base = fc.constantFrom('foo', 'foo-bar', 'libfoo', 'py27-foo', 'py26-foo', 'fo', 'x11-links', 'p5-Foo');
const version = fc
  .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom('', 'nb1', 'nb2', 'rc1', 'a'))
  .map(([a, b, s]) => `${a}.${b}${s}`);
const pkgname = fc.tuple(base, version).map(([b, v]) => `${b}-${v}`);
const pattern = fc.oneof(
  fc.tuple(base, fc.constantFrom('>=', '>', '<', '<='), version).map(([b, op, v]) => `${b}${op}${v}`),
  fc.tuple(base, version, version).map(([b, lo, hi]) => `${b}>=${lo}<${hi}`),
  base.map((b) => `${b}-[0-9]*`),
  fc.constantFrom('py2[67]-foo-*', '*-foo-*', 'fo*', '{foo,libfoo}>=1', '{py26,py27}-foo>=0', 'foo{,-bar}-[0-9]*', '?oo-1.0'),
  pkgname,
);

test('property: the candidate index finds exactly the records a full scan finds', () => {
  fc.assert(
    fc.property(fc.array(pkgname, { maxLength: 30 }), pattern, (names, p) => {
      const want = names.map((n, i) => (pkgMatch(p, n) ? i : -1)).filter((i) => i >= 0);
      assert.deepEqual(new CandidateIndex(names).matches(compilePattern(p)), want, p);
    }),
    { numRuns: 3000 },
  );
});

/** A random pscan: unique PKGNAMEs, each with dependencies on random patterns. */
const pscan = fc
  .uniqueArray(pkgname, { minLength: 1, maxLength: 14 })
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.array(fc.array(fc.tuple(pattern, fc.constantFrom('a/foo', 'b/bar')), { maxLength: 4 }), { minLength: names.length, maxLength: names.length }),
    ),
  )
  .map(([names, deps]) =>
    names
      .map(
        (n, i) =>
          `PKGNAME=${n}\nPKG_LOCATION=cat/p${i}\nALL_DEPENDS=${deps[i]!.map(([p, l]) => `${p}:../../${l}`).join(' ')}\nPKG_SKIP_REASON=\nPKG_FAIL_REASON=\n`,
      )
      .join(''),
  );

test('property: every chosen dependency matches its pattern and is the best match; failures say why', () => {
  fc.assert(
    fc.property(pscan, fc.boolean(), (text, partial) => {
      const recs = parseScan(text, { format: 'pscan' }).records;
      const names = recs.map((r) => r.pkgname);
      const r = resolveGlobal(recs, { partial, verbose: 2 });
      const unmatched = recs.flatMap((rec) =>
        parseAllDepends(getField(rec, 'ALL_DEPENDS')!)
          .items.filter((d) => !names.some((n) => pkgMatch(d.pattern, n)))
          .map((d) => `No match found for dependency ${d.pattern} of package ${rec.pkgname}`),
      );
      assert.deepEqual(
        r.messages.filter((m) => m.code === 'no-match').map((m) => m.message),
        unmatched,
      );
      assert.equal(r.ok, partial || unmatched.length === 0);
      if (!r.ok) return;
      const out = parseScan(r.text, { format: 'presolve' });
      assert.equal(out.errors, 0);
      // Reference: pbulk-resolve's algorithm written the obvious way, one record at a time.
      for (const pr of r.records) {
        const deps: string[] = [];
        let failed = false;
        for (const item of parseAllDepends(getField(pr.record, 'ALL_DEPENDS')!).items) {
          if (deps.some((d) => pkgMatch(item.pattern, d))) continue;
          const matches = names.filter((n) => pkgMatch(item.pattern, n));
          if (matches.length === 0) {
            failed = true;
            continue;
          }
          deps.push(matches.reduce((a, b) => (comparePkgnames(a, b) >= 0 ? a : b)));
        }
        assert.deepEqual(pr.depends, failed || deps.length === 0 ? undefined : deps, pr.pkgname);
      }
    }),
    { numRuns: 1500 },
  );
});

test('property: incremental resolution of everything as candidates of one root writes only what the root needs', () => {
  fc.assert(
    fc.property(pscan, (text) => {
      const recs = parseScan(text, { format: 'pscan' }).records;
      const [root, ...rest] = recs;
      const r = resolveIncremental([root!], rest);
      assert.equal(r.ok, true);
      assert.equal(r.records[0]!.pkgname, root!.pkgname);
      const written = new Set(r.records.map((x) => x.pkgname));
      for (const x of r.records.slice(1)) {
        const wanted = r.records.some((y) => parseAllDepends(getField(y.record, 'ALL_DEPENDS')!).items.some((i) => pkgMatch(i.pattern, x.pkgname)));
        assert.ok(wanted, `${x.pkgname} written but no written record asks for it`);
      }
      for (const x of r.records) for (const d of x.depends ?? []) assert.ok(written.has(d));
    }),
    { numRuns: 1000 },
  );
});
