// The scan phase of a bulk build, writing what pbulk's `scan` script writes in meta/:
//   full:    the tree's locations (show-subdir-var), one scan, pscan and pscan.stderr, then a
//            global resolve into presolve (presolve-err.log; with ignore_missing_dependencies a
//            partial one when the global one fails);
//   limited: the list's locations, then rounds: scan what is missing (meta/pscan holds the
//            last round), resolve incrementally against the previous presolve, until nothing
//            is missing or presolve stops changing; what is still missing is fatal.
// Both go through the scan cache, so an unchanged location costs a stat per makefile.
import { join } from 'node:path';
import { writeFileAtomic } from '../../pkgsrc/bulklog/write';
import { parseScan } from '../../pkgsrc/scan/parse';
import { assemblePscan } from '../../pkgsrc/scan/pscan';
import type { ScanRecord } from '../../pkgsrc/scan/record';
import { resolveGlobal, resolveLimited, messageLine, type PresolveRecord, type ResolveResult } from '../../pkgsrc/resolve';
import type { EngineConfig } from '../config/types';
import type { ScanFailure, ScanRunner } from './runner';

export interface ScanOutcome {
  ok: boolean;
  /** meta/presolve's records (empty when !ok). */
  records: PresolveRecord[];
  /** Why the scan phase failed, as pbulk says it. */
  error?: string;
  failures: ScanFailure[];
  /** Locations scanned in total and served from the cache. */
  locations: number;
  cached: number;
  /** Limited builds: rounds taken. */
  rounds: number;
}

/** Scan text as bytes: Latin-1 when every character fits (bytes as bmake printed them). */
export function scanBytes(text: string): Buffer {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return Buffer.from(text, 'utf8');
  return Buffer.from(text, 'latin1');
}

function records(text: string, file: string): ScanRecord[] {
  return parseScan(text, { file, format: 'pscan' }).records;
}

function errLog(res: ResolveResult): string {
  return res.messages.map((m) => `${messageLine(m)}\n`).join('');
}

export async function fullScan(cfg: EngineConfig, runner: ScanRunner, locations: string[], listWarnings: string[]): Promise<ScanOutcome> {
  const meta = cfg.metaDir;
  const round = await runner.scan(locations, 1);
  const pscan = assemblePscan(round.jobs);
  await writeFileAtomic(join(meta, 'pscan'), scanBytes(pscan.text));
  const stderr = [...listWarnings.map((w) => `pbulk-scan: ${w}\n`), ...round.stderr, ...pscan.messages.map((m) => `pbulk-scan: ${m}\n`)];
  await writeFileAtomic(join(meta, 'pscan.stderr'), scanBytes(stderr.join('')));
  const recs = records(pscan.text, join(meta, 'pscan'));
  let res = resolveGlobal(recs, { verbose: 1 });
  let log = errLog(res);
  let error: string | undefined;
  if (!res.ok) {
    if (cfg.ignoreMissingDependencies) {
      res = resolveGlobal(recs, { verbose: 1, partial: true });
      log += errLog(res);
    } else {
      error = `Global dependency resolution failed, check ${join(meta, 'presolve-err.log')} for details`;
    }
  }
  await writeFileAtomic(join(meta, 'presolve-err.log'), scanBytes(log));
  await writeFileAtomic(join(meta, 'presolve'), scanBytes(res.text));
  const base = { failures: round.failures, locations: locations.length, cached: round.cached, rounds: 1 };
  return error ? { ok: false, records: [], error, ...base } : { ok: true, records: res.records, ...base };
}

export async function limitedScan(cfg: EngineConfig, runner: ScanRunner, list: string[]): Promise<ScanOutcome> {
  const meta = cfg.metaDir;
  const failures: ScanFailure[] = [];
  let scanned = 0;
  let cached = 0;
  let rounds = 0;
  let log = '';
  const writeList = (name: string, locations: readonly string[]) => writeFileAtomic(join(meta, name), locations.map((l) => `${l}\n`).join(''));
  await writeList('missing', list);
  // The loop itself is the resolve library's (pbulk's limited scan); this supplies the scans
  // and writes each round's meta files as pbulk's `scan` script does.
  const result = await resolveLimited(
    list,
    async (locations) => {
      await writeList('missing.s', locations);
      const round = await runner.scan(locations, ++rounds);
      scanned += locations.length;
      cached += round.cached;
      failures.push(...round.failures);
      const pscan = assemblePscan(round.jobs);
      await writeFileAtomic(join(meta, 'pscan'), scanBytes(pscan.text));
      log += [...round.stderr, ...pscan.messages.map((m) => `pbulk-scan: ${m}\n`)].join('');
      return records(pscan.text, join(meta, 'pscan'));
    },
    {
      onRound: async (round) => {
        log += errLog(round.result);
        await writeList('missing', round.result.missing);
        await writeFileAtomic(join(meta, 'presolve'), scanBytes(round.result.text));
      },
    },
  );
  // pbulk prints these on the console in limited builds; kept in files here as well.
  await writeFileAtomic(join(meta, 'pscan.stderr'), scanBytes(log));
  const base = { failures, locations: scanned, cached, rounds: result.rounds.length };
  if (!result.ok) return { ok: false, records: [], error: result.message ?? 'Dependency resolution failed', ...base };
  return { ok: true, records: result.rounds.at(-1)?.result.records ?? [], ...base };
}
