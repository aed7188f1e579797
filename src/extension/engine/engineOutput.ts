// The engine's own output channel. The engine writes to a log file (it runs detached, so it has
// no pipe to the window); this follows the file with fs.watch and appends what is new, also
// after a reload, where it starts from the last part of the file.
import { open, stat } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import * as vscode from 'vscode';

/** How much of an existing log is shown when following starts. */
const BACKLOG_BYTES = 16 * 1024;

export class EngineOutput implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('pkgsrc bulk engine');
  private file: string | undefined;
  private offset = 0;
  private watcher: FSWatcher | undefined;
  private reading: Promise<void> = Promise.resolve();

  /** Follows this log file (the engine of the active pbulk.conf). */
  async follow(file: string): Promise<void> {
    if (this.file === file) return;
    this.stop();
    this.file = file;
    const size = await stat(file)
      .then((s) => s.size)
      .catch(() => 0);
    this.offset = Math.max(0, size - BACKLOG_BYTES);
    this.read();
    try {
      this.watcher = watch(file, () => this.read());
    } catch {
      // No file yet: it is created when the engine starts, and follow() is called again then.
      this.file = undefined;
    }
  }

  line(text: string): void {
    this.channel.appendLine(text);
  }

  private read(): void {
    const file = this.file;
    if (!file) return;
    this.reading = this.reading.then(async () => {
      let fh;
      try {
        fh = await open(file, 'r');
        const { size } = await fh.stat();
        if (size < this.offset) this.offset = 0; // Truncated or replaced.
        if (size === this.offset) return;
        const buf = Buffer.alloc(Math.min(size - this.offset, 1024 * 1024));
        const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
        this.offset += bytesRead;
        this.channel.append(buf.subarray(0, bytesRead).toString('utf8'));
        if (this.offset < size) this.read();
      } catch {
        // Vanished between the event and the read.
      } finally {
        await fh?.close();
      }
    });
  }

  private stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.file = undefined;
  }

  dispose(): void {
    this.stop();
    this.channel.dispose();
  }
}
