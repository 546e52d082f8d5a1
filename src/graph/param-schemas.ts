/**
 * The zod schemas of the graph-view parameters, derived from params.ts (the one definition of
 * their defaults and ranges): what the API's bodies and queries, the settings file and the CLI's
 * flags are checked against. A separate module because zod is slow to load; the CLI's help and the
 * explorer need only the plain values.
 */
import { z } from 'zod';
import {
  GRAPH_RANGES,
  MAX_SEEDS,
  SEED_REFERENCE,
  toWire,
  WIRE_DEFAULTS,
  type GraphParams,
  type WireGraphParams,
} from './params.js';

const { minFollowers, alpha, resolution, weight, topN } = GRAPH_RANGES;
const weightValue = z
  .number()
  .min(weight.min, `must be from ${weight.min} to ${weight.max}`)
  .max(weight.max, `must be from ${weight.min} to ${weight.max}`);

/** What a valid value of each parameter is, by its engine (camelCase) name. */
export const graphParamFields = {
  includeShadow: z.boolean(),
  mutualOnly: z.boolean(),
  includeInteractions: z.boolean(),
  minFollowers: z
    .number()
    .int('must be a whole number')
    .min(minFollowers.min, `must be at least ${minFollowers.min}`)
    .max(minFollowers.max, `must be at most ${minFollowers.max}`),
  resolution: z
    .number()
    .gt(resolution.above, `must be above ${resolution.above}`)
    .max(resolution.max, `must be at most ${resolution.max}`),
  alpha: z
    .number()
    .gt(alpha.above, `must be between ${alpha.above} and ${alpha.below}`)
    .lt(alpha.below, `must be between ${alpha.above} and ${alpha.below}`),
  weights: z
    .tuple([weightValue, weightValue, weightValue])
    .refine((w) => w[0] + w[1] + w[2] > 0, 'at least one weight must be above 0'),
  topN: z
    .number()
    .int('must be a whole number')
    .min(topN.min, `must be at least ${topN.min}`)
    .max(topN.max, `must be at most ${topN.max}`),
} satisfies { [K in keyof GraphParams]: z.ZodType<GraphParams[K]> };

/** The same field schemas under their wire (snake_case) names: the API and the settings file. */
export const wireParamFields = toWire(graphParamFields);

/**
 * The settings file's `settings`, read leniently: each value that is missing or invalid takes its
 * default, and unknown keys are dropped, so one bad hand edit does not lose the rest.
 */
export const savedSettingsSchema = z.object({
  include_shadow: wireParamFields.include_shadow.catch(WIRE_DEFAULTS.include_shadow),
  mutual_only: wireParamFields.mutual_only.catch(WIRE_DEFAULTS.mutual_only),
  include_interactions: wireParamFields.include_interactions.catch(WIRE_DEFAULTS.include_interactions),
  min_followers: wireParamFields.min_followers.catch(WIRE_DEFAULTS.min_followers),
  resolution: wireParamFields.resolution.catch(WIRE_DEFAULTS.resolution),
  alpha: wireParamFields.alpha.catch(WIRE_DEFAULTS.alpha),
  weights: wireParamFields.weights.catch(() => [...WIRE_DEFAULTS.weights] as [number, number, number]),
  top_n: wireParamFields.top_n.catch(WIRE_DEFAULTS.top_n),
}) satisfies z.ZodType<WireGraphParams>;

export const seedReferenceSchema = z
  .string()
  .regex(SEED_REFERENCE, 'must be a handle (letters, digits, _; at most 15), an account id, or shadow:<handle>');

/** A list of seeds in a request. */
export const seedListSchema = z.array(seedReferenceSchema).max(MAX_SEEDS, `at most ${MAX_SEEDS} seeds`);
