// The report view's data from the real bulklog: totals as pbulk's report.txt counts them, top
// breakers, every unsuccessful package, the broken-dependency graph (report.dot's edges), the
// timeline; and the graph bound on a large generated bulklog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readBulklog, type Bulklog, type BulklogPackage } from '../../src/pkgsrc/bulklog';
import { brokenGraph, reportData } from '../../src/extension/report/data';
import { pbulkOutput } from '../fixtures/reference-data';

const REAL = pbulkOutput.limitedBulklog;

test('real bulklog: totals, top breakers, failures with first errors, graph edges as report.dot', async () => {
  const b = await readBulklog(REAL);
  const d = await reportData(b, { timeline: [{ pkgname: 'pax-20080110nb2', slot: 0, start: 100, end: 200, state: 'failed' }] });
  const count = (s: string) => d.totals.find((t) => t.state === s)?.count;
  assert.deepEqual(
    [d.total, count('done'), count('failed'), count('indirect-failed'), count('prefailed'), count('indirect-prefailed')],
    [63, 12, 17, 29, 4, 1],
  );
  assert.equal(
    d.totals.some((t) => t.state === 'open'),
    false,
    'no "not built yet" row for a finished build',
  );
  // report.txt's "Packages breaking the most other packages": f2c 30, pax 15, xproto 11 ...
  assert.deepEqual(
    d.topBreakers.slice(0, 3).map((r) => [r.pkgname, r.breaks]),
    [
      ['f2c-20100903', 30],
      ['pax-20080110nb2', 15],
      ['xproto-7.0.23nb2', 11],
    ],
  );
  assert.equal(d.failures.length, 17 + 29 + 4 + 1);
  const perl = d.failures.find((r) => r.pkgname === 'perl-5.16.2nb4')!;
  assert.deepEqual([perl.phase, perl.hasLog, perl.location], ['checksum', true, 'lang/perl5']);
  assert.match(perl.firstError!, /unable to fetch distfile perl-5\.16\.2\.tar\.gz/);
  assert.deepEqual(d.failures.find((r) => r.pkgname === 'snobol-1.3')!.reasons, ['snobol-1.3 is marked as broken:', "Distfile doesn't match"]);
  // Every edge of pbulk's report.dot is in the graph.
  const dot = readFileSync(resolve(REAL, 'meta/report.dot'), 'utf8');
  const dotEdges = [...dot.matchAll(/^"([^"]+)" -> "([^"]+)"/gm)].map((m) => `${m[1]}>${m[2]}`).sort();
  assert.deepEqual(d.graph.edges.map((e) => `${e.from}>${e.to}`).sort(), dotEdges);
  assert.ok(d.graph.edges.filter((e) => e.failed).every((e) => b.byName.get(e.from)!.state === 'failed'));
  assert.equal(d.graph.omitted, 0);
  assert.deepEqual([d.timeline.slots, d.timeline.start, d.timeline.end], [1, 100, 200]);
  assert.match(d.title, /^pkgsrc bulk build for Linux/);
});

test('the graph is bounded: the packages breaking the most and their dependents are kept', () => {
  // 40 failed roots, each breaking a chain of 20 indirect-failed packages.
  const packages: BulklogPackage[] = [];
  for (let r = 0; r < 40; r++) {
    packages.push({ pkgname: `root${r}-1`, state: 'failed', depends: [], logs: [], breaks: r });
    for (let k = 0; k < 20; k++)
      packages.push({ pkgname: `dep${r}x${k}-1`, state: 'indirect-failed', depends: [k === 0 ? `root${r}-1` : `dep${r}x${k - 1}-1`], logs: [] });
  }
  const b = { packages, byName: new Map(packages.map((p) => [p.pkgname, p])) } as unknown as Bulklog;
  const g = brokenGraph(b, 100);
  assert.ok(g.nodes.length <= 100);
  assert.equal(g.omitted, 40 * 21 - g.nodes.length);
  assert.ok(g.nodes.some((n) => n.id === 'root39-1') && !g.nodes.some((n) => n.id === 'root0-1'));
  const ids = new Set(g.nodes.map((n) => n.id));
  assert.ok(g.edges.every((e) => ids.has(e.from) && ids.has(e.to)));
});
