// File system questions the checks ask (does this path exist, is it executable), behind an
// interface so that tests and the language server can answer them differently; the default
// answers from the real file system and never throws.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface FileInfo {
  kind: 'file' | 'directory' | 'other';
  executable: boolean;
}

export interface FileProbe {
  /** Undefined when the path does not exist (or cannot be examined). */
  stat(path: string): FileInfo | undefined;
  /** At most maxBytes of the file as UTF-8; undefined when it cannot be read. */
  readText(path: string, maxBytes: number): string | undefined;
}

export const realProbe: FileProbe = {
  stat(path) {
    try {
      // No exceptions for the common "missing" answer: they are slow to build.
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) return undefined;
      // Any execute bit: root may run it, and pbulk runs as root.
      const executable = st.isFile() && (st.mode & 0o111) !== 0;
      return { kind: st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other', executable };
    } catch {
      return undefined;
    }
  },
  readText(path, maxBytes) {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      const buf = Buffer.alloc(maxBytes);
      const n = readSync(fd, buf, 0, maxBytes, 0);
      return buf.subarray(0, n).toString('utf8');
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
};

/** A probe answering from a table: { '/usr/pkgsrc': 'directory', '/usr/bin/sed': 'executable' }. */
export function tableProbe(entries: Record<string, 'file' | 'directory' | 'executable'>, files: Record<string, string> = {}): FileProbe {
  return {
    stat(path) {
      const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
      const e = entries[p] ?? (files[p] !== undefined ? 'file' : undefined);
      if (e === undefined) return undefined;
      return { kind: e === 'directory' ? 'directory' : 'file', executable: e === 'executable' };
    },
    readText(path, maxBytes) {
      return files[path]?.slice(0, maxBytes);
    },
  };
}

/** Remembers answers for ttlMs so a language server does not stat the same paths on every keystroke. */
export function cachedProbe(inner: FileProbe, ttlMs = 2000): FileProbe {
  const stats = new Map<string, { at: number; v: FileInfo | undefined }>();
  const texts = new Map<string, { at: number; v: string | undefined }>();
  return {
    stat(path) {
      const now = Date.now();
      const hit = stats.get(path);
      if (hit && now - hit.at < ttlMs) return hit.v;
      const v = inner.stat(path);
      stats.set(path, { at: now, v });
      return v;
    },
    readText(path, maxBytes) {
      const now = Date.now();
      const key = `${maxBytes}:${path}`;
      const hit = texts.get(key);
      if (hit && now - hit.at < ttlMs) return hit.v;
      const v = inner.readText(path, maxBytes);
      texts.set(key, { at: now, v });
      return v;
    },
  };
}
