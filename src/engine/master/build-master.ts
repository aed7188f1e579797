// The build master (pbulk-build -m) as a pool of workers for the build loop: a client asks for
// work with `G`; the loop gives it the next package by the engine's own priority and the
// master sends the presolve record (4-byte length + text); the client answers `D` or `F`. `S`
// is answered with the seven counters at any time. While a client builds, the package's phase
// is read from the log directory it writes in the shared bulklog. A client that goes away
// mid-package hands it back ('lost': requeued by the loop); one that fails too many packages
// in a row is reported and dropped, unless it is the last one.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { failingPhase, type Phase } from '../../pkgsrc/bulklog/phases';
import type { BuildState } from '../../pkgsrc/bulklog/states';
import { CMD_GET, CMD_STATS, describeBytes, encodeBuildInfo, encodeStats, STATUS_DONE, STATUS_FAILED, WireError } from '../../pkgsrc/wire/frames';
import type { BuildObserver } from '../builder/builder';
import type { BuildJob } from '../builder/job';
import type { BuildWorker, WorkerOutcome, WorkerPool } from '../core/workers';
import { scanBytes } from '../scan/phase';
import { clientEvent, confProblem, type MasterContext } from './context';
import type { MasterError } from './errors';
import { ClientNames } from './names';
import { MasterServer, type PeerBase } from './server';

/** How often the log directory of a package building on a client is looked at. */
const PHASE_POLL_MS = 1000;

interface RemoteJob {
  pkgname: string;
  finish(out: WorkerOutcome): void;
}

interface BuildPeer extends PeerBase {
  /** command: reading G/S; waiting: asked for work; reserved: taken by the loop; job: building. */
  state: 'command' | 'waiting' | 'reserved' | 'job';
  input: Buffer;
  job?: RemoteJob;
  /** Packages failed in a row. */
  failures: string[];
  worker: BuildWorker;
}

export class BuildMaster extends MasterServer<BuildPeer> implements WorkerPool {
  readonly dynamic = true;
  private readonly waiting: BuildPeer[] = [];
  private waiters: (() => void)[] = [];
  private fatal: MasterError | undefined;

  private constructor(
    ctx: MasterContext,
    names: ClientNames,
    /** The scheduler's counts, for `S`. */
    private readonly counts: () => Record<BuildState, number> | undefined,
  ) {
    super(ctx, names);
  }

  static async open(ctx: MasterContext, counts: () => Record<BuildState, number> | undefined): Promise<BuildMaster> {
    const m = new BuildMaster(ctx, await ClientNames.resolve(ctx.spec.clients), counts);
    await m.open();
    return m;
  }

  /** Set when the start script failed: the build cannot go on. */
  get error(): MasterError | undefined {
    return this.fatal;
  }

  take(): BuildWorker | undefined {
    if (!this.started || this.closing) return undefined;
    for (;;) {
      const p = this.waiting.shift();
      if (!p) return undefined;
      if (!this.peers.has(p) || p.state !== 'waiting') continue;
      p.state = 'reserved';
      return p.worker;
    }
  }

  release(w: BuildWorker): void {
    const p = [...this.peers].find((x) => x.worker === w);
    if (p && p.state === 'reserved') {
      p.state = 'waiting';
      this.waiting.unshift(p);
    }
  }

  changed(): Promise<void> {
    return new Promise<void>((r) => this.waiters.push(r));
  }

  private notify(): void {
    for (const r of this.waiters.splice(0)) r();
  }

  protected accept(base: PeerBase): BuildPeer {
    const p: BuildPeer = { ...base, state: 'command', input: Buffer.alloc(0), failures: [], worker: undefined as unknown as BuildWorker };
    p.worker = {
      get slot() {
        return p.slot;
      },
      host: p.host,
      build: (job, obs, signal) => this.build(p, job, obs, signal),
    };
    return p;
  }

  protected connected(): void {}

  protected data(p: BuildPeer, d: Buffer): void {
    p.input = p.input.length === 0 ? d : Buffer.concat([p.input, d]);
    this.pump(p);
  }

  /** Reads the bytes the peer's state allows; G waits in the queue until the loop takes it. */
  private pump(p: BuildPeer): void {
    while (p.input.length > 0 && this.peers.has(p) && (p.state === 'command' || p.state === 'job')) {
      const b = p.input[0]!;
      if (p.state === 'command') {
        if (b === CMD_GET) {
          p.input = p.input.subarray(1);
          this.announce(p);
          p.state = 'waiting';
          this.waiting.push(p);
          this.notify();
        } else if (b === CMD_STATS) {
          p.input = p.input.subarray(1);
          p.socket.write(encodeStats(this.stats()));
        } else {
          return this.garbage(p, `sent ${describeBytes(p.input)} where pbulk's build protocol has G or S`);
        }
      } else {
        if (b !== STATUS_DONE && b !== STATUS_FAILED)
          return this.garbage(p, `sent ${describeBytes(p.input)} where D or F was expected for ${p.job?.pkgname ?? 'its package'}`);
        p.input = p.input.subarray(1);
        const job = p.job;
        p.job = undefined;
        p.state = 'command';
        // No job: the package was given up (the build was stopped) while the client built it.
        if (job) this.completed(p, job, b === STATUS_DONE);
      }
    }
  }

  private stats() {
    const c = this.counts();
    const n = (s: BuildState) => c?.[s] ?? 0;
    return {
      open: n('open'),
      inProcessing: n('in_processing'),
      failed: n('failed'),
      prefailed: n('prefailed'),
      indirectFailed: n('indirect-failed'),
      indirectPrefailed: n('indirect-prefailed'),
      done: n('done'),
    };
  }

  private logDir(pkgname: string): string {
    return join(this.ctx.cfg.bulklog, pkgname);
  }

  private lastPhase(pkgname: string): Phase | undefined {
    try {
      return failingPhase(readdirSync(this.logDir(pkgname)));
    } catch {
      return undefined;
    }
  }

  private build(p: BuildPeer, job: BuildJob, obs: BuildObserver, signal: AbortSignal): Promise<WorkerOutcome> {
    if (!this.peers.has(p) || p.state !== 'reserved') return Promise.resolve({ kind: 'lost', message: `${p.host} is gone` });
    let info: Buffer;
    try {
      info = encodeBuildInfo(scanBytes(job.text));
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      p.state = 'waiting';
      this.waiting.unshift(p);
      return Promise.resolve({ kind: 'failed', phase: 'pre-clean', logPath: join(this.logDir(job.pkgname), 'pre-clean.log') });
    }
    return new Promise<WorkerOutcome>((resolve) => {
      let seen: Phase | undefined;
      const poll = setInterval(() => {
        const ph = this.lastPhase(job.pkgname);
        if (ph && ph !== seen) {
          seen = ph;
          obs.phase?.(ph, join(this.logDir(job.pkgname), `${ph}.log`));
        }
      }, PHASE_POLL_MS);
      poll.unref();
      const onAbort = () => finish({ kind: 'cancelled' });
      const finish = (out: WorkerOutcome) => {
        clearInterval(poll);
        signal.removeEventListener('abort', onAbort);
        if (p.job === remote) p.job = undefined;
        if (out.kind === 'built' && seen) out = { kind: 'built', phase: seen };
        resolve(out);
      };
      const remote: RemoteJob = { pkgname: job.pkgname, finish };
      signal.addEventListener('abort', onAbort, { once: true });
      p.job = remote;
      p.state = 'job';
      p.socket.write(info);
      this.pump(p);
    });
  }

  private completed(p: BuildPeer, job: RemoteJob, ok: boolean): void {
    if (ok) {
      p.failures = [];
      job.finish({ kind: 'built', phase: 'deinstall' });
    } else {
      const phase = this.lastPhase(job.pkgname) ?? 'pre-clean';
      job.finish({ kind: 'failed', phase, logPath: join(this.logDir(job.pkgname), `${phase}.log`) });
      p.failures.push(job.pkgname);
      this.judge(p);
    }
    this.pump(p);
  }

  /** A client failing every package it gets is broken, not the packages: drop it. */
  private judge(p: BuildPeer): void {
    const limit = this.ctx.cfg.settings.clientFailureLimit;
    if (limit === 0 || p.failures.length < limit) return;
    const list = p.failures.slice(-limit).join(', ');
    if (this.clients() <= 1) {
      if (p.failures.length === limit) {
        confProblem(
          this.ctx,
          'warning',
          'client-failing',
          `${p.host} (${p.peer}) failed its last ${limit} packages in a row (${list}); it is the only build client, so it is kept`,
          'build_clients',
        );
      }
      return;
    }
    const message = `${p.host} (${p.peer}) failed its last ${limit} packages in a row (${list}) and was dropped; the other clients go on (after fixing it, \`pkgsrc-bulk rebuild --failed\` builds them again)`;
    this.hangUp(p);
    clientEvent(this.ctx, { change: 'dropped', host: p.host, peer: p.peer, slot: p.slot, message, connected: this.clients() });
    confProblem(this.ctx, 'error', 'client-dropped', message, 'build_clients');
    this.notify();
  }

  protected lost(p: BuildPeer, quiet = false): string | undefined {
    const job = p.job;
    p.job = undefined;
    p.state = 'command';
    if (job) job.finish({ kind: 'lost', message: `${p.host} went away` });
    if (!quiet && !this.closing && p.announced) {
      const message = `${p.host} (${p.peer}) left the build master${job ? `; ${job.pkgname} goes back to the queue` : ''}`;
      clientEvent(this.ctx, {
        change: 'disconnected',
        host: p.host,
        peer: p.peer,
        slot: p.slot,
        ...(job ? { pkgname: job.pkgname } : {}),
        message,
        connected: this.clients(),
      });
    }
    this.notify();
    return job?.pkgname;
  }

  protected onStarted(): void {
    this.notify();
  }

  protected onFailure(e: MasterError): void {
    this.fatal = e;
    this.notify();
  }
}
