/**
 * `GET /health` (docs/API.md): `{"status":"ok", …}` whenever the server answers — the runbook and
 * the explorer check exactly that — plus what is missing, so one call tells an operator whether
 * the database and the snapshot are there and how the graph cache is doing.
 */
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { GRAPH_DEFAULTS, type GraphParams } from '../../graph/params.js';
import { analysisFrom, settings, type ApiContext } from '../context.js';
import type { HealthPayload } from '../wire.js';
import { errorMessage } from '../../errors.js';

export const healthRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/health', async () => {
    const warnings: string[] = [];
    const db = context.database.connection();
    if (!db)
      warnings.push(
        existsSync(context.database.path)
          ? `The database ${context.database.path} is not ready yet.`
          : `No database at ${context.database.path}: run \`npx tpot start\` (demo data) or \`npx tpot import\`.`,
      );
    let defaults: GraphParams = GRAPH_DEFAULTS;
    try {
      defaults = settings(context);
    } catch (error) {
      warnings.push(errorMessage(error));
    }
    const snapshot = db ? context.graphs.snapshotState(analysisFrom({}, defaults)) : null;
    if (db && snapshot && !snapshot.present)
      warnings.push(`No usable snapshot: ${snapshot.problem} The server builds graphs live meanwhile.`);
    else if (snapshot?.problem)
      warnings.push(
        `The snapshot is not used for the default view: ${snapshot.problem}. Run \`npx tpot snapshot refresh\`.`,
      );
    const cache = context.graphs.graphCache.stats();
    return {
      status: 'ok' as const,
      uptime_seconds: Math.round((Date.now() - context.startedAt) / 1000),
      database: { path: context.database.path, present: db !== null, demo: context.graphs.isDemo() },
      snapshot: snapshot
        ? {
            present: snapshot.present,
            generated_at: snapshot.generated_at,
            used_for_default_view: snapshot.present && snapshot.problem === null,
          }
        : { present: false, generated_at: null, used_for_default_view: false },
      cache: { size: cache.size, hit_rate: cache.hit_rate },
      metrics_cache: { size: context.graphs.responseCache.size },
      explorer_built: context.webRoot !== null,
      warnings,
    } satisfies HealthPayload;
  });
};
