// Per-document debouncing with cancellation: a new edit restarts the delay and aborts the work
// still running for the previous version, so only the latest text is ever checked to the end.

export type KeyedTask = (key: string, signal: AbortSignal) => Promise<void> | void;

export class KeyedDebouncer {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout | undefined; abort: AbortController }>();

  constructor(
    private readonly task: KeyedTask,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  /** Runs the task for key after delayMs, cancelling what was scheduled or running for it. */
  schedule(key: string, delayMs: number): void {
    this.cancel(key);
    const abort = new AbortController();
    const entry = { timer: undefined as NodeJS.Timeout | undefined, abort };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.run(key, entry);
    }, delayMs);
    this.pending.set(key, entry);
  }

  /** Aborts the scheduled or running task for key. */
  cancel(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.abort.abort();
    this.pending.delete(key);
  }

  /** True while a task for key is waiting or running. */
  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }

  private async run(key: string, entry: { abort: AbortController }): Promise<void> {
    try {
      await this.task(key, entry.abort.signal);
    } catch (e) {
      if (!entry.abort.signal.aborted) this.onError(key, e);
    } finally {
      if (this.pending.get(key) === entry) this.pending.delete(key);
    }
  }
}
