// Turns a SandboxSpec into what a backend has to make: mounts, host symlinks to mirror, and
// directories to create. Every mount is an identity mount at the *canonical* host path of its
// source (no symlink anywhere in it), and a configured path that goes through host symlinks
// gets those same symlinks inside. The sandbox then shows the host's paths exactly (pbulk.conf
// paths work unchanged), and no mount target can ever resolve through a link to a host path.
import { lstatSync, readlinkSync, mkdirSync } from 'node:fs';
import { posix } from 'node:path';
import type { SandboxSpec } from './types';
import { SandboxError } from './errors';
import { checkAbsolute, isInside } from './paths';
import { privateDirFor } from './state';

export interface PlannedMount {
  type: 'bind' | 'proc' | 'overlay' | 'tmpfs';
  /** Host path for binds; 'proc' or 'overlay' otherwise. */
  source: string;
  /** Path inside the sandbox (canonical). */
  target: string;
  ro: boolean;
  /** overlay only: the read-only lower layer and where writes go. */
  overlay?: { lower: string; upper: string; work: string };
  /** tmpfs only: its size limit and the mode and owner of its top directory. */
  tmpfs?: { bytes: number; mode: number; uid: number; gid: number };
}

export interface Layout {
  /** Parent targets before their children. */
  mounts: PlannedMount[];
  /** Inside paths that are symlinks on the host and must be recreated with the same text. */
  symlinks: string[];
  /** Directories to create inside (mount points are added by the backend), with their owner when not the engine's user. */
  dirs: { path: string; mode: number; uid?: number; gid?: number }[];
  /** Host directories in the sandbox's private area, bind-mounted as private dirs that lie inside a read-only mount. */
  privateSources: { path: string; mode: number; uid?: number; gid?: number }[];
  /** copyDirs, canonical: the host dir and where it shows inside (the same path). */
  copies: string[];
  /** Notes for the user: read-only dirs that do not exist here, rw dirs created on the host. */
  notes: string[];
}

const MAX_LINKS = 40;

/**
 * Resolves p like the kernel does, recording every symlink met on the way (as absolute host
 * paths). Returns the canonical path, or null if some component does not exist.
 */
function resolveChain(p: string, links: string[], depth = 0): string | null {
  const parts = p.split('/').filter(Boolean);
  let cur = '';
  for (let i = 0; i < parts.length; i++) {
    const next = `${cur}/${parts[i]}`;
    let st;
    try {
      st = lstatSync(next);
    } catch {
      return null;
    }
    if (st.isSymbolicLink()) {
      if (depth >= MAX_LINKS) throw new SandboxError('bad-spec', `too many levels of symlinks resolving ${p}`);
      if (!links.includes(next)) links.push(next);
      const text = readlinkSync(next);
      const rest = parts.slice(i + 1).join('/');
      const target = posix.normalize((text.startsWith('/') ? text : posix.join(cur || '/', text)) + (rest ? `/${rest}` : ''));
      return resolveChain(target, links, depth + 1);
    }
    if (i < parts.length - 1 && !st.isDirectory()) return null;
    cur = next;
  }
  return cur || '/';
}

function sortParentsFirst<T>(items: T[], key: (t: T) => string): T[] {
  return [...items].sort((a, b) => {
    const pa = key(a).split('/');
    const pb = key(b).split('/');
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
    }
    return pa.length - pb.length;
  });
}

export function coveringMount(mounts: PlannedMount[], inside: string): PlannedMount | undefined {
  let best: PlannedMount | undefined;
  for (const m of mounts) if (isInside(m.target, inside) && (!best || m.target.length > best.target.length)) best = m;
  return best;
}

/** Where a path inside the sandbox is on the host, through the mount that covers it. */
export function sourceOf(mount: PlannedMount, inside: string): string {
  return mount.source + inside.slice(mount.target === '/' ? 0 : mount.target.length);
}

export interface LayoutOptions {
  /** Create rw dirs that do not exist yet on the host (packages, bulklog) instead of failing. */
  createMissingRw?: boolean;
  /** The backend keeps mounts for the sandbox's life, so a private dir may be a tmpfs. */
  tmpfs?: boolean;
}

export function planLayout(spec: SandboxSpec, root: string, opts: LayoutOptions = {}): Layout {
  const notes: string[] = [];
  const links: string[] = [];
  const binds = new Map<string, PlannedMount>();
  const addBind = (dir: string, ro: boolean, what: string) => {
    const d = checkAbsolute(dir, what);
    let canon = resolveChain(d, links);
    if (canon === null && !ro && opts.createMissingRw) {
      mkdirSync(d, { recursive: true, mode: 0o755 });
      notes.push(`created missing read-write directory ${d} on the host`);
      canon = resolveChain(d, links);
    }
    if (canon === null) {
      if (ro) {
        notes.push(`read-only dir ${d} does not exist here; skipped`);
        return;
      }
      throw new SandboxError('bad-spec', `read-write dir ${d} does not exist`);
    }
    let st;
    try {
      st = lstatSync(canon);
    } catch {
      throw new SandboxError('bad-spec', `${what} ${d} vanished while planning the sandbox`);
    }
    if (!st.isDirectory()) throw new SandboxError('bad-spec', `${what} ${d} is not a directory`);
    if (isInside(canon, root)) throw new SandboxError('bad-spec', `${what} ${d} contains the sandbox root ${root}: it would show the sandbox inside itself`);
    if (isInside(root, canon)) throw new SandboxError('bad-spec', `${what} ${d} lies inside the sandbox root ${root}`);
    if (canon === '/') throw new SandboxError('bad-spec', `${what} ${d} is the host's root directory`);
    const prev = binds.get(canon);
    // The same directory asked read-only and read-write: read-write wins, as it was asked for explicitly.
    if (!prev || (prev.ro && !ro)) binds.set(canon, { type: 'bind', source: canon, target: canon, ro });
  };
  for (const d of spec.roDirs) addBind(d, true, 'read-only dir');
  for (const d of spec.rwDirs) addBind(d, false, 'read-write dir');

  const copies: string[] = [];
  for (const c of spec.copyDirs) {
    const d = checkAbsolute(c, 'copied dir');
    const canon = resolveChain(d, links);
    if (canon === null) {
      notes.push(`copied dir ${d} does not exist here; skipped`);
      continue;
    }
    if (isInside(canon, root) || isInside(root, canon)) throw new SandboxError('bad-spec', `copied dir ${d} overlaps the sandbox root ${root}`);
    if (!copies.includes(canon)) copies.push(canon);
  }

  const mounts: PlannedMount[] = [...binds.values()];
  if (spec.dev) mounts.push({ type: 'bind', source: '/dev', target: '/dev', ro: false });
  if (spec.proc) mounts.push({ type: 'proc', source: 'proc', target: '/proc', ro: false });
  // Made after the created dirs, so that a private dir below /tmp leaves /tmp its own mode.
  const privateDirs: Layout['dirs'] = [];
  const privateSources: Layout['privateSources'] = [];
  const priv = privateDirFor(root);
  (spec.privateDirs ?? []).forEach((d, i) => {
    const p = checkAbsolute(d.path, 'private dir');
    const cover = coveringMount(mounts, p);
    // Inside a read-write mount it is that host directory, shared like the mount.
    if (cover && !cover.ro) return;
    if (cover) {
      // Inside a read-only mount (a directory the kit or a tool lives in): mounted over, if there is a directory to mount on.
      const onHost = sourceOf(cover, p);
      if (resolveChain(onHost, []) === null)
        throw new SandboxError(
          'bad-spec',
          `private dir ${p} lies inside the read-only mount of ${cover.source} and does not exist there: there is nothing to mount it on`,
        );
    }
    const owner = d.uid !== undefined ? { uid: d.uid, gid: d.gid ?? d.uid } : {};
    if (opts.tmpfs && d.tmpfsBytes) {
      mounts.push({
        type: 'tmpfs',
        source: 'tmpfs',
        target: p,
        ro: false,
        tmpfs: { bytes: d.tmpfsBytes, mode: d.mode, uid: d.uid ?? process.getuid?.() ?? 0, gid: d.gid ?? d.uid ?? process.getgid?.() ?? 0 },
      });
    } else if (cover) {
      const source = `${priv}/private-${i}`;
      privateSources.push({ path: source, mode: d.mode, ...owner });
      mounts.push({ type: 'bind', source, target: p, ro: false });
    } else {
      privateDirs.push({ path: p, mode: d.mode, ...owner });
    }
  });
  const ordered = sortParentsFirst(mounts, (m) => m.target);

  const dirs: Layout['dirs'] = [];
  for (const c of spec.createDirs) {
    const p = checkAbsolute(c.path, 'created dir');
    const cover = coveringMount(ordered, p);
    if (cover) throw new SandboxError('bad-spec', `created dir ${p} lies inside the mount of ${cover.source}; it would be created on the host`);
    if (!Number.isInteger(c.mode) || c.mode < 0 || c.mode > 0o7777) throw new SandboxError('bad-spec', `created dir ${p}: bad mode ${c.mode}`);
    dirs.push({ path: p, mode: c.mode });
  }

  dirs.push(...privateDirs);

  // Links that a mount already shows need no copy; the rest are recreated in the root.
  const symlinks = links.filter((l) => !coveringMount(ordered, l) && !copies.some((c) => isInside(c, l)));
  return { mounts: ordered, symlinks: sortParentsFirst(symlinks, (s) => s), dirs, privateSources, copies, notes };
}
