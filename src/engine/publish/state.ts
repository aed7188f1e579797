// `<bulklog>.publish.json`, beside the bulklog (like the build times and the scan cache) so
// that a new build's pre-build, which empties the bulklog, keeps what was last published:
// the repository written after the last build, the gates' verdict on it, the last upload and
// mail, and the last failure. Replaced atomically; an unreadable file counts as empty.
// Its schema and place are in the protocol: the report view reads it.
import { publishStateFile, publishStatePath, readPublishState, type PublishStateFile } from '../../protocol/publish';
import { writeFileAtomic } from '../../pkgsrc/bulklog/write';
import type { EngineConfig } from '../config/types';

/** Merges `patch` into the state of this config's bulklog (an undefined member is removed). */
async function updatePublishState(cfg: EngineConfig, patch: Partial<PublishStateFile>): Promise<PublishStateFile> {
  const file = publishStatePath(cfg.bulklog);
  const next: Record<string, unknown> = { ...(await readPublishState(file)) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  const state = publishStateFile.parse(next);
  await writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n');
  return state;
}

/**
 * Records what a publish, mail or repository write did: `patch`, and its failure (or, when it
 * succeeded, the end of an earlier failure of the same kind; other kinds' failures stay).
 */
export async function recordOutcome(
  cfg: EngineConfig,
  what: 'publish' | 'mail' | 'repository',
  error: string | undefined,
  patch: Partial<PublishStateFile> = {},
): Promise<PublishStateFile> {
  const prev = await readPublishState(publishStatePath(cfg.bulklog));
  const failed = error !== undefined ? { at: Date.now(), what, message: error } : prev.failed?.what === what ? undefined : prev.failed;
  return updatePublishState(cfg, { ...patch, failed });
}
