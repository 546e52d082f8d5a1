/**
 * Waiting between attempts. HTTP retries use exponential backoff with jitter;
 * database retries use the fixed 2 s, 4 s, 8 s schedule (src/db/retry.ts).
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return sleepTimer(ms, undefined, signal ? { signal } : undefined);
}

/** Delay before retry `attempt` (1-based): base·2^(attempt-1), plus up to 25 % random jitter. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exact = baseMs * 2 ** (attempt - 1);
  return Math.round(exact + exact * 0.25 * random());
}
