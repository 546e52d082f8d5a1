/**
 * The API server (docs/API.md): Fastify with zod validation, every route a plugin under
 * `src/api/routes/` handed the `ApiContext`. Cross-cutting rules live here:
 *
 * - `X-Response-Time` on every response, per-route timings for `/api/metrics/performance`;
 * - errors are JSON: 400 names the field, 404 for unknown routes, 413 for oversized bodies, 503
 *   when the database is missing; an unexpected error is logged and answered with a 500 that
 *   leaks nothing (no input reaches that path: the tests fuzz the endpoints to make sure);
 * - CORS only for the explorer's own origins; a body-size limit; `nosniff`;
 * - write endpoints are registered in one scope that checks the bearer token (write-scope.ts).
 */
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { ApiContext } from './context.js';
import { HttpError } from './http-error.js';
import { DatabaseUnavailableError } from './live-database.js';
import { accountRoutes } from './routes/accounts.js';
import { analysisRoutes, analysisWriteRoutes } from './routes/analysis.js';
import { cacheRoutes, cacheWriteRoutes } from './routes/cache.js';
import { communityRoutes, communityWriteRoutes } from './routes/communities.js';
import { curationRoutes, curationWriteRoutes } from './routes/curation.js';
import { exportRoutes } from './routes/export.js';
import { graphDataRoutes } from './routes/graph-data.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes, metricsWriteRoutes } from './routes/metrics.js';
import { seedRoutes, seedWriteRoutes } from './routes/seeds.js';
import { statusRoutes } from './routes/status.js';
import { webRoutes } from './routes/web.js';
import { validationFailure, zodValidatorCompiler } from './validation.js';
import { writeScope } from './write-scope.js';
import { errorMessage, NotFoundError, TpotError } from '../errors.js';

/** Request bodies are small JSON documents; 64 KB holds 500 seeds with room to spare. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Ports the explorer is served from: the server itself and Vite's dev server. */
const DEV_SERVER_PORT = 5173;

declare module 'fastify' {
  interface FastifyRequest {
    startedAt: bigint;
  }
}

export function allowedOrigins(host: string, port: number): Set<string> {
  const hosts = new Set(['127.0.0.1', 'localhost', host.includes(':') ? `[${host}]` : host]);
  const origins = new Set<string>();
  for (const h of hosts) for (const p of [port, DEV_SERVER_PORT]) origins.add(`http://${h}:${p}`);
  return origins;
}

export async function createServer(context: ApiContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  // An empty JSON body means "no parameters" (curl -X POST -H 'Content-Type: application/json' …).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, null);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(
        Object.assign(new Error(`The body is not valid JSON: ${errorMessage(error)}`), { statusCode: 400 }),
        undefined,
      );
    }
  });
  app.decorateRequest('startedAt', 0n);

  app.addHook('onRequest', async (request) => {
    request.startedAt = process.hrtime.bigint();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const ms = Number(process.hrtime.bigint() - request.startedAt) / 1e6;
    reply.header('X-Response-Time', `${ms.toFixed(2)}ms`);
    reply.header('X-Content-Type-Options', 'nosniff');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const ms = Number(process.hrtime.bigint() - request.startedAt) / 1e6;
    const cache = reply.getHeader('X-Cache-Status');
    context.performance.record({
      method: request.method,
      route: request.routeOptions.url ?? '(unknown)',
      path: request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url,
      status: reply.statusCode,
      duration_ms: Math.round(ms * 100) / 100,
      cache: typeof cache === 'string' ? cache : null,
      at: new Date().toISOString(),
    });
    context.log.debug(`${request.method} ${request.url} -> ${reply.statusCode} [${ms.toFixed(1)} ms]`);
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.validation) return reply.code(400).send(validationFailure(error.validationContext, error.validation));
    if (error instanceof HttpError)
      return reply
        .code(error.statusCode)
        .send({ error: error.message, ...(error.field ? { field: error.field } : {}) });
    // The stores' own checks (a taken name, an unknown community): the message names the value at fault.
    if (error instanceof NotFoundError) return reply.code(404).send({ error: error.message });
    if (error instanceof TpotError && (error.kind === 'usage' || error.kind === 'input'))
      return reply.code(400).send({ error: error.message });
    if (error instanceof DatabaseUnavailableError)
      return reply.code(503).send({ error: 'Database unavailable', message: error.message });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply
        .code(413)
        .send({ error: 'Body too large', message: `Request bodies are limited to ${BODY_LIMIT_BYTES} bytes.` });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply
        .code(415)
        .send({ error: 'Unsupported media type', message: 'Send JSON: Content-Type: application/json.' });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Malformed JSON, empty JSON bodies, bad headers: Fastify's own 4xx, as JSON.
      return reply.code(error.statusCode).send({ error: 'Invalid request', field: 'body', message: error.message });
    }
    context.log.error(
      { err: error, url: request.url },
      `Unexpected error on ${request.method} ${request.url}: ${error.message}`,
    );
    return reply.code(500).send({
      error: 'Internal error',
      message: 'The server failed on this request; the details are in logs/serve.log.',
    });
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({
      error: 'Not found',
      message: `No route ${request.method} ${request.url.split('?')[0]}. The API is described in docs/API.md.`,
    }),
  );

  // Computed at the first request, from the port actually bound (PORT may be 0: any free port).
  let origins: Set<string> | null = null;
  await app.register(cors, {
    origin: (origin, callback) => {
      const address = app.server.address();
      origins ??= allowedOrigins(
        context.config.host,
        typeof address === 'object' && address ? address.port : context.config.port,
      );
      callback(null, origin !== undefined && origins.has(origin));
    },
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    exposedHeaders: ['X-Response-Time', 'X-Cache-Status'],
    allowedHeaders: ['Content-Type', 'Authorization'],
  });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });

  await app.register(healthRoutes, context);
  await app.register(graphDataRoutes, context);
  await app.register(metricsRoutes, context);
  await app.register(cacheRoutes, context);
  await app.register(seedRoutes, context);
  await app.register(accountRoutes, context);
  await app.register(statusRoutes, context);
  await app.register(exportRoutes, context);
  await app.register(communityRoutes, context);
  await app.register(curationRoutes, context);
  await app.register(analysisRoutes, context);
  await app.register(
    writeScope([
      seedWriteRoutes,
      cacheWriteRoutes,
      metricsWriteRoutes,
      communityWriteRoutes,
      curationWriteRoutes,
      analysisWriteRoutes,
    ]),
    context,
  );
  await app.register(webRoutes, context);
  return app;
}
