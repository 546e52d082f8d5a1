/**
 * The write endpoints' scope (docs/API.md, "Safety"): every route that changes state is registered
 * inside it, and its `onRequest` hook checks the bearer token before the body is even read. A new
 * write route goes into a route module's `…WriteRoutes` plugin, which the server registers here,
 * so it cannot be added without the check.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from './context.js';

/** The bearer-token check: a no-op without TPOT_API_TOKEN (loopback only), else constant-time. */
export function requireToken(context: ApiContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = context.config.apiToken;
    if (!token) return;
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      await reply.code(401).header('WWW-Authenticate', 'Bearer').send({
        error: 'Unauthorized',
        message: 'This endpoint changes state: send Authorization: Bearer $TPOT_API_TOKEN.',
      });
    }
  };
}

/** Registers `plugins` in one scope whose every request passes the token check first. */
export function writeScope(plugins: FastifyPluginAsync<ApiContext>[]): FastifyPluginAsync<ApiContext> {
  return async (scope, context) => {
    scope.addHook('onRequest', requireToken(context));
    for (const plugin of plugins) await scope.register(plugin, context);
  };
}
