/**
 * `GET /api/graph-data?include_shadow&mutual_only&min_followers&force_rebuild` (docs/API.md): the
 * whole graph in the compact column form of payloads.ts, cached per graph version under the
 * `graph_data` prefix, compressed once per encoding (gzip, assembled from columns compressed in
 * parallel; brotli for clients without gzip).
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { CacheLookup } from '../caches.js';
import type { AnalysisParams } from '../../graph/params.js';
import { analysisFrom, settings, type ApiContext } from '../context.js';
import { graphDataBody } from '../payloads.js';
import { CachedBody, sendBody } from '../send-json.js';
import { graphFilterQuery, queryBoolean } from '../validation.js';

const query = z.strictObject({ ...graphFilterQuery, force_rebuild: queryBoolean.optional() });

/** The graph-data body for these filters, from the graph cache or built now. */
export async function graphDataFor(
  context: ApiContext,
  analysis: AnalysisParams,
  forceRebuild = false,
): Promise<CacheLookup<CachedBody>> {
  const { graph } = await context.graphs.analysed(analysis, { forceRebuild });
  if (forceRebuild) context.graphs.graphCache.invalidate('graph_data');
  const found = await context.graphs.graphCache.getOrCompute(
    'graph_data',
    { analysis, version: graph.version, source: graph.source },
    () => new CachedBody(graphDataBody(graph), { gzipLevel: 6, brotliQuality: 5 }),
  );
  return found as CacheLookup<CachedBody>;
}

export const graphDataRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/api/graph-data', { schema: { querystring: query }, compress: false }, async (request, reply) => {
    const { force_rebuild: forceRebuild, ...given } = request.query as z.infer<typeof query>;
    const { value, status } = await graphDataFor(
      context,
      analysisFrom(given, settings(context)),
      forceRebuild ?? false,
    );
    reply.header('X-Cache-Status', status);
    return sendBody(request, reply, value);
  });
};
