/** The API's caches (docs/API.md, "Caches"): keys, prefixes, stats, shared computations, invalidation races. */
import { describe, expect, it } from 'vitest';
import { ApiCache, canonicalJson } from './caches.js';

describe('ApiCache', () => {
  it('keys by canonical JSON: the same parameters in another key order hit', async () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    const cache = new ApiCache<{ n: number }>({ max: 10, ttlMs: 60_000 });
    let computed = 0;
    const compute = () => ({ n: ++computed });
    expect((await cache.getOrCompute('graph', { x: 1, y: 2 }, compute)).status).toBe('MISS');
    const again = await cache.getOrCompute('graph', { y: 2, x: 1 }, compute);
    expect([again.status, again.value.n, computed]).toEqual(['HIT', 1, 1]);
    expect(cache.stats()).toMatchObject({ size: 1, hits: 1, misses: 1, hit_rate: 0.5 });
  });

  it('invalidates everything or one prefix, and counts evictions', async () => {
    const cache = new ApiCache<object>({ max: 3, ttlMs: 60_000 });
    for (const prefix of ['graph', 'graph_data', 'graph_data'])
      await cache.getOrCompute(prefix, { i: Math.random() }, () => ({}));
    expect(cache.invalidate('graph_data')).toBe(2);
    expect(cache.invalidate('graph_dat')).toBe(0);
    expect(cache.size).toBe(1);
    for (let i = 0; i < 4; i++) await cache.getOrCompute('graph', { i }, () => ({}));
    expect(cache.stats().evictions).toBe(2);
    expect(cache.invalidate()).toBe(3);
  });

  it('shares one computation among concurrent misses; keeps no result computed across an invalidation', async () => {
    const cache = new ApiCache<{ n: number }>({ max: 10, ttlMs: 60_000 });
    let computed = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async () => {
      computed++;
      await gate;
      return { n: computed };
    };
    const a = cache.getOrCompute('graph', { k: 1 }, slow);
    const b = cache.getOrCompute('graph', { k: 1 }, slow);
    cache.invalidate(); // the data changed while computing
    release();
    expect((await a).value).toBe((await b).value);
    expect(computed).toBe(1);
    expect(cache.size).toBe(0);
    expect((await cache.getOrCompute('graph', { k: 1 }, slow)).status).toBe('MISS');
    expect(cache.size).toBe(1);
  });

  it('a failed computation is not cached and reaches every waiting caller', async () => {
    const cache = new ApiCache<object>({ max: 10, ttlMs: 60_000 });
    const failing = async () => {
      throw new Error('database is locked');
    };
    await expect(
      Promise.all([cache.getOrCompute('graph', {}, failing), cache.getOrCompute('graph', {}, failing)]),
    ).rejects.toThrow('database is locked');
    expect(cache.size).toBe(0);
    expect((await cache.getOrCompute('graph', {}, () => ({ ok: true }))).value).toEqual({ ok: true });
  });

  it('expires entries after the TTL', async () => {
    const cache = new ApiCache<object>({ max: 10, ttlMs: 20 });
    await cache.getOrCompute('graph', {}, () => ({}));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect((await cache.getOrCompute('graph', {}, () => ({}))).status).toBe('MISS');
    expect(cache.stats().expirations).toBe(1);
  });
});
