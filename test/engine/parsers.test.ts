// Property tests for the engine's own small parsers: random or mutated input never throws and
// every reported range lies inside the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { limitedLocations } from '../../src/engine/scan/limited-list';
import { parseSs } from '../../src/engine/rpc/peercred';
import { rcsIdOf } from '../../src/engine/builder/uptodate';
import { limitsFromUlimits } from '../../src/engine/config/load';
import { Progress } from '../../src/engine/cli/progress';
import { Writable } from 'node:stream';

const lineish = fc
  .array(fc.oneof(fc.constantFrom('lang/perl5', 'x11/gtk2', '# c', '', '  ', 'a/b/c', '/abs', 'x11/gtk2 # t', 'cat/pkg\r'), fc.string()), { maxLength: 20 })
  .map((l) => l.join('\n'));

test('limited_list entries: never throws, locations are category/dir, problem ranges inside their line', () => {
  fc.assert(
    fc.property(lineish, fc.constantFrom('0.51', '0.68'), (text, version) => {
      const r = limitedLocations(text, 'l', version);
      const lines = text.split('\n');
      for (const l of r.locations) assert.match(l, /^[A-Za-z0-9][^/\s]*\/[^/\s]+$/);
      for (const p of r.problems) {
        const line = lines[p.range.start.line];
        assert.ok(line !== undefined);
        assert.ok(p.range.start.character >= 0 && p.range.end.character <= line.length + 1);
      }
    }),
    { numRuns: 300 },
  );
});

test('ss output parsing never throws on garbage', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      parseSs(s);
      parseSs(`u_str ESTAB 0 0 ${s} 1 * 2 users:(("x",pid=${s.length},fd=1))`);
    }),
  );
});

test('RCS ID extraction: the last $NetBSD...$ of the first line holding $NetBSD, as pkg-up-to-date takes it', () => {
  assert.equal(rcsIdOf('# $NetBSD: Makefile,v 1.2 2013/01/01 x Exp $\n'), '$NetBSD: Makefile,v 1.2 2013/01/01 x Exp $');
  assert.equal(rcsIdOf('x\n@comment $NetBSD$ and $NetBSD: b $\n# $NetBSD: c $'), '$NetBSD: b $');
  assert.equal(rcsIdOf('no id\n'), '');
  fc.assert(fc.property(fc.string(), (s) => assert.equal(typeof rcsIdOf(s), 'string')));
});

test('ulimit arguments never throw and only give positive whole limits', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.oneof(fc.constantFrom('-t', '-v', '-Sv', '-H', 'unlimited', '10', '-1', 'x'), fc.string()), { maxLength: 4 }), { maxLength: 4 }),
      (lines) => {
        const l = limitsFromUlimits(lines, 'c', () => undefined);
        for (const v of [l.cpuSeconds, l.virtualMemoryKiB]) if (v !== undefined) assert.ok(Number.isInteger(v) && v > 0);
      },
    ),
  );
});

test('the progress renderer takes any sequence of events, on a terminal or not', () => {
  const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
  const event = fc.oneof(
    fc.record({
      name: fc.constant('scanProgress' as const),
      p: fc.record({ runId: fc.string(), round: fc.nat(), done: fc.nat(), total: fc.nat(), cached: fc.nat(), failed: fc.nat(), time: fc.nat() }),
    }),
    fc.record({
      name: fc.constant('started' as const),
      p: fc.record({ runId: fc.string(), pkgname: fc.string(), location: fc.string(), slot: fc.nat(), time: fc.nat(), finished: fc.nat(), total: fc.nat() }),
    }),
    fc.record({
      name: fc.constant('finished' as const),
      p: fc.record({
        runId: fc.string(),
        pkgname: fc.string(),
        location: fc.string(),
        state: fc.constantFrom('done', 'failed', 'indirect-failed' as const),
        time: fc.nat(),
        finished: fc.nat(),
        total: fc.nat(),
      }),
    }),
    fc.record({
      name: fc.constant('stage' as const),
      p: fc.record({ runId: fc.string(), stage: fc.constantFrom('scanning', 'building', 'finished' as const), time: fc.nat() }),
    }),
  );
  fc.assert(
    fc.property(fc.array(event, { maxLength: 30 }), fc.boolean(), fc.boolean(), (events, tty, json) => {
      const p = new Progress(sink(), sink(), { tty, json, columns: 40 });
      for (const e of events) p.handle(e.name, e.p as never);
      p.end();
    }),
    { numRuns: 200 },
  );
});
