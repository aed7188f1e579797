// Writers for the engine. pbulk appends meta/success and meta/error one line per finished
// package and rewrites the other meta files whole; we flush appends to disk before returning
// (a kill -9 right after must not lose a finished package) and replace whole files atomically
// (a reader never sees half a file).
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatPbuild } from './pbuild';
import type { BuildState } from './states';
import { formatStatus } from './status';

/** Writes `data` to a temporary file beside `path`, flushes it, renames it over `path`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(dirname(path));
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable; not every platform lets a directory be fsync'ed.
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Best effort.
  }
}

/**
 * An append-only list file (meta/success, meta/error). Opening it cuts off a torn last line
 * left by a crash, so the next name starts on its own line; every append is flushed to disk.
 */
export class AppendLog {
  private constructor(
    readonly path: string,
    private fh: FileHandle | undefined,
  ) {}

  static async open(path: string): Promise<AppendLog> {
    const fh = await open(path, 'a+', 0o644);
    try {
      const { size } = await fh.stat();
      if (size > 0) {
        // Find the last newline, reading backwards in small blocks.
        const block = Buffer.alloc(Math.min(size, 4096));
        let end = size;
        let keep = -1;
        while (end > 0 && keep < 0) {
          const start = Math.max(0, end - block.length);
          const { bytesRead } = await fh.read(block, 0, end - start, start);
          const nl = block.subarray(0, bytesRead).lastIndexOf(0x0a);
          if (nl >= 0) keep = start + nl + 1;
          end = start;
        }
        if (keep < 0) keep = 0;
        if (keep < size) {
          await fh.truncate(keep);
          await fh.sync();
        }
      }
    } catch (e) {
      await fh.close();
      throw e;
    }
    return new AppendLog(path, fh);
  }

  /** Appends `line` and a newline in one write, then flushes. */
  async append(line: string): Promise<void> {
    if (!this.fh) throw new Error(`${this.path}: append after close`);
    if (line.includes('\n')) throw new Error(`${this.path}: refusing to append a line with a newline: ${JSON.stringify(line)}`);
    await this.fh.write(`${line}\n`);
    await this.fh.sync();
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }
}

/** Appends one line to a file and flushes it (opens and closes the file each time). */
export async function appendLine(path: string, line: string): Promise<void> {
  const log = await AppendLog.open(path);
  try {
    await log.append(line);
  } finally {
    await log.close();
  }
}

/** Appends KEY=value lines to meta/status (as pbulk's phases add BUILD_END_ISO and others). */
export async function appendStatus(path: string, entries: [string, string][]): Promise<void> {
  for (const [k, v] of entries) {
    if (k.includes('=') || k.includes('\n') || v.includes('\n')) throw new Error(`${path}: invalid status entry ${JSON.stringify([k, v])}`);
  }
  const fh = await open(path, 'a', 0o644);
  try {
    await fh.write(formatStatus(entries));
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Replaces meta/status with these entries. */
export async function writeStatus(path: string, entries: [string, string][]): Promise<void> {
  await writeFileAtomic(path, formatStatus(entries));
}

/** Replaces meta/pbuild. */
export async function writePbuild(path: string, entries: { pkgname: string; state: BuildState; depth: number; restricted?: boolean }[]): Promise<void> {
  await writeFileAtomic(path, formatPbuild(entries));
}
