// The scan master of one scan round (pbulk-scan -m): locations are handed to connected
// clients one at a time (2-byte length + location), each answers with the 4-byte length and
// the `make pbulk-index` output (0: the scan failed there). A client that goes away or breaks
// the protocol has its location put back at the front of the queue for another client. A
// limited build's rounds each open a master on the same port, as pbulk's scan script does.
import { clientEvent, type MasterContext } from './context';
import type { MasterError } from './errors';
import { MasterServer, type PeerBase } from './server';
import { ClientNames } from './names';
import { describeBytes, encodeScanJob, LengthPrefixed, scanOutputLengthProblem, WireError } from '../../pkgsrc/wire/frames';

export type RemoteScanResult =
  | { output: Buffer; host: string }
  | { failed: string; host: string }
  /** Stopped before any client answered. */
  | { notProcessed: true };

interface ScanJob {
  location: string;
  done(r: RemoteScanResult): void;
  fail(e: MasterError): void;
  settled: boolean;
  /** Clients lost while they held it. */
  losses: number;
}

/** A location whose scan every client dies on is not handed out for ever. */
const MAX_LOSSES = 3;

interface ScanPeer extends PeerBase {
  job?: ScanJob;
  reader: LengthPrefixed;
}

export class ScanMaster extends MasterServer<ScanPeer> {
  private readonly queue: ScanJob[] = [];

  static async open(ctx: MasterContext, names?: ClientNames): Promise<ScanMaster> {
    const m = new ScanMaster(ctx, names ?? (await ClientNames.resolve(ctx.spec.clients)));
    await m.open();
    return m;
  }

  /** Scans one location on whichever client is free first. */
  index(location: string, signal?: AbortSignal): Promise<RemoteScanResult> {
    return new Promise<RemoteScanResult>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (signal?.aborted || this.closing) return resolve({ notProcessed: true });
      const job: ScanJob = {
        location,
        settled: false,
        losses: 0,
        done: (r) => {
          if (job.settled) return;
          job.settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        fail: (e) => {
          if (job.settled) return;
          job.settled = true;
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        const k = this.queue.indexOf(job);
        if (k >= 0) this.queue.splice(k, 1);
        job.done({ notProcessed: true });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Gives queued locations to idle peers. */
  private dispatch(): void {
    if (!this.started || this.closing) return;
    for (const p of this.peers) {
      if (this.queue.length === 0) return;
      if (!p.job) this.assign(p);
    }
  }

  private assign(p: ScanPeer): void {
    for (;;) {
      const job = this.queue.shift();
      if (!job) return;
      if (job.settled) continue;
      p.job = job;
      p.socket.write(encodeScanJob(job.location));
      return;
    }
  }

  protected accept(base: PeerBase): ScanPeer {
    return { ...base, reader: new LengthPrefixed(4, scanOutputLengthProblem) };
  }

  protected connected(p: ScanPeer): void {
    this.announce(p);
    if (this.started && !this.closing) this.assign(p);
  }

  protected data(p: ScanPeer, d: Buffer): void {
    if (!p.job) return this.garbage(p, `sent ${describeBytes(d)} without being asked`);
    let frames: Buffer[];
    try {
      frames = p.reader.push(d);
    } catch (e) {
      if (e instanceof WireError) return this.garbage(p, e.message);
      throw e;
    }
    for (const f of frames) {
      const job = p.job;
      if (!job) return this.garbage(p, 'sent a second answer for one location');
      if (f.includes(0)) return this.garbage(p, `the output for ${job.location} holds NUL bytes ("Invalid output len received from peer")`);
      p.job = undefined;
      job.done(f.length === 0 ? { failed: `make pbulk-index failed on ${p.host}`, host: p.host } : { output: f, host: p.host });
    }
    if (!p.job && p.reader.inFrame) return this.garbage(p, 'sent more than the answer');
    if (!p.job) this.assign(p);
  }

  protected lost(p: ScanPeer, quiet = false): string | undefined {
    const job = p.job;
    p.job = undefined;
    if (job && !job.settled) {
      job.losses++;
      if (job.losses >= MAX_LOSSES) job.done({ failed: `${MAX_LOSSES} scan clients went away while scanning it, the last ${p.host}`, host: p.host });
      else this.queue.unshift(job);
    }
    if (!quiet && !this.closing) {
      const message = `${p.host} (${p.peer}) left the scan master${job ? `; ${job.location} goes back to the queue` : ''}`;
      clientEvent(this.ctx, {
        change: 'disconnected',
        host: p.host,
        peer: p.peer,
        slot: p.slot,
        ...(job ? { location: job.location } : {}),
        message,
        connected: this.clients(),
      });
    }
    this.dispatch();
    return job?.location;
  }

  protected onStarted(): void {
    this.dispatch();
  }

  protected onFailure(e: MasterError): void {
    for (const j of this.queue.splice(0)) j.fail(e);
  }

  override async close(): Promise<void> {
    for (const j of this.queue.splice(0)) j.done({ notProcessed: true });
    for (const p of this.peers) if (p.job) p.job.done({ notProcessed: true });
    await super.close();
  }
}
