/**
 * Child-process entry for the import benchmark (docs/BENCHMARKS.md): the local archive server, on
 * 127.0.0.1 only, streaming each archive from disk. It runs apart from the importer so that
 * serving does not share the importer's CPU time, event loop or memory figures.
 *
 * Protocol: receives a ServeRequest, answers a ServeReady with the URL template, and serves until
 * the parent disconnects or sends SIGTERM.
 */
import { startArchiveServer } from '../testing/archive-server.js';
import { exitWithParent } from './children.js';

export interface ServeRequest {
  /** [lower-case username, path of its archive.json]. */
  archives: [string, string][];
}

export interface ServeReady {
  template: string;
}

process.once('message', (request: ServeRequest) => {
  void serve(request);
});

async function serve(request: ServeRequest): Promise<void> {
  const server = await startArchiveServer({ archives: new Map(request.archives) });
  exitWithParent(() => server.close());
  const ready: ServeReady = { template: server.template };
  process.send?.(ready);
}
