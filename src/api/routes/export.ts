/**
 * Downloads (docs/API.md): `GET /api/export/graph.gexf` (Gephi opens it with the metrics and the
 * community as node attributes) and `GET /api/export/metrics.csv`, for the graph and seeds a query
 * names (defaults: the saved settings and active seed list). Kept in the graph cache, `export`.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { seedMetrics } from '../../graph/analysis.js';
import { exportText, type ExportFormat } from '../../graph/export.js';
import { seedListSchema } from '../../graph/param-schemas.js';
import { MAX_SEEDS } from '../../graph/params.js';
import { metricsRequest, type ApiContext } from '../context.js';
import { CachedBody, sendBody } from '../send-json.js';
import { graphFilterQuery } from '../validation.js';

const query = z.strictObject({
  seeds: z
    .string()
    .max(MAX_SEEDS * 21)
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(seedListSchema)
    .optional(),
  ...graphFilterQuery,
});

const FILES: Record<string, { format: ExportFormat; type: string }> = {
  'graph.gexf': { format: 'gexf', type: 'application/gexf+xml; charset=utf-8' },
  'metrics.csv': { format: 'csv', type: 'text/csv; charset=utf-8' },
};

export const exportRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  for (const [file, { format, type }] of Object.entries(FILES)) {
    app.get(`/api/export/${file}`, { schema: { querystring: query }, compress: false }, async (request, reply) => {
      const wanted = metricsRequest(context, request.query as z.infer<typeof query>);
      const { graph } = await context.graphs.analysed(wanted.analysis);
      const { value, status } = await context.graphs.graphCache.getOrCompute(
        'export',
        { format, ...wanted, version: graph.version },
        () => {
          const seeded = seedMetrics(graph.built, graph.base, {
            seeds: wanted.seeds,
            alpha: wanted.alpha,
            weights: wanted.weights,
          });
          return new CachedBody([exportText(format, { built: graph.built, base: graph.base, seeded })], {
            gzipLevel: 6,
            brotliQuality: 5,
          });
        },
      );
      reply.header('X-Cache-Status', status).header('Content-Disposition', `attachment; filename="tpot-${file}"`);
      return sendBody(request, reply, value as CachedBody, type);
    });
  }
};
