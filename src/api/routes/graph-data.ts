/**
 * `GET /api/graph-data?include_shadow&mutual_only&min_followers&force_rebuild` (SPEC §7.1): the
 * whole graph in the compact column form of payloads.ts, cached per graph version under the
 * `graph_data` prefix, compressed once per encoding (brotli preferred, gzip otherwise).
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { filtersFrom, settings, type ApiContext } from '../context.js';
import { graphDataJson } from '../payloads.js';
import { cachedBody, sendJsonBody, type CachedBody } from '../send-json.js';
import { graphFilterQuery, queryBoolean } from '../validation.js';

const query = z.strictObject({ ...graphFilterQuery, force_rebuild: queryBoolean.optional() });

export const graphDataRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/api/graph-data', { schema: { querystring: query }, compress: false }, async (request, reply) => {
    const { force_rebuild: forceRebuild, ...given } = request.query as z.infer<typeof query>;
    const filters = filtersFrom(given, settings(context));
    const { graph } = await context.graphs.analysed(filters, { forceRebuild: forceRebuild ?? false });
    if (forceRebuild) context.graphs.graphCache.invalidate('graph_data');
    const { value, status } = await context.graphs.graphCache.getOrCompute('graph_data', { filters, version: graph.version, source: graph.source }, () => cachedBody(graphDataJson(graph)));
    reply.header('X-Cache-Status', status);
    return sendJsonBody(request, reply, value as CachedBody, ['br', 'gzip']);
  });
};
