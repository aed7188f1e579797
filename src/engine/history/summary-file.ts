// meta/run-summary.json.gz: the summary of a run as it ends, written by the engine from the
// bulklog it has just read for the reports, so that a diff or the filing of this run later
// need not read the bulklog again. Readers trust it only for the run meta/engine.json names.
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Bulklog } from '../../pkgsrc/bulklog/read';
import { readTimeline } from '../../pkgsrc/bulklog/timeline';
import { writeFileAtomic } from '../../pkgsrc/bulklog/write';
import { CURRENT_SUMMARY } from '../../pkgsrc/history/current';
import { formatSummary } from '../../pkgsrc/history/format';
import { summarize } from '../../pkgsrc/history/summary';
import type { RunState } from '../core/run-state';

export async function writeRunSummary(metaDir: string, b: Bulklog, state: RunState): Promise<void> {
  const tl = await readTimeline(metaDir);
  const s = summarize(b, {
    state: {
      runId: state.runId,
      startedAt: state.startedAt,
      stage: state.stage,
      ...(state.locations ? { locations: state.locations } : {}),
      ...(state.finishedAt !== undefined ? { finishedAt: state.finishedAt } : {}),
    },
    timeline: tl.entries,
  });
  await writeFileAtomic(join(metaDir, CURRENT_SUMMARY), gzipSync(formatSummary(s)));
}
