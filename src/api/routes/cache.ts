/**
 * The graph cache's endpoints (docs/API.md, "Caches"): `GET /api/cache/stats` and
 * `POST /api/cache/invalidate {prefix?}` — `{}` (or no body) clears everything, a prefix clears
 * that kind only; answers `{"invalidated": n, "prefix": …}`. Invalidating also clears the
 * response cache, whose bodies were computed from the dropped graphs.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { GRAPH_CACHE_PREFIXES } from '../cache-prefixes.js';
import type { ApiContext } from '../context.js';
import type { CacheInvalidatePayload, GraphCacheStatsPayload } from '../wire.js';

const body = z.strictObject({ prefix: z.enum(GRAPH_CACHE_PREFIXES).nullish() }).nullish();

export const cacheRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/api/cache/stats', async () => context.graphs.graphCache.stats() satisfies GraphCacheStatsPayload);
};

/** `POST /api/cache/invalidate`: registered in the server's write scope (the token check). */
export const cacheWriteRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.post('/api/cache/invalidate', { schema: { body } }, async (request) => {
    const prefix = (request.body as z.infer<typeof body>)?.prefix ?? null;
    const invalidated = context.graphs.graphCache.invalidate(prefix);
    const responses = context.graphs.responseCache.invalidate();
    context.log.info(
      `Cache invalidated (${prefix ?? 'all'}): ${invalidated} graph cache entries, ${responses} metrics responses.`,
    );
    return {
      invalidated,
      prefix: prefix ?? 'all',
      metrics_responses_cleared: responses,
    } satisfies CacheInvalidatePayload;
  });
};
