/**
 * What every HTTP client of tpot shares: 5xx, timeouts and connection resets are
 * retried 3 times with exponential backoff and jitter; 429 waits for Retry-After; anything else
 * fails at once. Callers throw RetryableError for what may be retried.
 */
import { backoffDelay, sleep } from './retry.js';
import { TpotError } from './errors.js';

export class RetryableError extends Error {
  constructor(
    message: string,
    /** From a 429's Retry-After: wait exactly this long instead of the backoff. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'RetryableError';
  }
}

/** A request that failed for good after its retries. */
export class HttpGaveUpError extends TpotError {
  constructor(message: string) {
    super('network', message);
  }
}

export interface HttpRetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay; each retry doubles it. */
  baseMs: number;
  /** Longest Retry-After honoured (default 5 min); a longer one gives up with the wait in the message. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal | undefined;
  onRetry?: (error: RetryableError, attempt: number, delayMs: number) => void;
}

export async function withHttpRetry<T>(attempt: () => Promise<T>, options: HttpRetryOptions): Promise<T> {
  const retries = options.retries ?? 3;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 300_000;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      if (error.retryAfterMs !== null && error.retryAfterMs > maxRetryAfterMs) {
        throw new HttpGaveUpError(
          `${error.message}: the server asks to wait ${Math.round(error.retryAfterMs / 1000)} s; try again later`,
        );
      }
      if (tries >= retries) throw new HttpGaveUpError(`${error.message} (gave up after ${retries + 1} attempts)`);
      const delay = error.retryAfterMs ?? backoffDelay(tries + 1, options.baseMs);
      options.onRetry?.(error, tries + 1, delay);
      await sleep(delay, options.signal);
    }
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function describeNetworkError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'no data within the timeout';
  return code ? `${code}: ${message ?? ''}`.trim() : (message ?? String(error));
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
