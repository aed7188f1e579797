// Resuming from the bulklog alone (design principle 1): meta/success and meta/error say what
// finished; anything else that left a log directory was cut off mid-build. Its directory and
// any binary package it may have written are removed, so it is built again from scratch and
// the result equals an uninterrupted run. A finished success whose directory survived (killed
// between recording and retention) just loses the directory.
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePkgList } from '../../pkgsrc/bulklog/pkglist';
import type { Problem } from '../../pkgsrc/problem';
import type { EngineConfig } from '../config/types';

export interface FinishedLists {
  success: string[];
  error: string[];
  problems: Problem[];
}

export async function readFinished(cfg: EngineConfig): Promise<FinishedLists> {
  const read = async (name: string) => {
    const file = join(cfg.metaDir, name);
    let text = '';
    try {
      text = await readFile(file, 'latin1');
    } catch {
      // Not there yet: nothing finished.
    }
    return parsePkgList(text, file);
  };
  const s = await read('success');
  const e = await read('error');
  return { success: s.names, error: e.names, problems: [...s.problems, ...e.problems] };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Cleans what an interrupted run left. `unfinished` are the packages neither in success nor
 * in error; `done` those in success. Returns the unfinished packages that had been started.
 */
export async function cleanInterrupted(cfg: EngineConfig, unfinished: readonly string[], done: readonly string[]): Promise<string[]> {
  const cut: string[] = [];
  for (const p of unfinished) {
    const dir = join(cfg.bulklog, p);
    if (!(await exists(dir))) continue;
    cut.push(p);
    await rm(dir, { recursive: true, force: true });
    await rm(join(cfg.packages, 'All', p + cfg.pkgSufx), { force: true });
  }
  for (const p of done) await rm(join(cfg.bulklog, p), { recursive: true, force: true });
  return cut;
}
