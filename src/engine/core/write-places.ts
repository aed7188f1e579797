// Where the builds of a run write, from what the tree said: each build sandbox gets WRKOBJDIR
// for itself (a tmpfs when memory allows, as bob and poudriere do, else a directory in the
// sandbox root), owned by the user who builds; DISTDIR is the host's, shared by all.
import { freemem } from 'node:os';
import type { PrivateDir } from '../sandbox/types';
import type { DefaultSpecInput } from '../sandbox/plan';
import { userIds } from '../builder/users';
import type { EngineConfig } from '../config/types';

/** A tmpfs for each build slot only when at least this much memory is free for it. */
export const TMPFS_MIN_BYTES = 1024 ** 3;

function under(dir: string, p: string): boolean {
  return p === dir || p.startsWith(`${dir}/`);
}

/** Size of each slot's WRKOBJDIR tmpfs: half the free memory shared by the slots, none when that is too little. */
export function tmpfsBytesPerSlot(slots: number, free = freemem()): number | undefined {
  const share = Math.floor(free / 2 / Math.max(1, slots));
  return share >= TMPFS_MIN_BYTES ? share : undefined;
}

export function buildPlaces(cfg: EngineConfig, values: Record<string, string>, slots: number): Partial<DefaultSpecInput> {
  const more: Partial<DefaultSpecInput> = {};
  const distdir = values.DISTDIR ?? '';
  if (distdir.startsWith('/') && ![cfg.pkgsrc, cfg.bulklog, cfg.packages].some((d) => under(d, distdir))) more.distdir = distdir;
  const wrk = values.WRKOBJDIR ?? '';
  if (wrk.startsWith('/')) {
    const root = process.getuid?.() === 0;
    const ids = root && cfg.unprivilegedUser ? userIds(cfg.unprivilegedUser) : undefined;
    const bytes = tmpfsBytesPerSlot(slots);
    const dir: PrivateDir = { path: wrk, mode: 0o755, ...(ids ? { uid: ids.uid, gid: ids.gid } : {}), ...(bytes ? { tmpfsBytes: bytes } : {}) };
    more.privateDirs = [dir];
  }
  return more;
}
