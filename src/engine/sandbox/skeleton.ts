// Filling a fresh sandbox root before anything is mounted: the directories the spec asks for
// (with their modes), a mount point for every mount not already shown by an outer one, and the
// host's symlinks on configured paths. Done while nothing is mounted, so no write can reach the
// host; each component is created or checked with lstat, never followed.
import { chmod, lchown, mkdir } from 'node:fs/promises';
import type { Layout, PlannedMount } from './layout';
import { coveringMount } from './layout';
import { copySymlinkInside, mkdirInside } from './paths';

export async function buildSkeleton(root: string, layout: Layout, mounts: PlannedMount[]): Promise<void> {
  for (const d of layout.privateSources) {
    // Inside the sandbox's private area (made just before, mode 0700, never shown inside).
    await mkdir(d.path, { mode: d.mode });
    await chmod(d.path, d.mode);
    if (d.uid !== undefined) await lchown(d.path, d.uid, d.gid ?? d.uid);
  }
  for (const d of layout.dirs) {
    const made = await mkdirInside(root, d.path, d.mode);
    // Just made by us, component by component without following links: safe to hand over.
    if (d.uid !== undefined) await lchown(made, d.uid, d.gid ?? d.uid);
  }
  for (let i = 0; i < mounts.length; i++) {
    const m = mounts[i]!;
    // A target inside an earlier mount already exists in that mount's source (same host path).
    if (coveringMount(mounts.slice(0, i), m.target)) continue;
    await mkdirInside(root, m.target, 0o755);
  }
  for (const l of layout.symlinks) await copySymlinkInside(root, l);
}
