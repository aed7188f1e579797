// The sandboxes of one run, from the sandbox layer: the plan follows pbulk.conf (chroot_dir,
// build_chroots, chroot_create/chroot_delete) unless a setting or flag names the backend; the
// slots hold pbulk.conf's directories plus the directories of the configured tools (make,
// pkg_*), which may live outside the system directories a sandbox sees. One scan sandbox
// serves all parallel pbulk-index runs; the build slots are made once the tree has been asked
// where builds write.
import { dirname, isAbsolute } from 'node:path';
import type { EngineConfig } from '../config/types';
import { MKSANDBOX_RO_DIRS, RunSandboxes } from '../sandbox';
import type { Warn } from '../sandbox/lifecycle';

/** Directories of absolute tool paths outside the system directories every sandbox has. */
export function toolDirs(cfg: EngineConfig): string[] {
  const tools = [cfg.make[0], cfg.pkgAdd[0], cfg.pkgDelete[0], cfg.pkgInfo[0], cfg.tar[0]];
  const dirs = new Set<string>();
  for (const t of tools) {
    if (!t || !isAbsolute(t) || MKSANDBOX_RO_DIRS.some((d) => t.startsWith(`${d}/`))) continue;
    if (t.startsWith(cfg.prefix + '/')) continue; // restored from the bootstrap kit instead
    dirs.add(dirname(t));
  }
  return [...dirs];
}

/**
 * The run's sandboxes: the scan slot now, the build slots from openBuild with what the tree
 * said they must hold (see write-places.ts). The caller owns them (`await using`).
 */
export function openSandboxes(cfg: EngineConfig, jobs: number, warn: Warn): Promise<RunSandboxes> {
  const s = cfg.settings;
  return RunSandboxes.open({
    plan: {
      ...(cfg.chrootDir ? { chrootDir: cfg.chrootDir } : {}),
      ...(cfg.buildChroots ? { buildChroots: cfg.buildChroots } : {}),
      ...(cfg.chrootCreate ? { chrootCreate: cfg.chrootCreate } : {}),
      ...(cfg.chrootDelete ? { chrootDelete: cfg.chrootDelete } : {}),
      ...(s.sandbox ? { backend: s.sandbox } : {}),
      ...(s.sandboxBase ? { base: s.sandboxBase } : {}),
      buildSlots: jobs,
      scanSlots: 1,
    },
    content: {
      pkgsrc: cfg.pkgsrc,
      bulklog: cfg.bulklog,
      packages: cfg.packages,
      prefix: cfg.prefix,
      pkgdb: cfg.pkgdb,
      varbase: cfg.varbase,
      ...(cfg.bootstrapKit ? { bootstrapKit: cfg.bootstrapKit } : {}),
      // The kit is restored before every package (pbulk's client-clean), so it must be visible.
      extraRo: [...toolDirs(cfg), ...(cfg.bootstrapKit ? [/\.(tar\.gz|tgz)$/.test(cfg.bootstrapKit) ? dirname(cfg.bootstrapKit) : cfg.bootstrapKit] : [])],
      ...(cfg.metaDir.startsWith(cfg.bulklog + '/') ? {} : { extraRw: [cfg.metaDir] }),
    },
    warn,
    deferBuild: true,
  });
}
