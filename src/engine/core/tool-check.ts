// pkg-build's own programs, looked for where the builds will run them: in the scan sandbox,
// with the bootstrap kit in place. Without pkg_add or pkg_delete every package fails the same
// way (its test install, its deinstall), hours in: an error. Without pkg_info no package is
// found up to date and no pkg_summary is written, but packages still build: a warning. One shell run checks them all.
import type { EngineConfig } from '../config/types';
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
