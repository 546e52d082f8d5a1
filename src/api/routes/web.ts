/**
 * The explorer at `/` (docs/ARCHITECTURE.md, "Explorer"): the built web app from `web/dist` when it is there; until it
 * is built, a short page that says so and points at the API.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../context.js';

const NOT_BUILT = [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8"><title>tpot-analyzer</title></head>',
  '<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">',
  '<h1>tpot-analyzer</h1>',
  '<p>The API is running. The explorer has not been built in this install: ' +
    'run <code>npm run build</code>, then restart with <code>npm start</code>.</p>',
  '<p>API: <a href="/health">/health</a>, <a href="/api/status">/api/status</a>, ' +
    '<a href="/api/seeds">/api/seeds</a>.</p>',
  '</body></html>',
  '',
].join('\n');

export const webRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  if (context.webRoot) {
    await app.register(fastifyStatic, { root: context.webRoot, prefix: '/', index: 'index.html' });
    return;
  }
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
};
