/**
 * Retry of transient database errors: SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR and
 * "database is locked" are retried 3 times after 2 s, 4 s and 8 s. SQLITE_FULL is not transient:
 * it becomes DiskFullError so the caller stops the whole run with nothing half-written.
 * The original only retried one exception class that never occurred.
 */
import { sleep } from '../retry.js';
import { TpotError } from '../errors.js';

export const DB_RETRY_DELAYS_MS: readonly number[] = [2_000, 4_000, 8_000];

export class DiskFullError extends TpotError {
  constructor(cause: unknown) {
    super(
      'database',
      'The disk holding the database is full (SQLITE_FULL): free some space, then run the same command again; ' +
        'nothing half-written was kept.',
      { cause },
    );
  }
}

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

export function isTransientDbError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as SqliteLikeError;
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR)/.test(code)) return true;
  return typeof message === 'string' && /database is locked|disk I\/O error/i.test(message);
}

export function isDiskFullError(error: unknown): boolean {
  const { code } = (error ?? {}) as SqliteLikeError;
  return code === 'SQLITE_FULL';
}

export interface DbRetryOptions {
  delaysMs?: readonly number[];
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `work`, retrying transient database errors on the fixed schedule. */
export async function withDbRetry<T>(work: () => T, options: DbRetryOptions = {}): Promise<T> {
  const delays = options.delaysMs ?? DB_RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return work();
    } catch (error) {
      if (isDiskFullError(error)) throw new DiskFullError(error);
      const delay = delays[attempt];
      if (!isTransientDbError(error) || delay === undefined) throw error;
      options.onRetry?.(error, attempt + 1, delay);
      await sleep(delay);
    }
  }
}
