/**
 * Metrics (docs/API.md):
 * - `POST /api/metrics/compute` — the original's response shape; the whole body is kept in the
 *   response cache (5 min). A miss runs only PageRank and the composite: the seed-independent
 *   metrics come with the analysed graph from the graph cache.
 * - `POST /api/metrics/base` — PageRank, betweenness, engagement and communities as arrays aligned
 *   with `/api/graph-data`'s node table, for re-weighting in the browser; graph cache, prefix
 *   `base_metrics`.
 * - `GET /api/metrics/cache/stats`, `POST /api/metrics/cache/clear` — the response cache.
 * - `GET /api/metrics/performance` — per-route timings.
 */
import type { FastifyPluginAsync } from 'fastify';
import { seedMetrics, top } from '../../graph/analysis.js';
import { metricsRequest, type ApiContext } from '../context.js';
import { baseBody, computeBody } from '../payloads.js';
import { CachedBody, sendBody } from '../send-json.js';
import { metricsBody, type MetricsBody } from '../validation.js';
import type { CacheCountersPayload, MetricsCacheClearPayload, PerformancePayload } from '../wire.js';

export const metricsRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const { graphs } = context;

  app.post('/api/metrics/compute', { schema: { body: metricsBody }, compress: false }, async (request, reply) => {
    const wanted = metricsRequest(context, request.body as MetricsBody | null);
    graphs.checkForChanges();
    const { value, status } = await graphs.responseCache.getOrCompute('compute', wanted, async () => {
      const { graph } = await graphs.analysed(wanted.analysis);
      const seeded = seedMetrics(graph.built, graph.base, {
        seeds: wanted.seeds,
        alpha: wanted.alpha,
        weights: wanted.weights,
      });
      const ids = graph.built.graph.ids;
      return new CachedBody(
        await computeBody(
          graph,
          { seeds: wanted.seeds, seeded },
          {
            pagerank: top(ids, seeded.pagerank),
            betweenness: top(ids, graph.base.betweenness.scores),
            composite: top(ids, seeded.composite),
          },
        ),
      );
    });
    reply.header('X-Cache-Status', status);
    return sendBody(request, reply, value as CachedBody);
  });

  app.post('/api/metrics/base', { schema: { body: metricsBody }, compress: false }, async (request, reply) => {
    const wanted = metricsRequest(context, request.body as MetricsBody | null);
    const { graph } = await graphs.analysed(wanted.analysis);
    // Weights do not change base metrics: leave them out of the key.
    const key = { seeds: wanted.seeds, alpha: wanted.alpha, analysis: wanted.analysis, version: graph.version };
    const { value, status } = await graphs.graphCache.getOrCompute('base_metrics', key, async () => {
      const seeded = seedMetrics(graph.built, graph.base, { seeds: wanted.seeds, alpha: wanted.alpha });
      return new CachedBody(await baseBody(graph, { seeds: wanted.seeds, seeded }));
    });
    reply.header('X-Cache-Status', status);
    return sendBody(request, reply, value as CachedBody);
  });

  app.get('/api/metrics/cache/stats', async () => {
    const { size, max_size, ttl_seconds, hits, misses, evictions, expirations, hit_rate } =
      graphs.responseCache.stats();
    return {
      size,
      max_size,
      ttl_seconds,
      hits,
      misses,
      evictions,
      expirations,
      hit_rate,
    } satisfies CacheCountersPayload;
  });

  app.get('/api/metrics/performance', async () => context.performance.report() satisfies PerformancePayload);
};

/** `POST /api/metrics/cache/clear`: registered in the server's write scope (the token check). */
export const metricsWriteRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.post('/api/metrics/cache/clear', async () => {
    const cleared = context.graphs.responseCache.invalidate();
    return {
      status: 'cleared',
      message: 'Metrics cache cleared successfully',
      cleared,
    } satisfies MetricsCacheClearPayload;
  });
};
