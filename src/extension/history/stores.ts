// Where the history of a shown bulklog is, and earlier runs taken out of it: the engine's
// settings file may name `historyDir`, else it is `<bulklog>.history`; a run opened with the run
// picker is extracted into a directory of its own (once), remembered with the run it is, so
// its "since the previous run" compares with the run before it. Pure (no vscode).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHistoryDir, extractRun, type StoredRun } from '../../pkgsrc/history/store';

/** historyDir of an engine settings file, if it names one. */
function settingsHistoryDir(settingsFile: string | undefined): string | undefined {
  if (!settingsFile) return undefined;
  try {
    const v = (JSON.parse(readFileSync(settingsFile, 'utf8')) as { historyDir?: unknown }).historyDir;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

export interface ExtractedRun {
  store: string;
  id: string;
  /** The bulklog the run was filed away from. */
  bulklog: string;
}

const extracted = new Map<string, ExtractedRun>();

/** The stored run a directory was extracted from, when it is one. */
export function extractedRun(dir: string): ExtractedRun | undefined {
  return extracted.get(dir);
}

/** The history store of a shown bulklog (for an extracted run: the store it came from). */
export function storeFor(bulklog: string, settingsFile: string | undefined): string {
  return extracted.get(bulklog)?.store ?? settingsHistoryDir(settingsFile) ?? defaultHistoryDir(bulklog);
}

/** Extracts a stored run (once per run and store) and returns the directory, a pbulk bulklog. */
export async function extractedDir(run: StoredRun, store: string, bulklog: string, root = join(tmpdir(), 'pkgsrc-bulk-runs')): Promise<string> {
  const key = createHash('sha256').update(store).digest('hex').slice(0, 12);
  const dir = join(root, key, run.info.id);
  const done = join(dir, '.extracted');
  try {
    await access(done);
  } catch {
    const tmp = `${dir}.${process.pid}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await extractRun(run, tmp);
    await writeFile(join(tmp, '.extracted'), `${store}\n${run.info.id}\n`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, '..'), { recursive: true });
    await rename(tmp, dir);
  }
  extracted.set(dir, { store, id: run.info.id, bulklog });
  return dir;
}
