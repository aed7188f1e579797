// The summary of the run a bulklog holds: from meta/run-summary.json.gz, which the engine
// writes as a run ends, when it belongs to the run meta/engine.json names; otherwise (a pbulk
// bulklog, a stopped run, a rebuild under way) read from the bulklog itself.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BulklogError, readBulklog } from '../bulklog/read';
import { readTimeline } from '../bulklog/timeline';
import { parseSummary } from './format';
import { summarize, type RunStateInfo, type RunSummary } from './summary';

/** In the meta directory: the summary of the finished run, written by the engine. */
export const CURRENT_SUMMARY = 'run-summary.json.gz';

/** meta/engine.json as far as the history needs it; undefined for a bulklog without one. */
export async function readRunStateInfo(metaDir: string): Promise<RunStateInfo | undefined> {
  try {
    const s = JSON.parse(await readFile(join(metaDir, 'engine.json'), 'utf8')) as Record<string, unknown>;
    if (typeof s.runId !== 'string' || typeof s.startedAt !== 'number' || typeof s.stage !== 'string') return undefined;
    const info: RunStateInfo = { runId: s.runId, startedAt: s.startedAt, stage: s.stage };
    if (Array.isArray(s.locations)) info.locations = s.locations.filter((l): l is string => typeof l === 'string');
    if (typeof s.finishedAt === 'number') info.finishedAt = s.finishedAt;
    return info;
  } catch {
    return undefined;
  }
}

/** The engine's summary in meta/, if it is the one of the run engine.json describes as done. */
async function readCachedSummary(metaDir: string, state: RunStateInfo | undefined): Promise<RunSummary | undefined> {
  if (!state || state.stage !== 'done') return undefined;
  const file = join(metaDir, CURRENT_SUMMARY);
  try {
    const s = parseSummary(gunzipSync(await readFile(file)).toString('utf8'), file);
    return s.run.id === state.runId ? s : undefined;
  } catch {
    // Missing, unreadable or not a summary: read the bulklog instead.
    return undefined;
  }
}

/** The run in a bulklog; undefined when it holds none (no records, no results). */
export async function summarizeBulklog(dir: string, metaDir = join(dir, 'meta')): Promise<RunSummary | undefined> {
  const state = await readRunStateInfo(metaDir);
  const cached = await readCachedSummary(metaDir, state);
  if (cached) return cached;
  let b;
  try {
    b = await readBulklog(dir, { metaDir });
  } catch (e) {
    if (e instanceof BulklogError) return undefined;
    throw e;
  }
  if (b.packages.length === 0) return undefined;
  const tl = await readTimeline(metaDir);
  return summarize(b, { state, timeline: tl.entries });
}
