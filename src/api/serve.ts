/**
 * Starting the API server (`tpot serve`, `npm start`): the safety rules (docs/API.md, "Safety")
 * checked before anything listens, the services built once and handed to the routes, and a clean
 * stop on SIGINT/SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { errorMessage, TpotError, UsageError } from '../errors.js';
import { migrateIfPresent } from '../db/database.js';
import type { Logger } from '../log.js';
import { AnalysisJobs } from './analysis-jobs.js';
import { analysisFrom, defaultPaths, findWebRoot, settings, type ApiContext } from './context.js';
import { GraphService } from './graph-service.js';
import { LiveDatabase } from './live-database.js';
import { fragments } from './payloads.js';
import { PerformanceLog } from './performance.js';
import { graphDataFor } from './routes/graph-data.js';
import { createServer } from './server.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export class UnsafeBindError extends UsageError {
  constructor(host: string) {
    super(
      `Refusing to listen on ${host} without TPOT_API_TOKEN: ` +
        'on a non-loopback address the write endpoints need a token.',
      { hint: 'Set TPOT_API_TOKEN, or bind to 127.0.0.1.' },
    );
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface RunningServer {
  app: FastifyInstance;
  context: ApiContext;
  url: string;
  close(): Promise<void>;
}

export function apiContext(config: Config, log: Logger, paths = defaultPaths()): ApiContext {
  const database = new LiveDatabase(config.dbPath);
  return {
    config,
    database,
    graphs: new GraphService(
      database,
      config.dataDir,
      GraphService.graphCacheFor(),
      GraphService.responseCacheFor(),
      log,
    ),
    jobs: new AnalysisJobs({ dbPath: config.dbPath, dataDir: config.dataDir }, log),
    performance: new PerformanceLog(),
    ...paths,
    webRoot: findWebRoot(PACKAGE_ROOT),
    log,
    startedAt: Date.now(),
  };
}

/**
 * Prepares the default view right after start — the analysed graph, its graph-data body
 * compressed, the metrics fragments — so the first visitor does not wait for them. A request that
 * comes meanwhile shares the work (the caches share in-flight computations).
 */
async function warmUp(context: ApiContext): Promise<void> {
  const started = performance.now();
  try {
    const analysis = analysisFrom({}, settings(context));
    const { value } = await graphDataFor(context, analysis);
    await value.encode('gzip');
    await fragments((await context.graphs.analysed(analysis)).graph);
    context.log.info(`Default view ready in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
  } catch (error) {
    // No database yet, or a broken settings file: requests will say so.
    context.log.debug(`Warm-up skipped: ${errorMessage(error)}`);
  }
}

export async function startServer(
  config: Config,
  log: Logger,
  context = apiContext(config, log),
): Promise<RunningServer> {
  if (!isLoopback(config.host) && !config.apiToken) throw new UnsafeBindError(config.host);
  const app = await createServer(context);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  void warmUp(context);
  return {
    app,
    context,
    url,
    close: async () => {
      await app.close();
      // A running job is killed: it stores nothing half-done (analysis-jobs.ts).
      await context.jobs.close();
      await context.graphs.close();
      context.database.shutdown();
    },
  };
}

/** Why the server could not listen, as something the user can act on; other errors as they are. */
function listenFailure(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new TpotError('network', `Port ${config.port} on ${config.host} is already in use.`, {
      hint: 'Is tpot serve already running? Stop it, or pick another port with --port or PORT.',
      cause: error,
    });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new UsageError(`Cannot listen on ${config.host}: no such address on this machine.`, { cause: error });
  return error;
}

/** Serves until SIGINT or SIGTERM; resolves once the server has closed. */
export async function serveUntilStopped(config: Config, log: Logger): Promise<void> {
  let server: RunningServer;
  migrateIfPresent(config.dbPath);
  try {
    server = await startServer(config, log);
  } catch (error) {
    throw listenFailure(error, config);
  }
  // Handlers first: whoever reads the "listening" line may send a signal at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: stopping the server.`);
      server.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  log.info(`API and explorer listening on ${server.url} (database ${config.dbPath}). Stop with Ctrl-C.`);
  if (config.apiToken) log.info('Write endpoints require the bearer token (TPOT_API_TOKEN).');
  await stopped;
}
