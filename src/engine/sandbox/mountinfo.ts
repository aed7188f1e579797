// /proc/self/mountinfo is the only source of truth about what is mounted: the commands that
// mount and unmount can fail silently (pbulk-reference §6.2), so every decision to delete is
// taken against this file, read fresh.
import { readFileSync } from 'node:fs';
import { isInside } from './paths';

export interface MountEntry {
  id: number;
  parentId: number;
  /** major:minor of the file system. */
  device: string;
  /** Directory of the file system that is mounted (a bind source shows here). */
  fsRoot: string;
  mountPoint: string;
  /** Per-mount options: `ro` here means this mount really is read-only. */
  options: string[];
  fsType: string;
  source: string;
  superOptions: string[];
  /** 1-based line in the file, for messages. */
  line: number;
}

export interface ParsedMountinfo {
  entries: MountEntry[];
  /** Lines that could not be read, as `line N: reason`. Parsing never throws. */
  problems: string[];
}

/** The kernel escapes space, tab, newline and backslash in paths as \ooo. */
export function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function escapeMountPath(s: string): string {
  return s.replace(/[\\ \t\n]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}

export function parseMountinfo(text: string): ParsedMountinfo {
  const entries: MountEntry[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const f = raw.split(' ');
    const sep = f.indexOf('-', 6);
    if (f.length < 10 || sep < 0 || f.length < sep + 3) {
      problems.push(`line ${i + 1}: not a mountinfo record: ${JSON.stringify(raw.slice(0, 120))}`);
      continue;
    }
    const id = Number(f[0]);
    const parentId = Number(f[1]);
    if (!Number.isInteger(id) || !Number.isInteger(parentId) || !f[4]!.startsWith('/')) {
      problems.push(`line ${i + 1}: bad mount id or mount point: ${JSON.stringify(raw.slice(0, 120))}`);
      continue;
    }
    entries.push({
      id,
      parentId,
      device: f[2]!,
      fsRoot: unescapeMountPath(f[3]!),
      mountPoint: unescapeMountPath(f[4]!),
      options: f[5]!.split(','),
      fsType: f[sep + 1]!,
      source: unescapeMountPath(f[sep + 2]!),
      superOptions: (f[sep + 3] ?? '').split(',').filter(Boolean),
      line: i + 1,
    });
  }
  return { entries, problems };
}

/** Read synchronously: one small file, and a fresh view matters more than not blocking for 0.1 ms. */
export function readMountinfoSync(): MountEntry[] {
  return parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')).entries;
}

export async function readMountinfo(): Promise<MountEntry[]> {
  return readMountinfoSync();
}

/** Mounts at or below root, in the order the kernel lists them (parents before children). */
export function mountsUnder(entries: MountEntry[], root: string): MountEntry[] {
  return entries.filter((e) => isInside(root, e.mountPoint));
}

/**
 * The order to unmount: deepest mount point first, and for mounts stacked on one point the
 * later (upper) one first, so each `umount` removes what is on top.
 */
export function unmountOrder(entries: MountEntry[]): MountEntry[] {
  const pos = new Map(entries.map((e, i) => [e, i]));
  return [...entries].sort((a, b) => {
    const da = a.mountPoint.split('/').length;
    const db = b.mountPoint.split('/').length;
    return db - da || pos.get(b)! - pos.get(a)!;
  });
}

export function isReadOnly(e: MountEntry): boolean {
  return e.options.includes('ro');
}

export function describeMount(e: MountEntry): string {
  const what = e.fsType === 'proc' || e.fsType === 'devtmpfs' || e.fsType === 'overlay' ? e.fsType : `${e.fsRoot} (${e.fsType})`;
  return `${e.mountPoint} <- ${what}, ${isReadOnly(e) ? 'ro' : 'rw'} [/proc/self/mountinfo:${e.line}]`;
}
