// sandbox/cleanup: takes down the sandboxes a killed engine left where this engine's builds put
// theirs (or in the directory the client names), as `pkgsrc-bulk sandbox cleanup` does from a
// terminal. Live sandboxes, this engine's own included, are listed and never touched.
import { posix } from 'node:path';
import type { CleanupParams, CleanupResult } from '../../protocol/sandbox';
import type { EngineConfig } from '../config/types';
import { RequestError } from '../core/errors';
import { cleanupBase } from '../sandbox/cleanup';
import { SandboxError } from '../sandbox/errors';
import { sandboxBaseFor } from '../sandbox/plan';

/** Where the builds of this configuration put their sandboxes; null when they make none. */
export function sandboxBaseOf(cfg: EngineConfig): string | null {
  return sandboxBaseFor(cfg.settings.sandboxBase, cfg.chrootDir);
}

export async function cleanupSandboxes(cfg: EngineConfig, p: CleanupParams): Promise<CleanupResult> {
  const own = sandboxBaseOf(cfg);
  const base = p?.base ? posix.normalize(p.base) : own;
  // A root engine serves its socket to a group: a client may not point it at a directory of
  // its choosing, where state files it wrote would direct what root unmounts and removes.
  if (base !== own && process.getuid?.() === 0) {
    throw new RequestError(
      `an engine running as root cleans up only where its builds put sandboxes (${own ?? 'nowhere: no chroot_dir'}); for ${base} run \`pkgsrc-bulk sandbox cleanup --base ${base}\` as root`,
    );
  }
  const warnings: string[] = [];
  if (!base) return { base: null, removed: [], leftovers: [], skipped: [], failed: [], warnings };
  try {
    const r = await cleanupBase(base, { warn: (m) => warnings.push(m), includeKept: p?.kept === true, dryRun: p?.dryRun === true });
    return { base, ...r, warnings };
  } catch (e) {
    // A base that is not a sandbox directory (relative, unreadable ...) is the client's mistake.
    if (e instanceof SandboxError) throw new RequestError(e.message);
    throw e;
  }
}
