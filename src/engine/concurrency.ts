// Bounded concurrency: runs fn over items with at most `limit` at a time, results in item
// order. Stops handing out new items once the signal is aborted.

export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<(R | undefined)[]> {
  // Dense: callers map over it, and map skips the holes of `new Array(n)`.
  const out: (R | undefined)[] = Array.from(items, () => undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return;
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
