// meta/engine.json: what the engine needs to know to resume a run that the pbulk files alone do
// not say: which build it was (full, or limited with which locations), from which config, and
// how far it got. pbulk ignores the file; a bulklog without it (one from real pbulk) resumes
// from its own files when possible.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../pkgsrc/bulklog/write';

const runStateSchema = z.object({
  runId: z.string(),
  configFile: z.string(),
  /** Locations of a limited build; absent for a full build. */
  locations: z.array(z.string()).optional(),
  startedAt: z.number(),
  /** scan: scan or resolve not complete; build: presolve complete; done: pbuild and reports written. */
  stage: z.enum(['scan', 'build', 'done']),
  finishedAt: z.number().optional(),
  /** Packages an explicit rebuild asked for (built even when up to date). */
  force: z.array(z.string()).default([]),
  /** Locations whose scan failed (pscan.stderr has why): kept so a resumed run reports them too. */
  scanFailures: z.array(z.string()).optional(),
});
export type RunState = z.infer<typeof runStateSchema>;

function runStatePath(metaDir: string): string {
  return join(metaDir, 'engine.json');
}

export async function readRunState(metaDir: string): Promise<RunState | undefined> {
  try {
    const r = runStateSchema.safeParse(JSON.parse(await readFile(runStatePath(metaDir), 'utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRunState(metaDir: string, s: RunState): Promise<void> {
  await writeFileAtomic(runStatePath(metaDir), JSON.stringify(s, null, 2) + '\n');
}

/** Same build request: same kind and the same locations (order and duplicates ignored). */
export function sameRequest(a: RunState, locations: string[] | undefined): boolean {
  const norm = (l: string[] | undefined) => (l === undefined ? undefined : [...new Set(l)].sort().join('\n'));
  return norm(a.locations) === norm(locations);
}
