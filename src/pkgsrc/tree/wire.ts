// What the main thread and the index workers say to each other (src/pkgsrc/tree/worker-pool.ts and
// worker.ts).
import type { ReadOptions, TextFile } from './read';

/** workerData of every index worker. */
export interface WorkerSetup {
  root: string;
  options: ReadOptions;
}

/** The one job a worker gets: chunks of `paths`, claimed through the shared counter. */
export interface WorkerJob {
  paths: readonly string[];
  chunk: number;
  /** An Int32Array's buffer: the next chunk to claim, for every thread alike. */
  counter: SharedArrayBuffer;
}

/** One chunk read: `rows` is the JSON of the packed packages of `indexes` (into the job's paths). */
export interface ChunkMessage {
  kind: 'chunk';
  chunk: number;
  indexes: number[];
  rows: string;
  unread: [number, TextFile][];
}

export type WorkerMessage = ChunkMessage | { kind: 'done' } | { kind: 'failed'; message: string };
