// A full-tree bulklog for the bulklog benchmark: the real 2013Q1 presolve (12,111 records),
// success/error from a simulated build in which a seeded 5% of the buildable packages fail,
// and log directories for the failures made of the real logs of test/fixtures/pbulk-0.51.
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatStatus, parseRecords, PbulkStates, recordDepends } from '../../src/pkgsrc/bulklog';
import { pbulkOutput } from '../../test/fixtures/reference-data';
import { fullPresolveText } from './full-presolve';

const REAL = pbulkOutput.limitedBulklog;

export interface Fixture {
  dir: string;
  packages: number;
  failed: number;
  done: number;
}

export async function makeFullBulklog(failRate = 0.05): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'pkgsrc-bulk-bench-'));
  const meta = join(dir, 'meta');
  await mkdir(meta);
  const presolve = fullPresolveText();
  await writeFile(join(meta, 'presolve'), presolve, 'latin1');
  await copyFile(join(REAL, 'meta/status'), join(meta, 'status'));
  const { records } = parseRecords(presolve, 'presolve');
  const { states } = PbulkStates.fromRecords(
    records.map((r) => ({
      pkgname: r.pkgname,
      depends: recordDepends(r),
      skipReason: r.values.get('PKG_SKIP_REASON'),
      failReason: r.values.get('PKG_FAIL_REASON'),
    })),
  );
  states.replay([], []);
  states.open();
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const success: string[] = [];
  const error: string[] = [];
  for (let ready = states.ready(); ready.length > 0; ready = states.ready()) {
    for (const i of ready) {
      if (rnd() < failRate) {
        states.markFailed(i);
        error.push(states.graph.names[i]!);
      } else {
        states.markDone(i);
        success.push(states.graph.names[i]!);
      }
    }
  }
  await writeFile(join(meta, 'success'), success.map((n) => `${n}\n`).join(''));
  await writeFile(join(meta, 'error'), error.map((n) => `${n}\n`).join(''));
  const logs = ['pre-clean.log', 'checksum.log', 'configure.log', 'build.log', 'work.log'];
  for (const [k, n] of error.entries()) {
    await mkdir(join(dir, n));
    // Every third failure fails in build (pax's logs), the others in checksum (f2c's).
    const src = k % 3 === 0 ? 'pax-20080110nb2' : 'f2c-20100903';
    for (const l of logs) await copyFile(join(REAL, src, l), join(dir, n, l)).catch(() => undefined);
  }
  await writeFile(join(meta, 'status.fixture'), formatStatus([['FIXTURE', 'bench']]));
  return { dir, packages: records.length, failed: error.length, done: success.length };
}
