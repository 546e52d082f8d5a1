/**
 * Analysis jobs (docs/API.md, "Analysis jobs"): `GET /api/analysis/status`, and in the write scope
 * `POST /api/analysis/run` and `POST /api/analysis/cancel`. The jobs themselves, one at a time, run
 * in a child process (api/analysis-jobs.ts).
 *
 * - `{"kind": "propagation"}` runs what `tpot communities propagate` runs, with its defaults; the
 *   explorer may choose `bootstrap_samples` and `interaction_weight`, within limits that keep a run
 *   started from a browser to minutes (the CLI takes up to 1,000 samples and a weight of 100).
 * - `{"kind": "snapshot"}` refreshes the snapshot with the saved settings and the active seed list,
 *   as `tpot start` writes it, so the snapshot serves the server's default view.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { activeSeeds } from '../../seed-lists.js';
import { ANALYSIS_JOB_KINDS } from '../analysis-jobs.js';
import { settings, type ApiContext } from '../context.js';
import type { AnalysisJobPayload, AnalysisStatusPayload } from '../wire.js';

export const MAX_BOOTSTRAP_SAMPLES = 200;
export const MAX_INTERACTION_WEIGHT = 10;

const PROPAGATION_ONLY = ['bootstrap_samples', 'interaction_weight'] as const;

// One object with the propagation's keys optional, checked against the kind after, so that an error
// names the field at fault (a union of shapes would only say "the body matches none of them").
const runBody = z
  .strictObject({
    kind: z.enum(ANALYSIS_JOB_KINDS),
    bootstrap_samples: z
      .number()
      .int('must be a whole number')
      .min(0, `must be from 0 to ${MAX_BOOTSTRAP_SAMPLES}`)
      .max(MAX_BOOTSTRAP_SAMPLES, `must be from 0 to ${MAX_BOOTSTRAP_SAMPLES}`)
      .optional(),
    interaction_weight: z
      .number()
      .min(0, `must be from 0 to ${MAX_INTERACTION_WEIGHT}`)
      .max(MAX_INTERACTION_WEIGHT, `must be from 0 to ${MAX_INTERACTION_WEIGHT}`)
      .optional(),
  })
  .superRefine((run, ctx) => {
    if (run.kind === 'propagation') return;
    for (const key of PROPAGATION_ONLY)
      if (run[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'only for kind "propagation"' });
  });
type RunBody = z.infer<typeof runBody>;

const cancelBody = z.strictObject({}).nullish();

export const analysisRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/api/analysis/status', async () => context.jobs.status() satisfies AnalysisStatusPayload);
};

/** `POST /api/analysis/run` and `/cancel`: registered in the server's write scope (the token check). */
export const analysisWriteRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.post('/api/analysis/run', { schema: { body: runBody } }, async (request, reply) => {
    const run = request.body as RunBody;
    const job =
      run.kind === 'propagation'
        ? context.jobs.start('propagation', {
            bootstrapSamples: run.bootstrap_samples,
            interactionWeight: run.interaction_weight,
          })
        : context.jobs.start('snapshot', { ...settings(context), seeds: activeSeeds(context.settingsPath) });
    return reply.code(202).send(job satisfies AnalysisJobPayload);
  });

  app.post(
    '/api/analysis/cancel',
    { schema: { body: cancelBody } },
    async () => (await context.jobs.cancel()) satisfies AnalysisJobPayload,
  );
};
