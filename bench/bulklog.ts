// `npm run bench -- bulklog`: reading and reporting a full-tree bulklog, and matching logs.
//  - A bulklog of the real full 2013Q1 presolve (12,111 records) with a simulated build
//    (5% of buildable packages failing, real logs in their directories): readBulklog (records,
//    pbulk-build's states, log directories), the state computation alone, the four report
//    files (formatting, then written), the first error of every failure. Baseline: reading the
//    same presolve and splitting it into lines.
//  - Log matching over 16 MB made of the real pax build and configure logs. Baseline: splitting
//    the same text into lines.
//   --runs=R (default 3)
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { computeStates, readBulklog, recordDepends } from '../src/pkgsrc/bulklog';
import { matchLog } from '../src/pkgsrc/problems';
import {
  buildSummary,
  formatMetaReport,
  formatReportDot,
  formatReportHtml,
  formatReportTxt,
  reportInput,
  withFirstErrors,
  writeReports,
} from '../src/pkgsrc/report';
import { splitLines } from '../src/pkgsrc/text';
import { makeFullBulklog } from './lib/bulklog-fixture';
import { pbulkOutput } from '../test/fixtures/reference-data';
import type { Benchmark } from './run';
import { fmtMs, medianMs, table } from './util';

async function timeOnce<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

const bench: Benchmark = {
  async run(args) {
    const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
    const fx = await makeFullBulklog();
    try {
      console.log(`bulklog of ${fx.packages} packages: ${fx.done} done, ${fx.failed} failed (with log directories); median of ${runs} runs\n`);
      const presolvePath = join(fx.dir, 'meta/presolve');
      const base = await medianMs(async () => splitLines(await readFile(presolvePath, 'utf8')).length, runs);
      const read = await medianMs(() => readBulklog(fx.dir), runs);
      const b = await readBulklog(fx.dir);
      const inputs = b.packages.map((p) => ({
        pkgname: p.pkgname,
        depends: p.record ? recordDepends(p.record) : undefined,
        skipReason: p.record?.values.get('PKG_SKIP_REASON'),
        failReason: p.record?.values.get('PKG_FAIL_REASON'),
      }));
      const success = (await readFile(join(fx.dir, 'meta/success'), 'utf8')).split('\n').filter(Boolean);
      const error = (await readFile(join(fx.dir, 'meta/error'), 'utf8')).split('\n').filter(Boolean);
      const states = await medianMs(() => computeStates(inputs, success, error), runs);
      const format = await medianMs(() => {
        const i = reportInput(b);
        return formatReportTxt(i).length + formatReportHtml(i).length + formatReportDot(i).length + formatMetaReport(i).length;
      }, runs);
      const write = await medianMs(() => writeReports(b), runs);
      const [firstErrors] = await timeOnce(() => withFirstErrors(buildSummary(b)));
      const row = (what: string, ms: number) => [what, fmtMs(ms), `${(ms / base).toFixed(2)}x`];
      table(
        ['step', 'time', 'vs baseline'],
        [
          row('baseline: read presolve + split lines', base),
          row('readBulklog (records, states, log dirs)', read),
          row('computeStates alone', states),
          row('format report, .txt, .html, .dot', format),
          row('writeReports (format + atomic writes)', write),
          row(`first error of ${fx.failed} failures`, firstErrors),
        ],
      );

      const pax = join(pbulkOutput.limitedBulklog, 'pax-20080110nb2');
      const chunk = `${await readFile(join(pax, 'configure.log'), 'utf8')}${await readFile(join(pax, 'build.log'), 'utf8')}`;
      const text = chunk.repeat(Math.ceil((16 * 1024 * 1024) / chunk.length));
      const mb = Buffer.byteLength(text) / (1024 * 1024);
      const split = await medianMs(() => splitLines(text).length, runs);
      const match = await medianMs(() => matchLog(text, { maxProblems: 1e9 }).problems.length, runs);
      console.log('');
      table(
        ['log matching', 'time', 'MB/s', 'vs baseline'],
        [
          [`baseline: split ${mb.toFixed(1)} MB into lines`, fmtMs(split), (mb / (split / 1000)).toFixed(0), '1.00x'],
          ['matchLog (all matchers)', fmtMs(match), (mb / (match / 1000)).toFixed(0), `${(match / split).toFixed(2)}x`],
        ],
      );
    } finally {
      await rm(fx.dir, { recursive: true, force: true });
    }
  },
};

export default bench;
