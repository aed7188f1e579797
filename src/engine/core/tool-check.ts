// The programs a build runs that pbulk.conf names, checked before the scan. pkg-build's own,
// where the builds run them (the scan sandbox, with the bootstrap kit in place): without
// pkg_add or pkg_delete every package fails the same way (its test install, its deinstall),
// hours in: an error. Without pkg_info no package is found up to date and no pkg_summary is
// written, but packages still build: a warning. The index tools (gzip, bzip2, digest), on this
// host, where the engine writes the repository index after the build: warnings too.
import type { EngineConfig } from '../config/types';
import { findInside, findTool } from '../sandbox/tools';
import type { Sandbox } from '../sandbox/types';
import type { PreflightProblem } from './preflight';

const WHAT: Record<'pkg_add' | 'pkg_delete' | 'pkg_info', string> = {
  pkg_add: "installs each package's dependencies and test-installs every package it builds, so every package would fail",
  pkg_delete: 'deinstalls every package after its build, so every package would fail',
  pkg_info: 'tells which packages are up to date and gives the repository index its records, so every package would be built again and no pkg_summary written',
};

// An absolute path must be an executable file (dash's `command -v` accepts any file); a bare
// name is looked up in PATH.
const SCRIPT = 'for p do case $p in /*) [ -f "$p" ] && [ -x "$p" ] ;; *) command -v "$p" >/dev/null 2>&1 ;; esac || echo "$p"; done';

/** The tools of pbulk.conf that the sandbox does not have; undefined when the check itself could not run. */
export async function missingTools(
  cfg: EngineConfig,
  box: Sandbox,
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<PreflightProblem[] | undefined> {
  const tools = { pkg_add: cfg.pkgAdd[0], pkg_delete: cfg.pkgDelete[0], pkg_info: cfg.pkgInfo[0] };
  const named = Object.entries(tools).filter((e): e is [keyof typeof WHAT, string] => !!e[1]);
  const r = await box
    .exec(['/bin/sh', '-c', SCRIPT, 'sh', ...named.map((e) => e[1])], { env, cwd: '/', capture: true, ...(signal ? { signal } : {}) })
    .catch(() => undefined);
  if (!r || r.exitCode !== 0) return undefined;
  const missing = new Set((r.stdout ?? '').split('\n').filter(Boolean));
  const where = box.backend === 'none' ? 'on this host' : 'in the sandboxes';
  const kit = cfg.bootstrapKit ? ', with the bootstrap kit in place' : '';
  return named
    .filter(([, path]) => missing.has(path))
    .map(([setting, path]) => ({
      setting,
      code: 'tool-missing' as const,
      ...(setting === 'pkg_info' ? { severity: 'warning' as const } : {}),
      message: `${setting}=${path} is not an executable program ${where}${kit}: it ${WHAT[setting]}. Point ${setting} at the pkg_install program, or add it to the bootstrap kit`,
    }));
}

/**
 * The programs the engine runs on this host after every build to write the repository index
 * and report.bz2: warnings, since the packages still build, but better known before the hours
 * of building than after them.
 */
export function missingIndexTools(cfg: EngineConfig): PreflightProblem[] {
  const pc = cfg.publish;
  if (!pc) return [];
  const tools: [string, string[] | undefined, string][] = [
    ['gzip', pc.gzip, 'pkg_summary.gz'],
    ['bzip2', pc.bzip2, 'pkg_summary.bz2, SHA512.bz2 and report.bz2'],
    ['digest', pc.checksum ? pc.digest : undefined, 'SHA512.bz2'],
  ];
  const out: PreflightProblem[] = [];
  for (const [setting, cmd, what] of tools) {
    if (!cmd?.[0] || (cmd[0].includes('/') ? findInside('', [cmd[0]]) : findTool(cmd[0])) !== null) continue;
    const hint =
      setting === 'digest' ? 'Point digest at pkgtools/digest, or leave it unset: the engine then computes SHA512 itself' : `Point ${setting} at the program`;
    out.push({
      setting,
      code: 'tool-missing',
      severity: 'warning',
      message: `${setting}=${cmd.join(' ')}: ${cmd[0]} is not an executable program on this host, so ${what} cannot be written after the build (the packages still build). ${hint}`,
    });
  }
  return out;
}
