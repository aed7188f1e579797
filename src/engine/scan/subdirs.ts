// The locations of a full build, as pbulk-scan finds them: `make show-subdir-var
// VARNAME=SUBDIR` at the top of the tree gives the categories, the same in each category the
// package directories (so SUBDIR+= lines, USER_ADDITIONAL_PKGS and conditionals count exactly
// as make sees them). A category whose listing fails is skipped with pbulk's warning.
import { join } from 'node:path';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import { mapPool } from '../concurrency';

export interface SubdirListing {
  locations: string[];
  /** pbulk-scan's warnings ("Cannot extract subdirectories for X"). */
  warnings: string[];
}

export class SubdirError extends Error {}

export async function listLocations(
  cfg: EngineConfig,
  box: Sandbox,
  env: Record<string, string>,
  concurrency: number,
  signal?: AbortSignal,
): Promise<SubdirListing> {
  const list = async (dir: string) => {
    const r = await box.exec([...cfg.make, 'show-subdir-var', 'VARNAME=SUBDIR'], {
      env,
      cwd: dir,
      capture: true,
      limits: { timeoutMs: cfg.settings.scanTimeoutMs },
      signal,
    });
    return r.exitCode === 0 ? (r.stdout ?? '').split(/\s+/).filter((w) => w !== '') : undefined;
  };
  const top = await list(cfg.pkgsrc);
  if (top === undefined) throw new SubdirError(`${join(cfg.pkgsrc, 'Makefile')}: cannot list the categories (make show-subdir-var VARNAME=SUBDIR failed)`);
  const warnings: string[] = [];
  const per = await mapPool(top, concurrency, (c) => list(join(cfg.pkgsrc, c)), signal);
  const locations: string[] = [];
  top.forEach((c, i) => {
    const dirs = per[i];
    if (dirs === undefined) warnings.push(`Cannot extract subdirectories for ${c}`);
    else for (const d of dirs) locations.push(`${c}/${d}`);
  });
  return { locations, warnings };
}
