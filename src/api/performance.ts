/**
 * `/api/metrics/performance` (docs/API.md): per-route request counts and latency percentiles, and
 * the most recent requests. Bounded: the last 1,000 durations per route, the last 50 requests.
 */
import type { PerformancePayload, RequestRecordPayload } from './wire.js';

const KEEP_PER_ROUTE = 1000;
const KEEP_RECENT = 50;

interface RouteStats {
  count: number;
  errors: number;
  totalMs: number;
  minMs: number;
  maxMs: number;
  /** Ring buffer of the latest durations. */
  recent: Float64Array;
}

export type RequestRecord = RequestRecordPayload;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export class PerformanceLog {
  private readonly routes = new Map<string, RouteStats>();
  private readonly recent: RequestRecord[] = [];
  private total = 0;

  record(entry: RequestRecord): void {
    this.total++;
    const key = `${entry.method} ${entry.route}`;
    let stats = this.routes.get(key);
    if (!stats) {
      stats = { count: 0, errors: 0, totalMs: 0, minMs: Infinity, maxMs: 0, recent: new Float64Array(KEEP_PER_ROUTE) };
      this.routes.set(key, stats);
    }
    stats.recent[stats.count % KEEP_PER_ROUTE] = entry.duration_ms;
    stats.count++;
    if (entry.status >= 400) stats.errors++;
    stats.totalMs += entry.duration_ms;
    stats.minMs = Math.min(stats.minMs, entry.duration_ms);
    stats.maxMs = Math.max(stats.maxMs, entry.duration_ms);
    this.recent.push(entry);
    if (this.recent.length > KEEP_RECENT) this.recent.shift();
  }

  report(): PerformancePayload {
    const aggregates: PerformancePayload['aggregates'] = {};
    for (const [key, stats] of [...this.routes].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const sorted = stats.recent.slice(0, Math.min(stats.count, KEEP_PER_ROUTE)).sort();
      aggregates[key] = {
        count: stats.count,
        errors: stats.errors,
        avg_ms: round(stats.totalMs / stats.count),
        min_ms: round(stats.minMs),
        max_ms: round(stats.maxMs),
        p50_ms: round(percentile(sorted, 50)),
        p95_ms: round(percentile(sorted, 95)),
        p99_ms: round(percentile(sorted, 99)),
        total_time_s: round(stats.totalMs / 1000),
      };
    }
    return { total_requests: this.total, aggregates, recent_requests: [...this.recent].reverse() };
  }
}
