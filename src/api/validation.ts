/**
 * Input validation (docs/API.md, "Safety"): every route declares zod schemas for its query, params and body;
 * this compiler lets Fastify run them, and `validationFailure` turns the first problem into a 400
 * that names the field (`weights.1`, `seeds.3`, `min_followers`, …).
 */
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { seedListSchema, wireParamFields } from '../graph/param-schemas.js';

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const error = new Error(result.error.issues[0]!.message) as Error & { validation: unknown[] };
    error.validation = result.error.issues.map((i) => {
      // An unknown key is named as the field itself, so a typo is easy to spot.
      const path = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]!] : i.path;
      return {
        instancePath: `/${path.join('/')}`,
        message: i.code === 'unrecognized_keys' ? 'unknown parameter' : i.message,
        path,
      };
    });
    return { error };
  };

export interface ValidationFailure {
  error: string;
  field: string;
  message: string;
}

/** The 400 body for a failed validation: which field, and what is wrong with it. */
export function validationFailure(
  context: string | undefined,
  validation: { path?: PropertyKey[]; instancePath?: string; message?: string }[],
): ValidationFailure {
  const first = validation[0] ?? {};
  const path = first.path
    ? first.path.map(String).join('.')
    : (first.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const field = path || context || 'request';
  return { error: 'Invalid request', field, message: `${field}: ${first.message ?? 'invalid value'}` };
}

/** Query-string booleans: `true`/`false`/`1`/`0`. */
export const queryBoolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Query-string whole numbers, then checked as numbers by `check`. */
export function queryInteger(check: z.ZodType<number, number>) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(check);
}

/** The graph filters as query parameters (`/api/graph-data`, the account routes, exports). */
export const graphFilterQuery = {
  include_shadow: queryBoolean.optional(),
  mutual_only: queryBoolean.optional(),
  include_interactions: queryBoolean.optional(),
  min_followers: queryInteger(wireParamFields.min_followers).optional(),
};

const { top_n: _topN, ...analysisFields } = wireParamFields;

/** The body of `/api/metrics/compute` and `/api/metrics/base` (all optional: defaults from the settings). */
export const metricsBody = z
  .strictObject({
    seeds: seedListSchema.optional(),
    ...z.object(analysisFields).partial().shape,
  })
  .nullish();
export type MetricsBody = NonNullable<z.infer<typeof metricsBody>>;
