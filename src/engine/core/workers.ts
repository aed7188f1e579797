// Who builds the packages the build loop hands out: the engine's own sandbox slots, or the
// clients of a build master on other hosts. The loop takes a free worker, gives it a package
// and records the outcome; a worker that went away mid-package ('lost') gets its package put
// back in the queue, as pbulk's master does.
import type { BuildJob } from '../builder/job';
import { PackageBuild, type BuildObserver, type BuildOutcome } from '../builder/builder';
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';

export type WorkerOutcome = BuildOutcome | { kind: 'lost'; message: string };

export interface BuildWorker {
  /** Numbers the slots of a run (the timeline's lanes). */
  readonly slot: number;
  /** The client host, for a remote worker. */
  readonly host?: string;
  build(job: BuildJob, obs: BuildObserver, signal: AbortSignal): Promise<WorkerOutcome>;
}

export interface WorkerPool {
  /** A worker free now, or undefined. */
  take(): BuildWorker | undefined;
  /** Hands back a worker that got no package or finished one. */
  release(w: BuildWorker): void;
  /** Resolves when take() may have something new (a client asked for work, or left). */
  changed(): Promise<void>;
  /** True when workers come and go (clients): the loop waits for them instead of ending. */
  readonly dynamic: boolean;
  /** Set when no worker can ever come (a build master's start script failed). */
  readonly error?: Error | undefined;
}

/** The engine's own sandboxes, one package each at a time. */
export function localWorkers(cfg: EngineConfig, slots: readonly Sandbox[]): WorkerPool {
  const workers: BuildWorker[] = slots.map((sandbox, index) => ({
    slot: index,
    build: (job, obs, signal) => new PackageBuild(cfg, { sandbox, index }, job, obs, signal).run(),
  }));
  const free = [...workers];
  return {
    dynamic: false,
    take: () => free.shift(),
    release: (w) => {
      free.push(w);
    },
    changed: () => new Promise<void>(() => undefined),
  };
}
