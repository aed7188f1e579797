// What the engine does around the build loop: the fetch of the distfiles before the first
// package starts, and the stop after a systemic failure, which leaves the bulklog resumable
// (the packages that failed alike are taken out of meta/error, so that the build carries on
// with them once the cause is fixed).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parsePkgList } from '../../pkgsrc/bulklog/pkglist';
import { writeFileAtomic } from '../../pkgsrc/bulklog/write';
import type { PresolveRecord } from '../../pkgsrc/resolve';
import { jobFromRecord } from '../builder/job';
import { fetchDistfiles, hostHasNetwork } from '../fetch/distfiles';
import type { Sandbox } from '../sandbox/types';
import { readFile } from 'node:fs/promises';
import { settingLines } from './preflight';
import type { StageContext } from './scan-stage';
import type { SystemicFailure } from './systemic';

/** At most this many fetches at once (mirrors dislike more from one host). */
const MAX_FETCHES = 8;

export async function fetchBeforeBuilds(
  ctx: StageContext,
  box: Sandbox,
  toBuild: PresolveRecord[],
  treeEnv: Record<string, string>,
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const { cfg, hub } = ctx;
  if (toBuild.length === 0) return new Map();
  const online = hostHasNetwork();
  const t0 = Date.now();
  const jobs = toBuild.map((r) => {
    const j = jobFromRecord(r.record);
    return { pkgname: r.pkgname, location: r.location, makeFlags: j.makeFlags };
  });
  const r = await fetchDistfiles(jobs, {
    cfg,
    box,
    env: { PATH: cfg.settings.path, ...treeEnv, ...cfg.settings.env },
    concurrency: Math.min(MAX_FETCHES, cfg.settings.scanJobs ?? cfg.scanProcs ?? availableParallelism()),
    online,
    signal,
  });
  if (r.missing > 0) {
    const failed = r.failures.size;
    const how = online ? `${r.fetched} fetched` : 'none fetched: this host has no network';
    hub.emit('error', {
      severity: failed > 0 ? 'warning' : 'information',
      code: 'fetch',
      message: `distfiles of ${r.missing} of ${toBuild.length} packages were missing (${how}${failed > 0 ? `; ${failed} fail in checksum: ${[...r.failures.keys()].slice(0, 5).join(', ')}${failed > 5 ? ' ...' : ''}` : ''}), in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      time: Date.now(),
    });
  }
  return r.failures;
}

/** Reports a systemic failure once, on pbulk.conf, and reopens the packages that showed it. */
export async function stopSystemic(ctx: StageContext, s: SystemicFailure): Promise<string> {
  const { cfg, hub } = ctx;
  const message = `every build fails in ${s.phase}: ${s.firstError || '(no error line in the log)'} (the first ${s.packages.length} packages to finish all failed there alike: ${s.packages.join(', ')}); the build stopped, nothing else was started. Fix the cause and run the build again to carry on`;
  const line = await settingLines(cfg.configFile);
  hub.emit('error', {
    severity: 'error',
    code: 'systemic-failure',
    message,
    location: { file: cfg.configFile, line: line(cfg.bootstrapKit ? 'bootstrapkit' : 'make'), character: 0 },
    time: Date.now(),
  });
  const file = join(cfg.metaDir, 'error');
  const text = await readFile(file, 'latin1').catch(() => '');
  const keep = parsePkgList(text, file).names.filter((n) => !s.packages.includes(n));
  await writeFileAtomic(file, keep.map((n) => `${n}\n`).join(''));
  return message;
}
