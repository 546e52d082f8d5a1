/** `GET /api/status` (docs/OPERATIONS.md, "Health checks"): what `tpot status` prints, as JSON. */
import type { FastifyPluginAsync } from 'fastify';
import { collectStatus } from '../../ops/status.js';
import type { ApiContext } from '../context.js';

export const statusRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/api/status', async () => {
    const { config } = context;
    return collectStatus({
      db: context.database.connection(),
      dbPath: config.dbPath,
      dataDir: config.dataDir,
      cacheMaxAgeDays: config.cacheMaxAgeDays,
    });
  });
};
