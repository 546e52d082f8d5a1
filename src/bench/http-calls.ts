/**
 * The benchmarks' HTTP client side: one timed request over an undici pool, and a phase of sequential requests
 * bounded in count and time. A response body is looked at by `check` and then dropped, so the client's heap stays
 * small and its GC out of the times.
 */
import type { Pool } from 'undici';

/** Every phase also stops at this budget: a slow server makes the run report fewer samples rather than hang. */
export const PHASE_BUDGET_MS = 120_000;

/** One figure of the API server's table in docs/BENCHMARKS.md, with its target when it has one. */
export interface Measure {
  what: string;
  value: string;
  target?: { text: string; met: boolean };
}

/** One response, its body gone. */
export interface Reply {
  ms: number;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
}

export type Check = (reply: Reply, body: Buffer) => void;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

/** A GET, or with a body a POST unless `method` says otherwise. */
export async function call(
  pool: Pool,
  path: string,
  options: { encoding?: string; body?: unknown; method?: 'PATCH' | 'PUT' | 'DELETE' | 'POST'; check?: Check } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'accept-encoding': options.encoding ?? 'identity' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await pool.request({
    path,
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const body = Buffer.from(await response.body.arrayBuffer());
  const reply = {
    ms: performance.now() - started,
    status: response.statusCode,
    headers: response.headers,
    bytes: body.length,
  };
  options.check?.(reply, body);
  return reply;
}

/** Up to `count` sequential calls of `work`, fewer if the phase runs past its budget. */
export async function repeat(count: number, work: (i: number) => Promise<Reply>): Promise<Reply[]> {
  const replies: Reply[] = [];
  const started = performance.now();
  for (let i = 0; i < count && performance.now() - started < PHASE_BUDGET_MS; i++) replies.push(await work(i));
  return replies;
}
