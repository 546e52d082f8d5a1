/**
 * Propagation on every core (docs/COMMUNITIES.md, "Speed"): an engine's columns are independent, so
 * a pool of worker threads, each holding the graph in memory shared with the main thread, solves a
 * range of them each, and the main thread combines them (engine.ts `combineColumns`) — the same
 * answer, to the bit, as solving them all on one thread. A pool of size 0 solves on the calling
 * thread, which is cheaper on a small graph than starting threads.
 */
import { availableParallelism } from 'node:os';
import { WorkerPool } from '../worker-pool.js';
import { workerScript } from '../worker-script.js';
import type { PropagationParams } from './defaults.js';
import { checkSeeds, combineColumns, propagate, solvedColumnCount, warmColumns, type Propagation } from './engine.js';
import type { SolverGraph } from './propagation-graph.js';
import type { PoolReply, PoolRequest } from './propagation-worker.js';
import type { ColumnBlock, SeedAssignment, SolvedColumns } from './types.js';

export interface Propagator {
  /** Threads solving columns; 0 when they are solved on the calling thread. */
  readonly threads: number;
  propagate(seeds: SeedAssignment, params: PropagationParams, options?: { warm?: Float64Array }): Promise<Propagation>;
  close(): Promise<void>;
}

/**
 * Below this many accounts a propagation takes well under a second on one thread, less than it costs to start
 * threads and share the graph with them.
 */
export const POOL_MIN_NODES = 50_000;

/** Threads worth using for `graph`: every core on a large graph, none on a small one. */
export function propagationThreads(graph: SolverGraph): number {
  const cores = availableParallelism();
  return graph.nodeCount >= POOL_MIN_NODES && cores > 1 ? cores : 0;
}

export function createPropagator(graph: SolverGraph, threads: number): Propagator {
  if (threads <= 0)
    return {
      threads: 0,
      propagate: (seeds, params, options) => Promise.resolve(propagate(graph, seeds, params, options)),
      close: () => Promise.resolve(),
    };
  return new PropagationPool(graph, threads);
}

class PropagationPool implements Propagator {
  private readonly pool: WorkerPool<PoolReply>;
  private nextId = 1;

  constructor(
    private readonly graph: SolverGraph,
    readonly threads: number,
  ) {
    const shared: SolverGraph = {
      nodeCount: graph.nodeCount,
      offsets: shareArray(graph.offsets),
      neighbours: shareArray(graph.neighbours),
      weights: shareArray(graph.weights),
      relation: shareArray(graph.relation),
      interaction: shareArray(graph.interaction),
      degree: shareArray(graph.degree),
    };
    this.pool = new WorkerPool(workerScript('./propagation-worker.js', import.meta.url), threads, 'propagation', {
      workerData: shared,
    });
  }

  async propagate(
    seeds: SeedAssignment,
    params: PropagationParams,
    options: { warm?: Float64Array } = {},
  ): Promise<Propagation> {
    checkSeeds(this.graph, seeds);
    const count = solvedColumnCount(params, seeds);
    const warm = warmColumns(this.graph, seeds, options.warm);
    const parts = Math.min(this.threads, count);
    const solved = await Promise.all(
      Array.from({ length: parts }, (_, part) => {
        const from = Math.floor((part * count) / parts);
        const to = Math.floor(((part + 1) * count) / parts);
        return this.solve({ seeds, params, from, to, ...(warm ? { warm: columnsOf(warm, from, to) } : {}) });
      }),
    );
    return combineColumns(this.graph, seeds, params, solved);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async solve(request: Omit<PoolRequest, 'id'>): Promise<SolvedColumns> {
    const message: PoolRequest = { ...request, id: this.nextId++ };
    const reply = await this.pool.request(message, request.warm ? [request.warm.values.buffer as ArrayBuffer] : []);
    if (reply.ok) return reply.solved;
    throw new RangeError(reply.message);
  }
}

/** A copy of `array` in memory the worker threads share (read-only by convention: nothing writes the graph). */
function shareArray<T extends Int32Array | Float64Array | Uint8Array>(array: T): T {
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const shared = new Type(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
}

/** Columns [from, to) of a block, as a block of their own (the copy a thread is sent). */
function columnsOf(block: ColumnBlock, from: number, to: number): ColumnBlock {
  const count = to - from;
  const n = block.values.length / block.count;
  const values = new Float64Array(n * count);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < count; c++) values[i * count + c] = block.values[i * block.count + from - block.from + c]!;
  return { from, count, values };
}
