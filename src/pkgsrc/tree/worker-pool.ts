// A first index split over worker threads. Starting a worker costs tens of milliseconds, so
// the workers are started as soon as a large read is likely and the main thread does not wait
// for them: it reads too, taking chunks from the same shared counter, so a worker that starts
// late (or never gets a core) only takes less. A worker that fails leaves its chunks to the
// main thread. Workers are used for one read and then stopped.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { unpackPackage } from './pack';
import type { ReadOptions, TextFile } from './read';
import type { PackageInfo } from './types';
import type { ChunkMessage, WorkerJob, WorkerMessage, WorkerSetup } from './wire';

/** node:worker_threads, loaded when a pool starts: most uses of the model start none. */
function workerThreads(): typeof import('node:worker_threads') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node:worker_threads') as typeof import('node:worker_threads');
}

export interface WorkerOptions {
  /** The bundled worker (default: tree-worker.js beside this bundle; none: no workers). */
  script?: string;
  /**
   * Worker threads besides the main thread. Default: two fewer than the cores, at most 2 (none
   * on 2 cores: V8's own compiler and garbage collector threads already keep about half of
   * the second core busy during a first index, and a worker adds more CPU than it saves).
   */
  count?: number;
  /** Fewer Makefiles to read than this are read on the main thread alone. Default 2000. */
  minPackages?: number;
  /** Packages per chunk. Default 250. */
  chunk?: number;
}

export interface ChunkSink {
  /** Reads paths[from..to) on this thread. */
  local(from: number, to: number): Promise<void>;
  built(i: number, info: PackageInfo): void;
  unread(i: number, f: TextFile): void;
}

/** How a parallel read went: threads started and who read how many chunks. */
export interface ParallelStats {
  workers: number;
  chunks: number;
  /** Chunks read by workers (the rest by the main thread). */
  byWorkers: number;
}

function workerScript(opts: WorkerOptions): string | undefined {
  const script = opts.script ?? join(__dirname, 'tree-worker.js');
  return existsSync(script) ? script : undefined;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  /** Workers that may still deliver: started, not done, not failed. */
  private readonly live = new Set<Worker>();
  private used = false;
  /** Called when a worker delivers, finishes or fails, while a read waits for them. */
  private changed?: () => void;

  private constructor(
    private readonly root: string,
    private readonly chunkSize: number,
  ) {}

  /** Starts the workers, or returns undefined when there is no worker script or no core for one. */
  static start(root: string, options: ReadOptions, opts: WorkerOptions): WorkerPool | undefined {
    const script = workerScript(opts);
    const count = opts.count ?? Math.min(2, availableParallelism() - 2);
    if (script === undefined || count < 1) return undefined;
    const pool = new WorkerPool(root, opts.chunk ?? 250);
    const setup: WorkerSetup = {
      root,
      options: {
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        ...(options.slowFileMs !== undefined ? { slowFileMs: options.slowFileMs } : {}),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      },
    };
    for (let k = 0; k < count; k++) {
      let w: Worker;
      try {
        w = new (workerThreads().Worker)(script, { workerData: setup });
      } catch {
        continue;
      }
      // Listened to from the start: an 'error' nobody listens to would be thrown.
      w.on('error', () => pool.gone(w));
      w.on('exit', () => pool.gone(w));
      pool.workers.push(w);
      pool.live.add(w);
    }
    return pool.workers.length > 0 ? pool : undefined;
  }

  /** Reads every path once, on the workers and on this thread; each package goes to `sink`. */
  async read(paths: readonly string[], sink: ChunkSink): Promise<ParallelStats> {
    if (this.used) throw new Error('WorkerPool.read: a pool serves one read');
    this.used = true;
    const size = this.chunkSize;
    const chunks = Math.ceil(paths.length / size);
    const counter = new SharedArrayBuffer(4);
    const next = new Int32Array(counter);
    const delivered = new Uint8Array(chunks);
    let missing = chunks;
    let byWorkers = 0;
    let wake: (() => void) | undefined;
    const settle = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    this.changed = settle;
    const mark = (c: number) => {
      if (delivered[c] === 0) {
        delivered[c] = 1;
        missing--;
      }
    };
    const job: WorkerJob = { paths, chunk: size, counter };
    for (const w of this.workers) {
      w.on('message', (m: WorkerMessage) => {
        if (m.kind === 'chunk') {
          if (delivered[m.chunk] === 0 && this.take(m, sink)) {
            mark(m.chunk);
            byWorkers++;
          }
          settle();
        } else {
          this.gone(w);
        }
      });
      w.postMessage(job);
    }
    for (;;) {
      const c = Atomics.add(next, 0, 1);
      if (c >= chunks) break;
      await sink.local(c * size, Math.min(paths.length, (c + 1) * size));
      mark(c);
    }
    while (missing > 0 && this.live.size > 0) await new Promise<void>((r) => (wake = r));
    // What a failed worker had claimed and not delivered.
    for (let c = 0; c < chunks && missing > 0; c++) {
      if (delivered[c] === 0) {
        await sink.local(c * size, Math.min(paths.length, (c + 1) * size));
        mark(c);
      }
    }
    return { workers: this.workers.length, chunks, byWorkers };
  }

  private gone(w: Worker): void {
    this.live.delete(w);
    this.changed?.();
  }

  /** Hands a chunk's packages to the sink; false when the message does not decode. */
  private take(m: ChunkMessage, sink: ChunkSink): boolean {
    let rows: unknown;
    try {
      rows = JSON.parse(m.rows);
    } catch {
      return false;
    }
    if (!Array.isArray(rows) || rows.length !== m.indexes.length) return false;
    const infos: PackageInfo[] = [];
    for (const row of rows) {
      const info = unpackPackage(this.root, row);
      if (info === undefined) return false;
      infos.push(info);
    }
    for (let k = 0; k < infos.length; k++) sink.built(m.indexes[k]!, infos[k]!);
    for (const [i, f] of m.unread) sink.unread(i, f);
    return true;
  }

  close(): void {
    this.changed = undefined;
    for (const w of this.workers) {
      w.removeAllListeners('message');
      void w.terminate();
    }
    this.live.clear();
  }
}
