/**
 * The server's two caches (docs/API.md, "Caches"), both `lru-cache` keyed by the
 * canonical JSON of their parameters:
 *
 * - the graph cache (100 entries, 1 h): analysed graphs, `/api/graph-data` payloads and base
 *   metrics, each under a prefix naming its kind (`graph`, `graph_data`, `base_metrics`, …). Keys
 *   are kept readable — `<prefix>:<canonical JSON>` — so that invalidating one prefix works (the
 *   original hashed its keys, and prefix invalidation never matched anything);
 * - the response cache (100 entries, 5 min): whole `/api/metrics/compute` bodies.
 *
 * Both count hits, misses, evictions and expirations for their stats endpoints.
 */
import { LRUCache } from 'lru-cache';

/** JSON with object keys sorted at every level: equal parameters give equal keys. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

interface Entry<T> {
  value: T;
  createdAt: number;
  accessCount: number;
  computationMs: number;
}

export interface CacheOptions {
  max: number;
  ttlMs: number;
  /** Bounds memory as well as entries: analysed 95,000-node graphs weigh tens of MB each. */
  maxBytes?: number;
}

export interface CacheLookup<T> {
  value: T;
  status: 'HIT' | 'MISS';
}

export class ApiCache<T extends object> {
  private readonly lru: LRUCache<string, Entry<T>>;
  private counters = { hits: 0, misses: 0, evictions: 0, expirations: 0, computationMs: 0 };
  private readonly inflight = new Map<string, Promise<T>>();
  /** Bumped by every invalidation, so results computed before it are not stored after it. */
  private epoch = 0;

  constructor(
    private readonly options: CacheOptions,
    /** Approximate bytes of a value, when `maxBytes` is set. */
    private readonly sizeOf: (value: T) => number = () => 1,
  ) {
    this.lru = new LRUCache<string, Entry<T>>({
      max: options.max,
      ttl: options.ttlMs,
      ...(options.maxBytes
        ? { maxSize: options.maxBytes, sizeCalculation: (entry: Entry<T>) => Math.max(1, this.sizeOf(entry.value)) }
        : {}),
      dispose: (_entry, _key, reason) => {
        if (reason === 'evict') this.counters.evictions++;
        else if (reason === 'expire') this.counters.expirations++;
      },
    });
  }

  static key(prefix: string, params: unknown): string {
    return `${prefix}:${canonicalJson(params)}`;
  }

  /**
   * The cached value, or `compute()`'s result stored under the key; says which. Concurrent misses
   * of one key share one computation. A result computed across an `invalidate()` is returned to
   * its callers but not stored: it may be built from data that has just changed.
   */
  async getOrCompute(prefix: string, params: unknown, compute: () => T | Promise<T>): Promise<CacheLookup<T>> {
    const key = ApiCache.key(prefix, params);
    const entry = this.lru.get(key);
    if (entry) {
      this.counters.hits++;
      entry.accessCount++;
      return { value: entry.value, status: 'HIT' };
    }
    this.counters.misses++;
    let pending = this.inflight.get(key);
    if (!pending) {
      const epoch = this.epoch;
      const started = performance.now();
      pending = (async () => {
        try {
          const value = await compute();
          const computationMs = performance.now() - started;
          this.counters.computationMs += computationMs;
          if (epoch === this.epoch) this.lru.set(key, { value, createdAt: Date.now(), accessCount: 0, computationMs });
          return value;
        } finally {
          this.inflight.delete(key);
        }
      })();
      this.inflight.set(key, pending);
    }
    return { value: await pending, status: 'MISS' };
  }

  /** Drops every entry (`prefix` null) or those of one kind; returns how many went. */
  invalidate(prefix: string | null = null): number {
    this.epoch++;
    if (prefix === null) {
      const n = this.lru.size;
      this.lru.clear();
      return n;
    }
    let n = 0;
    for (const key of [...this.lru.keys()]) {
      if (key.startsWith(`${prefix}:`)) {
        this.lru.delete(key);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.lru.size;
  }

  stats() {
    const { hits, misses, evictions, expirations, computationMs } = this.counters;
    const now = Date.now();
    const entries = [...this.lru.entries()]
      .sort(([, a], [, b]) => b.accessCount - a.accessCount)
      .slice(0, 10)
      .map(([key, entry]) => ({
        key: key.length > 120 ? `${key.slice(0, 117)}...` : key,
        prefix: key.slice(0, key.indexOf(':')),
        age_seconds: Math.round((now - entry.createdAt) / 1000),
        access_count: entry.accessCount,
        computation_ms: Math.round(entry.computationMs * 10) / 10,
      }));
    return {
      size: this.lru.size,
      max_size: this.options.max,
      ttl_seconds: this.options.ttlMs / 1000,
      hits,
      misses,
      evictions,
      expirations,
      hit_rate: hits + misses === 0 ? 0 : Math.round((1000 * hits) / (hits + misses)) / 1000,
      total_computation_ms: Math.round(computationMs),
      ...(this.options.maxBytes ? { approx_bytes: this.lru.calculatedSize, max_bytes: this.options.maxBytes } : {}),
      entries,
    };
  }
}
