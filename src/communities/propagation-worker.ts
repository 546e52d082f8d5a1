/**
 * Worker-thread entry of the propagation pool (propagation-pool.ts): holds the graph, shared with
 * the main thread, and solves one range of an engine's columns per message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PropagationParams } from './defaults.js';
import { solveColumns } from './engine.js';
import type { SolverGraph } from './propagation-graph.js';
import type { ColumnBlock, SeedAssignment, SolvedColumns } from './types.js';

export interface PoolRequest {
  id: number;
  seeds: SeedAssignment;
  params: PropagationParams;
  from: number;
  to: number;
  warm?: ColumnBlock;
}

export type PoolReply = { id: number; ok: true; solved: SolvedColumns } | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('propagation-worker.js must run in a worker thread');
const graph = workerData as SolverGraph;

port.on('message', (request: PoolRequest) => {
  let reply: PoolReply;
  try {
    const solved = solveColumns(graph, request.seeds, request.params, request.from, request.to, request.warm);
    reply = { id: request.id, ok: true, solved };
    port.postMessage(reply, [solved.values.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
