/**
 * The API server over real HTTP on 127.0.0.1 (docs/API.md): every endpoint's happy path and its
 * errors, the caches, validation, safety. The data is the demo community imported through the
 * real importer, with a few shadow accounts, and a snapshot written by the real refresh.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { baseMetrics, seedMetrics } from '../graph/analysis.js';
import { buildGraph } from '../graph/build.js';
import { createRng } from '../rng.js';
import { createApiFixture, startFixtureServer, type ApiFixture } from '../testing/api-fixture.js';
import { tempDir } from '../testing/fixtures.js';
import type { RunningServer } from './serve.js';
import { UnsafeBindError } from './serve.js';
import type {
  AccountPayload,
  BaseMetricsPayload,
  CacheCountersPayload,
  CacheInvalidatePayload,
  GraphCacheStatsPayload,
  PerformancePayload,
  ComputePayload,
  ErrorPayload,
  GraphDataPayload,
  HealthPayload,
  SearchPayload,
  SeedChangePayload,
  SeedStatePayload,
} from './wire.js';
import type { SystemStatus } from '../ops/status.js';

/** A response; `json` is the parsed body read as `T` (a type from wire.ts), null when the body is not JSON. */
interface Answer<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
  text: string;
  json: T;
}

async function call<T>(
  base: string,
  method: 'GET' | 'POST' | 'OPTIONS',
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await request(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (compressed bodies, exports)
  }
  return { status: response.statusCode, headers: response.headers, bytes, text, json: json as T };
}

describe('API server', () => {
  let dir: ReturnType<typeof tempDir>;
  let fixture: ApiFixture;
  let server: RunningServer;
  let base: string;
  const get = <T = ErrorPayload>(path: string, headers?: Record<string, string>) =>
    call<T>(base, 'GET', path, headers ? { headers } : {});
  const post = <T = ErrorPayload>(path: string, body?: unknown, headers?: Record<string, string>) =>
    call<T>(base, 'POST', path, { ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });

  beforeAll(async () => {
    dir = tempDir();
    fixture = await createApiFixture(dir.path);
    server = await startFixtureServer(fixture);
    base = server.url;
  });
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });

  describe('GET /health', () => {
    it('answers {"status":"ok"} with the database, snapshot and cache facts, and X-Response-Time', async () => {
      const answer = await get<HealthPayload>('/health');
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        status: 'ok',
        database: { present: true, demo: true },
        snapshot: { present: true, used_for_default_view: true },
        warnings: [],
      });
      expect(answer.headers['x-response-time']).toMatch(/^\d+(\.\d+)?ms$/);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it('says when the database and snapshot are missing; graph endpoints answer 503 with what to run', async () => {
      const empty = tempDir();
      const bare = await startFixtureServer({ root: empty.path, dataDir: join(empty.path, 'data') });
      try {
        const health = await call<HealthPayload>(bare.url, 'GET', '/health');
        expect(health.status).toBe(200);
        expect(health.json).toMatchObject({ status: 'ok', database: { present: false }, snapshot: { present: false } });
        expect(health.json.warnings.join(' ')).toMatch(/No database at .*npx tpot start/);
        const graph = await call<ErrorPayload>(bare.url, 'GET', '/api/graph-data');
        expect(graph.status).toBe(503);
        expect(graph.json.message).toMatch(/npx tpot start/);
        expect((await call(bare.url, 'POST', '/api/metrics/compute', { body: {} })).status).toBe(503);
        expect((await call<SystemStatus>(bare.url, 'GET', '/api/status')).json.database.present).toBe(false);
      } finally {
        await bare.close();
        empty.remove();
      }
    });
  });

  describe('GET /api/graph-data', () => {
    it('is compact: column arrays, edges as indexes into the node table, with mutual and shadow flags', async () => {
      const answer = await get<GraphDataPayload>('/api/graph-data');
      expect(answer.status).toBe(200);
      const data = answer.json;
      const db = openDatabase(fixture.dbPath, { readonly: true });
      const built = buildGraph(db, { includeShadow: true });
      db.close();
      expect(data).toMatchObject({
        source: 'snapshot',
        directed_nodes: built.graph.nodeCount,
        directed_edges: built.graph.edgeCount,
        provenances: ['archive', 'shadow', 'mentioned', 'id'],
        has_layout: true,
      });
      const n = data.directed_nodes;
      for (const column of [
        'id',
        'username',
        'display_name',
        'num_followers',
        'provenance',
        'shadow',
        'community',
        'x',
        'y',
        'in_degree',
      ])
        expect(data.nodes[column as keyof GraphDataPayload['nodes']]).toHaveLength(n);
      expect(data.nodes.id.every((id: unknown) => typeof id === 'string')).toBe(true);
      expect(data.edges.source).toHaveLength(data.directed_edges);
      expect(data.edges.source.every((i: number) => Number.isInteger(i) && i >= 0 && i < n)).toBe(true);
      const pairs = new Set(data.edges.source.map((s: number, k: number) => `${s}>${data.edges.target[k]}`));
      data.edges.source.forEach((s: number, k: number) =>
        expect(data.edges.mutual[k]).toBe(pairs.has(`${data.edges.target[k]}>${s}`) ? 1 : 0),
      );
      // The fixture's three shadow edges (shadowfox follows the first account and back, shadowmoth the second).
      const shadowIndex = data.nodes.username.indexOf('shadowfox');
      expect(data.nodes.shadow[shadowIndex]).toBe(1);
      const shadowEdges = data.edges.shadow.filter((flag: number) => flag === 1).length;
      expect(shadowEdges).toBe(3);
      expect(data.nodes.x!.every((x) => typeof x === 'number')).toBe(true);
    });

    it('is compressed with brotli or gzip, and a repeat is a cache HIT', async () => {
      const identity = await get<GraphDataPayload>('/api/graph-data');
      const br = await get<GraphDataPayload>('/api/graph-data', { 'accept-encoding': 'br' });
      const gzip = await get<GraphDataPayload>('/api/graph-data', { 'accept-encoding': 'gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(br.headers['x-cache-status']).toBe('HIT');
      expect(brotliDecompressSync(br.bytes).toString()).toBe(identity.text);
      expect(gunzipSync(gzip.bytes).toString()).toBe(identity.text);
      expect(gzip.bytes.length).toBeLessThan(identity.bytes.length / 3);
    });

    it('applies the filters: mutual_only keeps mutual edges, min_followers drops the tail, shadow out', async () => {
      const mutual = (await get<GraphDataPayload>('/api/graph-data?mutual_only=true')).json;
      expect(mutual.source).toBe('live_build');
      expect(mutual.edges.mutual.every((m: number) => m === 1)).toBe(true);
      const popular = (await get<GraphDataPayload>('/api/graph-data?min_followers=3')).json;
      expect(popular.nodes.in_degree.every((d: number) => d >= 3)).toBe(true);
      const noShadow = (await get<GraphDataPayload>('/api/graph-data?include_shadow=false')).json;
      expect(noShadow.nodes.shadow.every((s: number) => s === 0)).toBe(true);
      expect(noShadow.nodes.username).not.toContain('shadowfox');
      // Positions are borrowed from the snapshot for a live build.
      expect(popular.has_layout).toBe(true);
      expect(popular.interactions).toBeNull();
    });

    it('adds who talks with whom with include_interactions, as the engine builds it', async () => {
      const answer = (await get<GraphDataPayload>('/api/graph-data?include_interactions=true')).json;
      expect(answer.filters.include_interactions).toBe(true);
      const db = openDatabase(fixture.dbPath, { readonly: true });
      const built = buildGraph(db, { includeInteractions: true });
      const engagement = baseMetrics(built).engagement;
      db.close();
      const layer = built.interactions!;
      const pairs = answer.interactions!;
      expect(pairs.source).toHaveLength(layer.pairCount);
      expect(layer.pairCount).toBeGreaterThan(50);
      expect(answer.nodes.id).toEqual(built.graph.ids);
      // Each pair once, the lower index first; bit k is interaction_kinds[k].
      expect(pairs.source.every((u, k) => u < pairs.target[k]!)).toBe(true);
      expect(answer.interaction_kinds).toEqual(['mention', 'reply', 'quote', 'retweet', 'like']);
      expect(pairs.kinds.every((bits) => bits > 0 && bits < 32)).toBe(true);
      const strength = new Float64Array(built.graph.nodeCount);
      pairs.source.forEach((u, k) => {
        strength[u]! += pairs.weight[k]!;
        strength[pairs.target[k]!]! += pairs.weight[k]!;
      });
      // Engagement is the interaction strength; the wire's weights carry 3 decimals.
      const busiest = engagement.indexOf(Math.max(...engagement));
      expect(strength[busiest]).toBeCloseTo(engagement[busiest]!, 1);
    });

    it('rejects bad filters with 400 naming the field', async () => {
      for (const [query, field] of [
        ['min_followers=-1', 'min_followers'],
        ['min_followers=abc', 'min_followers'],
        ['min_followers=99999999', 'min_followers'],
        ['include_shadow=maybe', 'include_shadow'],
        ['mutual_only=', 'mutual_only'],
        ['include_interactions=sometimes', 'include_interactions'],
        ['bogus=1', 'bogus'],
      ]) {
        const answer = await get(`/api/graph-data?${query}`);
        expect(answer.status, query).toBe(400);
        expect(answer.json.field, query).toBe(field);
      }
    });
  });

  describe('POST /api/metrics/compute and /api/metrics/base', () => {
    it("gives the original's shape, equal to the engine's own figures, and reports unknown seeds", async () => {
      const [a, b] = fixture.demo.accounts;
      const answer = await post<ComputePayload>('/api/metrics/compute', {
        seeds: [`@${a!.username.toUpperCase()}`, b!.accountId, 'nobody_here'],
        weights: [0.5, 0.25, 0.25],
        alpha: 0.9,
      });
      expect(answer.status).toBe(200);
      const body = answer.json;
      expect(body.resolved_seeds.sort()).toEqual([a!.accountId, b!.accountId].sort());
      expect(body.unknown_seeds).toEqual(['nobody_here']);
      expect(Object.keys(body.metrics)).toEqual(['pagerank', 'betweenness', 'engagement', 'composite', 'communities']);
      expect(body.top.composite).toHaveLength(20);

      const db = openDatabase(fixture.dbPath, { readonly: true });
      const built = buildGraph(db, { includeShadow: true });
      db.close();
      const base = baseMetrics(built);
      const seeded = seedMetrics(built, base, {
        seeds: [a!.accountId, b!.accountId],
        alpha: 0.9,
        weights: [0.5, 0.25, 0.25],
      });
      built.graph.ids.forEach((id, i) => {
        // The API writes 8 significant digits.
        expect(Math.abs(body.metrics.pagerank[id]! - seeded.pagerank[i]!)).toBeLessThanOrEqual(
          seeded.pagerank[i]! * 1e-7,
        );
        expect(Math.abs(body.metrics.composite[id]! - seeded.composite[i]!)).toBeLessThanOrEqual(
          seeded.composite[i]! * 1e-7,
        );
        expect(body.metrics.communities[id]).toBe(base.communities.membership[i]);
      });
      const scores = body.top.pagerank.map(([, score]: [string, number]) => score);
      expect(scores).toEqual([...scores].sort((x: number, y: number) => y - x));
    });

    it('is a MISS then a HIT, also for the same seeds in another order; the metrics cache can be cleared', async () => {
      const [a, b] = fixture.demo.accounts;
      const first = await post<ComputePayload>('/api/metrics/compute', { seeds: [a!.username, b!.username] });
      const second = await post<ComputePayload>('/api/metrics/compute', { seeds: [b!.username, a!.username] });
      expect([first.headers['x-cache-status'], second.headers['x-cache-status']]).toEqual(['MISS', 'HIT']);
      expect(second.text).toBe(first.text);
      const stats = (await get<CacheCountersPayload>('/api/metrics/cache/stats')).json;
      expect(stats).toMatchObject({ max_size: 100, ttl_seconds: 300 });
      expect(stats.hits).toBeGreaterThanOrEqual(1);
      const cleared = await post('/api/metrics/cache/clear');
      expect(cleared.json).toMatchObject({ status: 'cleared', message: 'Metrics cache cleared successfully' });
      expect((await get<CacheCountersPayload>('/api/metrics/cache/stats')).json.size).toBe(0);
      expect(
        (await post<ComputePayload>('/api/metrics/compute', { seeds: [a!.username, b!.username] })).headers[
          'x-cache-status'
        ],
      ).toBe('MISS');
    });

    it('base metrics are arrays aligned with the graph-data node table, without the composite', async () => {
      const [a] = fixture.demo.accounts;
      const graph = (await get<GraphDataPayload>('/api/graph-data')).json;
      const baseAnswer = await post<BaseMetricsPayload>('/api/metrics/base', { seeds: [a!.username] });
      const compute = (await post<ComputePayload>('/api/metrics/compute', { seeds: [a!.username] })).json;
      const body = baseAnswer.json;
      expect(body.graph_version).toBe(graph.version);
      expect(Object.keys(body.metrics).sort()).toEqual(['betweenness', 'communities', 'engagement', 'pagerank']);
      expect(body.metrics.pagerank).toHaveLength(graph.directed_nodes);
      graph.nodes.id.forEach((id: string, i: number) => {
        expect(body.metrics.pagerank[i]).toBe(compute.metrics.pagerank[id]);
        expect(body.metrics.communities[i]).toBe(graph.nodes.community[i]);
      });
      expect(
        (await post<BaseMetricsPayload>('/api/metrics/base', { seeds: [a!.username] })).headers['x-cache-status'],
      ).toBe('HIT');
    });

    it('rejects malformed and out-of-range bodies with 400 naming the field, and caps the seed list', async () => {
      const cases: [unknown, string][] = [
        [{ weights: [1, 2] }, 'weights'],
        [{ weights: [0, 0, 0] }, 'weights'],
        [{ weights: [1, -1, 1] }, 'weights.1'],
        [{ alpha: 1.5 }, 'alpha'],
        [{ alpha: 'x' }, 'alpha'],
        [{ resolution: 0 }, 'resolution'],
        [{ min_followers: 1.5 }, 'min_followers'],
        [{ include_shadow: 'yes' }, 'include_shadow'],
        [{ seeds: ['fine', 'bad handle!'] }, 'seeds.1'],
        [{ seeds: 'alice' }, 'seeds'],
        [{ seeds: Array.from({ length: 501 }, (_, i) => `user${i}`) }, 'seeds'],
        [{ sedes: ['typo'] }, 'sedes'],
        [[1, 2], 'body'],
      ];
      for (const [body, field] of cases) {
        const answer = await post('/api/metrics/compute', body);
        expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(400);
        expect(answer.json.field, JSON.stringify(body).slice(0, 60)).toBe(field);
        expect(answer.json.message).toContain(field);
      }
      const garbled = await call(base, 'POST', '/api/metrics/compute', { raw: '{"seeds": [' });
      expect(garbled.status).toBe(400);
      expect(garbled.json).toMatchObject({ field: 'body' });
    });
  });

  describe('graph cache', () => {
    it('has stats, and invalidate clears everything with {} or one kind with a prefix', async () => {
      await get<GraphDataPayload>('/api/graph-data');
      const stats = (await get<GraphCacheStatsPayload>('/api/cache/stats')).json;
      expect(stats).toMatchObject({ max_size: 100, ttl_seconds: 3600 });
      expect(stats.entries.map((e) => e.prefix)).toEqual(expect.arrayContaining(['graph', 'graph_data']));
      const one = await post<CacheInvalidatePayload>('/api/cache/invalidate', { prefix: 'graph_data' });
      expect(one.json.prefix).toBe('graph_data');
      expect(one.json.invalidated).toBeGreaterThanOrEqual(1);
      const left = (await get<GraphCacheStatsPayload>('/api/cache/stats')).json.entries.map((e) => e.prefix);
      expect(left).not.toContain('graph_data');
      expect(left).toContain('graph');
      const all = await post<CacheInvalidatePayload>('/api/cache/invalidate', {});
      expect(all.json).toMatchObject({ prefix: 'all' });
      expect(all.json.invalidated).toBeGreaterThanOrEqual(1);
      expect((await get<GraphCacheStatsPayload>('/api/cache/stats')).json.size).toBe(0);
      expect((await get<GraphDataPayload>('/api/graph-data')).headers['x-cache-status']).toBe('MISS');
      const bad = await post('/api/cache/invalidate', { prefix: 'everything' });
      expect([bad.status, bad.json.field]).toEqual([400, 'prefix']);
    });
  });

  describe('seeds and settings', () => {
    const settingsFile = () => join(fixture.root, 'config', 'graph_settings.json');

    it('saves a list atomically to config/graph_settings.json, activates it; compute uses it by default', async () => {
      const [a, b] = fixture.demo.accounts;
      const saved = await post<SeedChangePayload>('/api/seeds', {
        name: 'core',
        seeds: [`@${a!.username}`, b!.username, b!.username.toUpperCase()],
      });
      expect(saved.status).toBe(200);
      expect(saved.json.state).toMatchObject({ active_list: 'core', user_list_names: ['core'] });
      expect(saved.json.state.lists.core).toEqual([a!.username.toLowerCase(), b!.username.toLowerCase()]);
      const file = JSON.parse(readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(file)).toEqual(['active_list', 'lists', 'settings', 'updated_at']);
      expect(file.updated_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      const compute = (await post<ComputePayload>('/api/metrics/compute', {})).json;
      expect(compute.seeds).toEqual([a!.username.toLowerCase(), b!.username.toLowerCase()].sort());
      expect(compute.resolved_seeds).toHaveLength(2);
      expect((await get<SeedStatePayload>('/api/seeds')).json.lists.core).toHaveLength(2);
    });

    it('updates settings, activates and deletes lists, and rejects bad input without touching the file', async () => {
      await post<SeedChangePayload>('/api/seeds', { name: 'second', seeds: ['someone'], set_active: false });
      expect(
        (await post<SeedChangePayload>('/api/seeds', { name: 'second', set_active: true })).json.state.active_list,
      ).toBe('second');
      expect(
        (await post<SeedChangePayload>('/api/seeds', { settings: { alpha: 0.9, weights: [1, 0, 0] } })).json.state
          .settings,
      ).toMatchObject({ alpha: 0.9, weights: [1, 0, 0], include_shadow: true });
      expect(
        (await post<SeedChangePayload>('/api/seeds', { name: 'second', delete: true })).json.state.user_list_names,
      ).toEqual(['core']);
      const before = readFileSync(settingsFile());
      const cases: [unknown, string, number][] = [
        [{ name: 'x', seeds: ['ok', 'not ok'] }, 'seeds.1', 400],
        [{ name: 'x', seeds: [] }, 'seeds', 400],
        [{ name: 'x', seeds: Array.from({ length: 501 }, (_, i) => `u${i}`) }, 'seeds', 400],
        [{ name: '../etc', seeds: ['ok'] }, 'name', 400],
        [{ name: 'missing', set_active: true }, 'name', 400],
        [{ name: 'missing', delete: true }, 'name', 404],
        [{ settings: { alpha: 2 } }, 'settings.alpha', 400],
        [{ settings: { colour: 'red' } }, 'settings.colour', 400],
      ];
      for (const [body, field, status] of cases) {
        const answer = await post('/api/seeds', body);
        expect([answer.status, answer.json.field], JSON.stringify(body).slice(0, 60)).toEqual([status, field]);
      }
      expect(readFileSync(settingsFile()).equals(before)).toBe(true);
      // Put the defaults back for the other tests.
      await post<SeedChangePayload>('/api/seeds', { settings: { alpha: 0.85, weights: [0.4, 0.3, 0.3] } });
    });

    it('keeps a hand-edited file readable: a bad value falls back to its default', async () => {
      const saved = readFileSync(settingsFile());
      writeFileSync(
        settingsFile(),
        JSON.stringify({
          active_list: 'core',
          lists: { core: ['alice', 'not valid!'] },
          settings: { alpha: 7, top_n: 50 },
        }),
      );
      const state = (await get<SeedStatePayload>('/api/seeds')).json;
      expect(state.lists.core).toEqual(['alice']);
      expect(state.settings).toMatchObject({ alpha: 0.85, top_n: 50 });
      writeFileSync(settingsFile(), saved);
    });
  });

  describe('accounts', () => {
    it('search: prefix of handle or name, case-insensitive, archive accounts before shadow ones', async () => {
      const a = fixture.demo.accounts[0]!;
      const found = (
        await get<SearchPayload>(
          `/api/accounts/search?q=${encodeURIComponent(a.username.slice(0, 3).toUpperCase())}&limit=50`,
        )
      ).json;
      expect(found.results.map((r) => r.username)).toContain(a.username);
      for (const r of found.results)
        expect(
          r.username?.toLowerCase().startsWith(a.username.slice(0, 3).toLowerCase()) ||
            r.display_name?.toLowerCase().startsWith(a.username.slice(0, 3).toLowerCase()),
        ).toBe(true);
      const shadowish = (await get<SearchPayload>('/api/accounts/search?q=shadow')).json.results;
      expect(shadowish.map((r) => r.username)).toEqual(['shadowfox', 'shadowmoth']);
      expect(shadowish[0]).toMatchObject({ provenance: 'shadow', shadow: true });
      const exact = (await get<SearchPayload>(`/api/accounts/search?q=@${a.username}`)).json.results[0];
      expect(exact!.username).toBe(a.username);
      expect((await get<SearchPayload>('/api/accounts/search?q=')).json.results).toEqual([]);
      expect((await get('/api/accounts/search?q=a&limit=0')).json.field).toBe('limit');
      expect((await get(`/api/accounts/search?q=${'x'.repeat(51)}`)).json.field).toBe('q');
    });

    it('one account: profile, counts, metrics, community, provenance and its neighbours inside the graph', async () => {
      const a = fixture.demo.accounts[0]!;
      const byHandle = (await get<AccountPayload>(`/api/accounts/${a.username}?neighbours=5`)).json;
      const byId = (await get<AccountPayload>(`/api/accounts/${a.accountId}?neighbours=5`)).json;
      expect(byHandle).toEqual(byId);
      expect((await get<AccountPayload>(`/api/accounts/${a.accountId}`)).headers['x-cache-status']).toBe('HIT');
      expect(byHandle).toMatchObject({
        id: a.accountId,
        username: a.username,
        provenance: 'archive',
        x_url: `https://x.com/${a.username}`,
      });
      expect(byHandle.profile!.sources).toContain('archive');
      expect(typeof byHandle.metrics.composite).toBe('number');
      expect(byHandle.metrics.composite_rank).toBeGreaterThanOrEqual(1);
      const graph = (await get<GraphDataPayload>('/api/graph-data')).json;
      const i = graph.nodes.id.indexOf(a.accountId);
      expect(byHandle.followers_in_graph.total).toBe(graph.nodes.in_degree[i]);
      expect(byHandle.following_in_graph.total).toBe(graph.nodes.out_degree[i]);
      expect(byHandle.followers_in_graph.accounts.length).toBeLessThanOrEqual(5);
      const everyFollower = (await get<AccountPayload>(`/api/accounts/${a.username}?neighbours=500`)).json
        .followers_in_graph.accounts;
      expect(everyFollower.map((f) => f.username)).toContain('shadowfox');
      const composites = everyFollower.map((f: { id: string }) => f.id);
      expect(composites).toHaveLength(Math.min(500, byHandle.followers_in_graph.total));
      const shadow = (await get<AccountPayload>('/api/accounts/shadowfox')).json;
      expect(shadow).toMatchObject({
        provenance: 'shadow',
        profile: { bio: 'read from X', account_status: 'active', sources: ['shadow'] },
      });
      expect((await get('/api/accounts/nobody_at_all')).status).toBe(404);
      expect((await get('/api/accounts/not%20valid')).json.field).toBe('id');
      expect((await get(`/api/accounts/${a.username}?neighbours=9999`)).json.field).toBe('neighbours');
    });
  });

  describe('status, exports, performance, unknown routes', () => {
    it('GET /api/status gives the tpot status facts as JSON', async () => {
      const status = (await get<SystemStatus>('/api/status')).json;
      expect(status.rows!.archive_profiles).toBe(30);
      expect(status.shadow).toEqual({ accounts: 2, edges: 3 });
      expect(status.snapshot).toMatchObject({ present: true });
      expect(status.database.schema_version).toBeGreaterThanOrEqual(1);
      expect(status.disk!.free_bytes).toBeGreaterThan(0);
      expect(status.last_import!.imported).toBe(30);
    });

    it('exports GEXF and CSV as downloads, with the requested seeds', async () => {
      const a = fixture.demo.accounts[0]!;
      const gexf = await get(`/api/export/graph.gexf?seeds=${a.username}`);
      expect(gexf.status).toBe(200);
      expect(gexf.headers['content-type']).toMatch(/gexf/);
      expect(gexf.headers['content-disposition']).toBe('attachment; filename="tpot-graph.gexf"');
      expect(gexf.text.startsWith('<?xml')).toBe(true);
      const graph = (await get<GraphDataPayload>('/api/graph-data')).json;
      expect(gexf.text.match(/<node /g)).toHaveLength(graph.directed_nodes);
      const csv = await get('/api/export/metrics.csv');
      expect(csv.text.split('\n')[0]).toMatch(/^account_id,username,.*composite,community$/);
      expect(csv.text.trim().split('\n')).toHaveLength(graph.directed_nodes + 1);
      expect((await get('/api/export/metrics.csv?seeds=bad!')).json.field).toBe('seeds.0');
    });

    it('GET /api/metrics/performance has per-route counts and percentiles, and recent requests', async () => {
      const report = (await get<PerformancePayload>('/api/metrics/performance')).json;
      expect(report.total_requests).toBeGreaterThan(10);
      expect(report.aggregates['POST /api/metrics/compute']).toMatchObject({
        count: expect.any(Number) as unknown,
        p50_ms: expect.any(Number) as unknown,
        p95_ms: expect.any(Number) as unknown,
      });
      expect(report.recent_requests.length).toBeLessThanOrEqual(50);
      expect(report.recent_requests[0]).toMatchObject({
        method: expect.any(String) as unknown,
        status: expect.any(Number) as unknown,
      });
    });

    it('unknown routes are 404 JSON with X-Response-Time; / serves the explorer, or says it is not built', async () => {
      const missing = await get('/api/nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({ error: 'Not found' });
      expect(missing.headers['x-response-time']).toBeDefined();
      expect((await call(base, 'POST', '/health')).status).toBe(404);
      const root = await get('/');
      expect(root.status).toBe(200);
      expect(root.text).toContain('<div id="root"></div>');
      const unbuilt = await startFixtureServer(fixture, {}, { withoutExplorer: true });
      try {
        const page = await call(unbuilt.url, 'GET', '/');
        expect([page.status, page.text]).toEqual([
          200,
          expect.stringMatching(/The API is running\. The explorer has not been built/),
        ]);
      } finally {
        await unbuilt.close();
      }
    });
  });

  describe('safety', () => {
    it("allows CORS for the explorer's own origins only", async () => {
      const port = new URL(base).port;
      const own = await get<HealthPayload>('/health', { origin: `http://localhost:${port}` });
      expect(own.headers['access-control-allow-origin']).toBe(`http://localhost:${port}`);
      expect(
        (await get<HealthPayload>('/health', { origin: 'http://127.0.0.1:5173' })).headers[
          'access-control-allow-origin'
        ],
      ).toBe('http://127.0.0.1:5173');
      expect(
        (await get<HealthPayload>('/health', { origin: 'https://evil.example' })).headers[
          'access-control-allow-origin'
        ],
      ).toBeUndefined();
      const preflight = await call(base, 'OPTIONS', '/api/metrics/compute', {
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('limits request bodies (413) and refuses bodies that are not JSON (415)', async () => {
      const huge = await call<ErrorPayload>(base, 'POST', '/api/metrics/compute', {
        raw: JSON.stringify({ seeds: ['a'.repeat(70_000)] }),
      });
      expect(huge.status).toBe(413);
      expect(huge.json.error).toBe('Body too large');
      const form = await call(base, 'POST', '/api/metrics/compute', {
        raw: 'seeds=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
    });

    it('with a token, writes need it and reads do not; without loopback, no token means no start', async () => {
      const guarded = await startFixtureServer(fixture, { apiToken: 's3cret-token' });
      try {
        const url = guarded.url;
        for (const path of ['/api/cache/invalidate', '/api/metrics/cache/clear', '/api/seeds']) {
          const denied = await call(url, 'POST', path, { body: {} });
          expect(denied.status, path).toBe(401);
          expect(denied.headers['www-authenticate']).toBe('Bearer');
          expect(
            (await call(url, 'POST', path, { body: {}, headers: { authorization: 'Bearer wrong-token!' } })).status,
          ).toBe(401);
        }
        expect(
          (
            await call(url, 'POST', '/api/cache/invalidate', {
              body: {},
              headers: { authorization: 'Bearer s3cret-token' },
            })
          ).status,
        ).toBe(200);
        expect((await call(url, 'GET', '/health')).status).toBe(200);
        expect((await call(url, 'POST', '/api/metrics/compute', { body: {} })).status).toBe(200);
      } finally {
        await guarded.close();
      }
      await expect(startFixtureServer(fixture, { host: '0.0.0.0' })).rejects.toThrow(UnsafeBindError);
    });

    it('no input makes a 500: random queries, params and bodies on every endpoint', async () => {
      const rng = createRng(99);
      const junk = () =>
        rng.pick<unknown>([
          null,
          true,
          -1,
          1e308,
          'x'.repeat(rng.int(0, 300)),
          '💥',
          '<script>',
          "'; DROP TABLE account; --",
          [],
          [1, 'a', null],
          { a: { b: [] } },
          { seeds: [rng.pick(['@', '', '1'.repeat(25), 'shadow:', '__proto__'])] },
          { weights: [Number.MAX_VALUE, 1, 1] },
          { alpha: null },
          { prefix: rng.pick(['graph', 'x']) },
          { settings: { weights: [1, 2] } },
          { name: 'n', seeds: ['a'], set_active: 'yes' },
        ]);
      const queryJunk = () =>
        encodeURIComponent(String(rng.pick(['-1', 'NaN', '1e9', '%00', 'true', '', '0x10', '🙂', '9'.repeat(30)])));
      const paths = [
        '/api/graph-data',
        '/api/accounts/search',
        '/api/accounts/abc',
        '/api/accounts/%00',
        '/api/export/metrics.csv',
        '/health',
        '/api/status',
        '/api/seeds',
      ];
      const posts = [
        '/api/metrics/compute',
        '/api/metrics/base',
        '/api/cache/invalidate',
        '/api/metrics/cache/clear',
        '/api/seeds',
      ];
      const settingsFile = join(fixture.root, 'config', 'graph_settings.json');
      const before = readFileSync(settingsFile);
      for (let i = 0; i < 150; i++) {
        const name = rng.pick([
          'q',
          'limit',
          'min_followers',
          'include_shadow',
          'seeds',
          'neighbours',
          'force_rebuild',
          'zzz',
        ]);
        const path = `${rng.pick(paths)}?${name}=${queryJunk()}`;
        const answer = await get(path);
        expect(answer.status, path).toBeLessThan(500);
        const target = rng.pick(posts);
        const body = junk();
        const posted = await call(base, 'POST', target, { raw: JSON.stringify(body) });
        expect(posted.status, `${target} ${JSON.stringify(body)?.slice(0, 80)}`).toBeLessThan(500);
      }
      // None of the junk was a valid change: the settings file is as it was.
      expect(readFileSync(settingsFile).equals(before)).toBe(true);
    });
  });
});
