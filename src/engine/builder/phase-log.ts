// A phase log, `<bulklog>/<PKGNAME>/<phase>.log`, written as the output arrives (so that a
// follower, or someone with tail -f, sees it live) and offered chunk by chunk to listeners.
// Output is written straight to the file descriptor; nothing accumulates in memory, so a
// runaway build printing gigabytes costs disk, not engine memory.
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export type ChunkListener = (offset: number, text: string) => void;

export class PhaseLog extends Writable {
  private fd: number | undefined;
  private offset: number;
  private readonly decoder = new StringDecoder('utf8');

  /** Opens (appending) the log; `listener` sees every chunk with its byte offset. */
  constructor(
    readonly path: string,
    private readonly listener?: ChunkListener,
  ) {
    super();
    this.fd = openSync(path, 'a', 0o644);
    this.offset = fstatSync(this.fd).size;
  }

  /** Adds a line of our own (e.g. why a command could not run). */
  note(text: string): void {
    this.writeBytes(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
  }

  private writeBytes(b: Buffer): void {
    if (this.fd === undefined) return;
    const at = this.offset;
    writeSync(this.fd, b);
    this.offset += b.length;
    if (this.listener) {
      const text = this.decoder.write(b);
      if (text !== '') this.listener(at, text);
    }
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    try {
      this.writeBytes(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
