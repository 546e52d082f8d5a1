/**
 * The API server (SPEC §7): Fastify with zod validation, every route a plugin under
 * `src/api/routes/` handed the `ApiContext`. Cross-cutting rules live here:
 *
 * - `X-Response-Time` on every response, per-route timings for `/api/metrics/performance`;
 * - errors are JSON: 400 names the field, 404 for unknown routes, 413 for oversized bodies, 503
 *   when the database is missing; an unexpected error is logged and answered with a 500 that
 *   leaks nothing (no input reaches that path: the tests fuzz the endpoints to make sure);
 * - CORS only for the explorer's own origins; a body-size limit; `nosniff`;
 * - write endpoints require the bearer token when one is configured (`requireToken`).
 */
import { timingSafeEqual } from 'node:crypto';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ApiContext } from './context.js';
import { DatabaseUnavailableError } from './live-database.js';
import { accountRoutes } from './routes/accounts.js';
import { cacheRoutes } from './routes/cache.js';
import { exportRoutes } from './routes/export.js';
import { graphDataRoutes } from './routes/graph-data.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { seedRoutes } from './routes/seeds.js';
import { statusRoutes } from './routes/status.js';
import { webRoutes } from './routes/web.js';
import { validationFailure, zodValidatorCompiler } from './validation.js';

/** Request bodies are small JSON documents; 64 KB holds 500 seeds with room to spare. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Ports the explorer is served from: the server itself and Vite's dev server (SPEC §12). */
const DEV_SERVER_PORT = 5173;

declare module 'fastify' {
  interface FastifyRequest {
    startedAt: bigint;
  }
}

/** An error a handler means to answer with: its status and a message for the user. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function allowedOrigins(host: string, port: number): Set<string> {
  const hosts = new Set(['127.0.0.1', 'localhost', host.includes(':') ? `[${host}]` : host]);
  const origins = new Set<string>();
  for (const h of hosts) for (const p of [port, DEV_SERVER_PORT]) origins.add(`http://${h}:${p}`);
  return origins;
}

/** Bearer-token check for write endpoints (SPEC §7.4), in constant time. */
export function requireToken(context: ApiContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = context.config.apiToken;
    if (!token) return;
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      await reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send({
          error: 'Unauthorized',
          message: 'This endpoint changes state: send Authorization: Bearer $TPOT_API_TOKEN.',
        });
    }
  };
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
        Object.assign(new Error(`The body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }),
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
    if (error.validation)
      return reply
        .code(400)
        .send(
          validationFailure(
            error.validationContext,
            error.validation as { path?: PropertyKey[]; instancePath?: string; message?: string }[],
          ),
        );
    if (error instanceof HttpError)
      return reply
        .code(error.statusCode)
        .send({ error: error.message, ...(error.field ? { field: error.field } : {}) });
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
    return reply
      .code(500)
      .send({
        error: 'Internal error',
        message: 'The server failed on this request; the details are in logs/serve.log.',
      });
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply
      .code(404)
      .send({
        error: 'Not found',
        message: `No route ${request.method} ${request.url.split('?')[0]}. The API is described in README.md.`,
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
    methods: ['GET', 'POST'],
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
  await app.register(webRoutes, context);
  return app;
}
