// The worker thread of a parallel first index (bundled on its own as dist/tree-worker.js). It
// takes chunks of the package list from a counter shared with the main thread and the other
// workers, reads them as the main thread would (src/pkgsrc/tree/load.ts) and posts each chunk
// back as the JSON of its packed rows (src/pkgsrc/tree/pack.ts), cheaper for the main thread
// to take in than the objects themselves (a structured clone) would be.
import { parentPort, workerData } from 'node:worker_threads';
import { packPackage } from './pack';
import { readPackageBatch } from './load';
import type { CommonFile } from './package';
import type { ReadOptions, TextFile } from './read';
import type { PackedPackage } from './pack';
import type { ChunkMessage, WorkerJob, WorkerMessage, WorkerSetup } from './wire';

const setup = workerData as WorkerSetup;
const commons = new Map<string, CommonFile>();

async function run(job: WorkerJob): Promise<void> {
  const next = new Int32Array(job.counter);
  const options: ReadOptions = setup.options;
  for (;;) {
    const c = Atomics.add(next, 0, 1);
    const from = c * job.chunk;
    if (from >= job.paths.length) break;
    const to = Math.min(job.paths.length, from + job.chunk);
    const indexes: number[] = [];
    const rows: PackedPackage[] = [];
    const unread: [number, TextFile][] = [];
    await readPackageBatch(setup.root, job.paths, from, to, commons, options, {
      built: (i, info) => {
        indexes.push(i);
        rows.push(packPackage(info));
      },
      unread: (i, f) => unread.push([i, { file: f.file, missing: f.missing, problems: f.problems }]),
    });
    const msg: ChunkMessage = { kind: 'chunk', chunk: c, indexes, rows: JSON.stringify(rows), unread };
    parentPort!.postMessage(msg);
  }
  parentPort!.postMessage({ kind: 'done' } satisfies WorkerMessage);
}

parentPort!.on('message', (job: WorkerJob) => {
  run(job).catch((e: unknown) => {
    // Reported and left to the main thread, which reads the chunks this worker did not finish.
    parentPort!.postMessage({ kind: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
  });
});
