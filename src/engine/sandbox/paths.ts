// Path rules every backend relies on before it creates, mounts or deletes anything. A sandbox
// root is a directory we create ourselves, strictly inside a base directory, reached without
// symlinks; everything placed in it is created component by component without following links,
// so a mount target or a delete can never be redirected onto a host path.
import { realpath } from 'node:fs/promises';
import { chmodSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { SYSTEM_DIRS } from '../../pkgsrc/system-dirs';
import { SandboxError, errnoCode } from './errors';

/** Absolute, normalised, no trailing slash, no NUL or newline (mountinfo and fstab lines must stay parseable). */
export function checkAbsolute(p: string, what: string): string {
  if (typeof p !== 'string' || p === '' || !p.startsWith('/')) {
    throw new SandboxError('unsafe-path', `${what} must be an absolute path, got '${p}'`);
  }
  if (/[\0\n\r]/.test(p)) throw new SandboxError('unsafe-path', `${what} contains a NUL or line break: ${JSON.stringify(p)}`);
  const n = posix.normalize(p);
  const clean = n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
  if (clean.split('/').includes('..')) throw new SandboxError('unsafe-path', `${what} must not contain '..': ${p}`);
  return clean;
}

/** True when child is parent or lies below it (lexically; callers make sure no symlink is involved). */
export function isInside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent === '/' ? '/' : parent + '/');
}

export function isStrictlyInside(parent: string, child: string): boolean {
  return child !== parent && isInside(parent, child);
}

/** The host path of a path seen inside the sandbox. */
export function hostPath(root: string, inside: string): string {
  return inside === '/' ? root : root + inside;
}

function isSystemDir(p: string): boolean {
  return SYSTEM_DIRS.has(p);
}

/**
 * A sandbox root must be a plain path strictly inside its base, the base must not be `/` and
 * the root not a system directory. Both are checked lexically here and against the real file
 * system by checkNoSymlinks before anything is created.
 */
export function checkRootAndBase(root: string, base?: string): { root: string; base: string } {
  const r = checkAbsolute(root, 'sandbox root');
  const b = checkAbsolute(base ?? posix.dirname(r), 'sandbox base');
  if (b === '/') throw new SandboxError('unsafe-path', `sandbox base must not be '/': put sandboxes in a directory of their own (root ${r})`);
  if (!isStrictlyInside(b, r)) throw new SandboxError('unsafe-path', `sandbox root ${r} is not inside the sandbox base ${b}`);
  if (isSystemDir(r)) throw new SandboxError('unsafe-path', `sandbox root ${r} is a system directory`);
  const name = posix.basename(r);
  if (name.startsWith('.')) throw new SandboxError('unsafe-path', `sandbox root ${r}: names starting with '.' are reserved for state files`);
  return { root: r, base: b };
}

/** Fails unless every existing component of p is a real directory (no symlink anywhere on the way). */
export async function checkNoSymlinks(p: string, what: string): Promise<void> {
  let real: string;
  try {
    real = await realpath(p);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') {
      // Check the part that exists.
      const parent = posix.dirname(p);
      if (parent !== p) await checkNoSymlinks(parent, what);
      return;
    }
    throw e;
  }
  if (real !== p) throw new SandboxError('unsafe-path', `${what} ${p} leads through a symlink (it resolves to ${real})`);
}

/**
 * Creates `inside` (a path as seen in the sandbox) below root, one component at a time with
 * lstat checks: an existing symlink or non-directory on the way is an error, never followed.
 * Returns the host path.
 */
export async function mkdirInside(root: string, inside: string, mode = 0o755): Promise<string> {
  const parts = inside.split('/').filter(Boolean);
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    cur = `${cur}/${parts[i]}`;
    const last = i === parts.length - 1;
    let st;
    try {
      st = lstatSync(cur);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e;
      try {
        mkdirSync(cur, { mode: last ? mode : 0o755 });
      } catch (e2) {
        if (errnoCode(e2) !== 'EEXIST') throw e2;
      }
      st = lstatSync(cur);
      if (st.isDirectory() && last) chmodSync(cur, mode); // umask may have cut the mode (1777 for tmp)
    }
    if (!st.isDirectory()) {
      throw new SandboxError(
        'unsafe-path',
        `cannot create ${inside} in sandbox ${root}: ${cur} exists and is ${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}`,
      );
    }
  }
  return cur;
}

/** Host path kind: 'dir', 'symlink', 'other' or null when missing. Never follows the last component. */
export function hostKind(p: string): 'dir' | 'symlink' | 'other' | null {
  try {
    const st = lstatSync(p);
    return st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
  } catch {
    return null;
  }
}

/** Recreates, inside the sandbox, the host symlink at `inside` (same link text) unless present. */
export async function copySymlinkInside(root: string, inside: string): Promise<void> {
  const text = readlinkSync(inside);
  await mkdirInside(root, posix.dirname(inside));
  const dest = hostPath(root, inside);
  try {
    symlinkSync(text, dest);
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw e;
    let existing: string | null = null;
    try {
      existing = readlinkSync(dest);
    } catch {
      // not a link
    }
    if (existing !== text) throw new SandboxError('unsafe-path', `cannot create symlink ${inside} in sandbox ${root}: ${dest} exists`);
  }
}
