/**
 * Worker-thread entry of the server's live builds: opens the database read-only (once), builds the
 * graph for the requested filters and computes its seed-independent metrics, and answers with
 * plain data (typed arrays and node records; the id → index map is rebuilt by the receiver).
 * Running here keeps the event loop free: a 95,000-node build and analysis takes seconds.
 */
import { parentPort } from 'node:worker_threads';
import { openDatabase, type Db } from '../db/database.js';
import { baseMetrics } from '../graph/analysis.js';
import { buildGraph } from '../graph/build.js';
import type { AnalysisReply, AnalysisRequest } from './analysis-thread.js';
import { errorMessage } from '../errors.js';

const port = parentPort;
if (!port) throw new Error('analysis-worker.js must run in a worker thread');

let open: { path: string; db: Db } | null = null;

port.on('message', (request: AnalysisRequest) => {
  try {
    if (open?.path !== request.dbPath) {
      open?.db.close();
      open = { path: request.dbPath, db: openDatabase(request.dbPath, { readonly: true }) };
    }
    const { analysis } = request;
    const built = buildGraph(open.db, analysis);
    const base = baseMetrics(built, { resolution: analysis.resolution });
    const { index: _index, ...graph } = built.graph;
    port.postMessage({ id: request.id, ok: true, built: { ...built, graph }, base } satisfies AnalysisReply);
  } catch (error) {
    // The file may have been replaced: reopen on the next request.
    open?.db.close();
    open = null;
    port.postMessage({
      id: request.id,
      ok: false,
      message: errorMessage(error),
    } satisfies AnalysisReply);
  }
});
