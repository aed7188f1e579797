// A set of sandboxes for the engine's slots: created together (all or none), handed out one
// per running job, and torn down together, also on SIGINT/SIGTERM, before the process exits.
// A kill -9 leaves them to `pkgsrc-bulk sandbox cleanup` (or to the next engine, which removes
// sandboxes of dead owners when it claims their names).
import type { Sandbox, SandboxBackend, SandboxSpec } from './types';
import { SandboxError } from './errors';
import { defaultWarn, type Warn } from './lifecycle';

export class SandboxPool implements AsyncDisposable {
  private readonly free: Sandbox[];
  private readonly waiters: { resolve: (s: Sandbox) => void; reject: (e: unknown) => void; signal?: AbortSignal | undefined; onAbort?: () => void }[] = [];
  private closing: Promise<void> | undefined;

  private constructor(
    readonly sandboxes: Sandbox[],
    private readonly warn: Warn,
  ) {
    this.free = [...sandboxes];
  }

  /**
   * Creates one sandbox per spec, in parallel. If any fails, the ones made are destroyed and the
   * first error is thrown. `none` gets one sandbox whatever the number of specs.
   */
  static async create(backend: SandboxBackend, specs: SandboxSpec[], options: { warn?: Warn } = {}): Promise<SandboxPool> {
    const warn = options.warn ?? defaultWarn;
    const wanted = specs.slice(0, Math.max(1, Math.min(specs.length, backend.maxSlots)));
    if (wanted.length < specs.length) warn(`the ${backend.name} backend has ${backend.maxSlots} slot(s); using ${wanted.length} of ${specs.length}`);
    const results = await Promise.allSettled(wanted.map((s) => backend.create(s)));
    const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(made.map((s) => s.destroy()));
      throw failed.reason;
    }
    return new SandboxPool(made, warn);
  }

  get size(): number {
    return this.sandboxes.length;
  }

  /** The next free sandbox; waits until one is released. */
  acquire(signal?: AbortSignal): Promise<Sandbox> {
    if (this.closing) return Promise.reject(new SandboxError('bad-spec', 'the sandbox pool is shutting down'));
    const s = this.free.shift();
    if (s) return Promise.resolve(s);
    return new Promise((resolve, reject) => {
      const w: (typeof this.waiters)[number] = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason ?? new Error('aborted'));
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.push(w);
    });
  }

  release(s: Sandbox): void {
    if (!this.sandboxes.includes(s)) throw new Error(`sandbox ${s.root} is not from this pool`);
    if (this.free.includes(s)) return;
    const w = this.waiters.shift();
    if (w) {
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve(s);
    } else {
      this.free.push(s);
    }
  }

  /** Runs fn with a sandbox of its own, released afterwards whatever happens. */
  async use<T>(fn: (s: Sandbox) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const s = await this.acquire(signal);
    try {
      return await fn(s);
    } finally {
      this.release(s);
    }
  }

  /**
   * Destroys every sandbox (in parallel). Sandboxes that refuse (busy) are reported together in
   * one error; the others are gone either way. Idempotent.
   */
  destroyAll(): Promise<void> {
    if (!this.closing) {
      for (const w of this.waiters.splice(0)) w.reject(new SandboxError('bad-spec', 'the sandbox pool is shutting down'));
      this.closing = Promise.allSettled(this.sandboxes.map((s) => s.destroy())).then((rs) => {
        const errs = rs.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        if (errs.length === 1) throw errs[0];
        if (errs.length > 1) throw new SandboxError('busy', errs.map((e) => (e instanceof Error ? e.message : String(e))).join('\n\n'));
      });
    }
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.destroyAll();
  }

  /**
   * On SIGINT or SIGTERM: tear everything down, then exit with 128 + the signal number (what a
   * shell reports). A second signal while that runs only says so. Returns the uninstaller.
   */
  teardownOnSignals(options: { exit?: (code: number) => void } = {}): () => void {
    return teardownOnSignals(() => this.destroyAll(), this.warn, options);
  }
}

/**
 * On SIGINT or SIGTERM: run destroy, then exit with 128 + the signal number (what a shell
 * reports). A second signal while that runs only says so. Returns the uninstaller.
 */
export function teardownOnSignals(destroy: () => Promise<void>, warn: Warn, options: { exit?: (code: number) => void } = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started = false;
  const handler = (sig: NodeJS.Signals) => {
    if (started) {
      warn(`${sig} again: still removing sandboxes, please wait (kill -9 leaves them for \`pkgsrc-bulk sandbox cleanup\`)`);
      return;
    }
    started = true;
    const code = 128 + (sig === 'SIGINT' ? 2 : 15);
    destroy().then(
      () => exit(code),
      (e: unknown) => {
        warn(`while removing sandboxes after ${sig}: ${e instanceof Error ? e.message : String(e)}`);
        exit(code);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
