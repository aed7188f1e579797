// pkg-up-to-date: a package whose binary is current is not built again and leaves no logs.
// Current means, as pbulk decides it: packages/All/<PKGNAME><sufx> exists; every RCS ID the
// package recorded (`pkg_info -qb`: file:$NetBSD...$) still matches the file in the tree;
// every package it was built against (`pkg_info -qN`) is among the new DEPENDS; and, unless
// skip_age_check=yes, each of those dependencies' binaries is older than the package.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import type { BuildJob } from './job';

export interface UpToDate {
  current: boolean;
  /** Why it is not current (for the engine's log). */
  reason?: string;
}

async function mtime(p: string): Promise<number | undefined> {
  try {
    return (await stat(p)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The ID pkg-up-to-date's sed extracts: on the first line holding $NetBSD, the last $NetBSD...$. */
export function rcsIdOf(text: string): string {
  for (const line of text.split('\n')) {
    if (!line.includes('$NetBSD')) continue;
    const all = [...line.matchAll(/\$NetBSD[^$]*\$/g)];
    return all.length > 0 ? all[all.length - 1]![0] : '';
  }
  return '';
}

export async function checkUpToDate(cfg: EngineConfig, box: Sandbox, job: BuildJob, env: Record<string, string>): Promise<UpToDate> {
  const pkgfile = join(cfg.packages, 'All', job.pkgname + cfg.pkgSufx);
  const own = await mtime(pkgfile);
  if (own === undefined) return { current: false, reason: 'no binary package' };
  const info = async (flag: string) => {
    const r = await box.exec([...cfg.pkgInfo, flag, pkgfile], { env, cwd: '/', capture: true });
    return r.exitCode === 0 ? (r.stdout ?? '') : undefined;
  };
  const ids = await info('-qb');
  if (ids === undefined) return { current: false, reason: 'pkg_info -qb failed' };
  for (const line of ids.split('\n')) {
    const colon = line.indexOf(':');
    const file = (colon < 0 ? line : line.slice(0, colon)).trim();
    if (file === '') continue;
    const want = colon < 0 ? '' : line.slice(colon + 1).trim();
    let have = '';
    try {
      have = rcsIdOf(await readFile(join(cfg.pkgsrc, file), 'latin1'));
    } catch {
      // A file that is gone no longer matches.
    }
    if (have !== want) return { current: false, reason: `${file} changed` };
  }
  const deps = await info('-qN');
  if (deps === undefined) return { current: false, reason: 'pkg_info -qN failed' };
  const wanted = new Set(job.depends);
  for (const dep of deps.split('\n').map((l) => l.trim())) {
    if (dep === '') continue;
    if (!wanted.has(dep)) return { current: false, reason: `built against ${dep}, which is no longer a dependency` };
    if (!cfg.skipAgeCheck) {
      const t = await mtime(join(cfg.packages, 'All', dep + cfg.pkgSufx));
      if (t === undefined || !(t < own)) return { current: false, reason: `${dep} is newer` };
    }
  }
  return { current: true };
}
