/** Small concurrency helpers: a mutex for the single writer, and a bounded worker pool. */

export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every earlier call has finished. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Calls `work` on each item with at most `limit` in flight; `shouldStop` ends the pool early. */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !shouldStop()) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
