// The client end of one connection to a pbulk master: connect (IPv4, as pbulk's clients), read
// whole length-prefixed frames whatever the TCP cuts, write, and tell a clean end (the master
// closed between frames: the work is over) from a broken one.
import { connect, type Socket } from 'node:net';
import { LengthPrefixed, WireError } from '../../pkgsrc/wire/frames';
import type { MasterAddress } from '../../pkgsrc/wire/address';

export class LinkError extends Error {}

export class MasterLink {
  private readonly reader: LengthPrefixed;
  private readonly frames: Buffer[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  private readonly closeHandlers: (() => void)[] = [];

  private constructor(
    readonly socket: Socket,
    prefix: 2 | 4,
    check: (n: number) => string | undefined,
  ) {
    this.reader = new LengthPrefixed(prefix, check);
    socket.on('data', (d: Buffer) => {
      try {
        this.frames.push(...this.reader.push(d));
      } catch (e) {
        this.failure = e instanceof WireError ? new LinkError(`the master sent what pbulk's protocol does not allow: ${e.message}`) : (e as Error);
        socket.destroy();
      }
      this.notify();
    });
    socket.on('error', (e) => {
      this.failure ??= new LinkError(`connection to the master failed: ${e.message}`);
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      for (const h of this.closeHandlers.splice(0)) h();
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
  }

  static connect(address: MasterAddress, prefix: 2 | 4, check: (n: number) => string | undefined): Promise<MasterLink> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: address.host, port: address.port, family: 4, noDelay: true });
      s.once('connect', () => {
        s.removeAllListeners('error');
        s.setKeepAlive(true, 60_000);
        resolve(new MasterLink(s, prefix, check));
      });
      s.once('error', (e) => reject(new LinkError(`Could not connect socket to ${address.host}:${address.port}: ${e.message}`)));
    });
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** True once the master closed its side (or the connection broke). */
  get closed(): boolean {
    return this.ended || this.failure !== undefined || this.socket.destroyed;
  }

  /** Calls h when the connection closes; returns the undo. */
  onClose(h: () => void): () => void {
    if (this.socket.destroyed) {
      h();
      return () => undefined;
    }
    this.closeHandlers.push(h);
    return () => {
      const k = this.closeHandlers.indexOf(h);
      if (k >= 0) this.closeHandlers.splice(k, 1);
    };
  }

  /** The next frame; undefined when the master ended the connection between frames. */
  async next(): Promise<Buffer | undefined> {
    for (;;) {
      const f = this.frames.shift();
      if (f) return f;
      if (this.failure) throw this.failure;
      if (this.ended) {
        if (this.reader.inFrame) throw new LinkError('Premature end of stream while reading from the master');
        return undefined;
      }
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  /** Writes bytes; false when the connection is gone. */
  write(b: Buffer): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => this.socket.write(b, (e) => resolve(!e)));
  }

  close(): void {
    this.socket.end();
  }
}
