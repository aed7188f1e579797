// Host programs the backends run (mount, umount, unshare, bwrap, prlimit, setpriv, cp, tar),
// found once by absolute path. The environment given to a build (its PATH points into the
// sandbox's prefix) is never used to look them up.
import { accessSync, constants } from 'node:fs';
import { SandboxError } from './errors';

const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const found = new Map<string, string | null>();

export function findTool(name: string): string | null {
  const cached = found.get(name);
  if (cached !== undefined) return cached;
  const dirs = [...(process.env.PATH ?? '').split(':').filter((d) => d.startsWith('/')), ...SYSTEM_PATH];
  let hit: string | null = null;
  for (const d of dirs) {
    try {
      accessSync(`${d}/${name}`, constants.X_OK);
      hit = `${d}/${name}`;
      break;
    } catch {
      // not here
    }
  }
  found.set(name, hit);
  return hit;
}

export function requireTool(name: string, why: string): string {
  const p = findTool(name);
  if (!p) throw new SandboxError('missing-tool', `'${name}' is not installed (looked in PATH and ${SYSTEM_PATH.join(':')}); it is needed ${why}`);
  return p;
}

/** The first of `paths` (inside the sandbox) that is executable, as a host path check. */
export function findInside(root: string, names: string[]): string | null {
  for (const p of names) {
    try {
      accessSync(root + p, constants.X_OK);
      return p;
    } catch {
      // try the next
    }
  }
  return null;
}
