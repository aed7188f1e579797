// pbulk's pre-build for a fresh run: empty the bulklog (keeping only the engine's lock and
// socket), create meta/, and write meta/status with the platform and the start time.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { machine, release, type as osType } from 'node:os';
import { join, relative } from 'node:path';
import { buildTimes } from '../../pkgsrc/bulklog/status';
import { writeStatus } from '../../pkgsrc/bulklog/write';
import type { EngineConfig } from '../config/types';
import { LOCK_NAME } from '../lock';

export async function preBuild(cfg: EngineConfig, keep: string[], now = new Date()): Promise<void> {
  const bulklog = cfg.bulklog;
  if (bulklog === '/' || bulklog === '') throw new Error(`refusing to empty bulklog '${bulklog}'`);
  await mkdir(bulklog, { recursive: true });
  const keepRel = new Set([LOCK_NAME, ...keep.map((k) => relative(bulklog, k))]);
  const metaRel = relative(bulklog, cfg.metaDir);
  for (const e of await readdir(bulklog)) {
    if (keepRel.has(e)) continue;
    if (e === metaRel && [...keepRel].some((k) => k.startsWith(`${metaRel}/`))) {
      // meta/ holds something we keep (the socket): empty it around that.
      for (const m of await readdir(join(bulklog, e))) {
        if (!keepRel.has(`${metaRel}/${m}`)) await rm(join(bulklog, e, m), { recursive: true, force: true });
      }
      continue;
    }
    await rm(join(bulklog, e), { recursive: true, force: true });
  }
  await mkdir(cfg.metaDir, { recursive: true });
  const t = buildTimes(now);
  await writeStatus(join(cfg.metaDir, 'status'), [
    ['PLATFORM', `${osType()} ${release()}/${machine()}`],
    ['COMPILER', 'gcc'],
    ['BUILD_START_ISO', t.iso],
    ['BUILD_START_DIR', t.dir],
    ['BASE_URL', cfg.baseUrl],
  ]);
}
