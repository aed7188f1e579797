// Asks the tree once per run, as pbulk's pre-build and mksandbox do with `make show-var`:
// one `make show-vars` in a package directory, inside the scan sandbox where the bootstrap kit
// (and so its mk.conf) is unpacked. pkgtools/pkg_install is the directory pbulk asks in; a
// tree without it (a limited or generated one) is asked in one of the packages to build.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseShowVars, showVarsArgs, TREE_VAR_NAMES, type TreeVars } from '../../pkgsrc/mkconf/vars';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';

const NOT_CATEGORIES = new Set(['mk', 'doc', 'bootstrap', 'distfiles', 'packages', 'licenses', 'regress', 'templates', 'CVS']);

/** Package directories to ask in, best first: pkg_install, the given locations, then any package. */
function probeDirs(pkgsrc: string, hints: readonly string[] = []): string[] {
  const out: string[] = [];
  const add = (loc: string) => {
    if (!out.includes(loc) && existsSync(join(pkgsrc, loc, 'Makefile'))) out.push(loc);
  };
  add('pkgtools/pkg_install');
  for (const h of hints.slice(0, 3)) add(h);
  if (out.length > 0) return out;
  let cats: string[] = [];
  try {
    cats = readdirSync(pkgsrc, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !NOT_CATEGORIES.has(d.name))
      .map((d) => d.name)
      .sort();
  } catch {
    return out;
  }
  for (const c of cats) {
    if (!existsSync(join(pkgsrc, c, 'Makefile'))) continue;
    let dirs: string[] = [];
    try {
      dirs = readdirSync(join(pkgsrc, c), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
    } catch {
      continue;
    }
    for (const d of dirs) {
      add(`${c}/${d}`);
      if (out.length >= 2) return out;
    }
  }
  return out;
}

export type TreeAnswer = { ok: true; vars: TreeVars } | { ok: false; message: string };

/** The tree's values, from the first package directory where make answers. */
export async function askTree(
  cfg: EngineConfig,
  box: Sandbox,
  env: Record<string, string>,
  hints: readonly string[] = [],
  signal?: AbortSignal,
): Promise<TreeAnswer> {
  const dirs = probeDirs(cfg.pkgsrc, hints);
  if (dirs.length === 0) return { ok: false, message: `no package directory with a Makefile found in ${cfg.pkgsrc}` };
  const why: string[] = [];
  for (const loc of dirs) {
    const dir = join(cfg.pkgsrc, loc);
    const r = await box
      .exec([...cfg.make, ...showVarsArgs()], {
        env,
        cwd: dir,
        capture: true,
        limits: { timeoutMs: cfg.settings.scanTimeoutMs },
        ...(signal ? { signal } : {}),
      })
      .catch((e: Error) => e);
    if (r instanceof Error) {
      why.push(`${loc}: ${r.message}`);
      continue;
    }
    if (r.exitCode !== 0) {
      why.push(`${loc}: make show-vars exited ${r.exitCode ?? r.signal}${r.stderr?.trim() ? `: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
      continue;
    }
    const p = parseShowVars(TREE_VAR_NAMES, r.stdout ?? '');
    if ('error' in p) {
      why.push(`${loc}: ${p.error}`);
      continue;
    }
    return { ok: true, vars: { values: p.values, dir } };
  }
  return { ok: false, message: why.join('; ') };
}
