/**
 * Propagation on every core (docs/COMMUNITIES.md, "Speed"): an engine's columns are independent, so
 * a pool of worker threads, each holding the graph in memory shared with the main thread, solves a
 * range of them each, and the main thread combines them (engine.ts `combineColumns`) — the same
 * answer, to the bit, as solving them all on one thread. A pool of size 0 solves on the calling
 * thread, which is cheaper on a small graph than starting threads.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
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

interface Pending {
  request: PoolRequest;
  resolve: (solved: SolvedColumns) => void;
  reject: (error: Error) => void;
}

class PropagationPool implements Propagator {
  private readonly shared: SolverGraph;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private started = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly graph: SolverGraph,
    readonly threads: number,
  ) {
    this.shared = {
      nodeCount: graph.nodeCount,
      offsets: shareArray(graph.offsets),
      neighbours: shareArray(graph.neighbours),
      weights: shareArray(graph.weights),
      relation: shareArray(graph.relation),
      degree: shareArray(graph.degree),
    };
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

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private solve(request: Omit<PoolRequest, 'id'>): Promise<SolvedColumns> {
    if (this.closed) return Promise.reject(new Error('the propagation pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { ...request, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? this.spawn();
      if (!worker) return;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      const warm = pending.request.warm;
      worker.postMessage(pending.request, warm ? [warm.values.buffer as ArrayBuffer] : []);
    }
  }

  /** A new thread while the pool is below its size; threads start only when there is work. */
  private spawn(): Worker | null {
    if (this.started >= this.threads) return null;
    this.started++;
    const worker = new Worker(workerScript('./propagation-worker.js', import.meta.url), { workerData: this.shared });
    worker.on('message', (reply: PoolReply) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (pending) {
        if (reply.ok) pending.resolve(reply.solved);
        else pending.reject(new RangeError(reply.message));
      }
      this.dispatch();
    });
    worker.on('error', (error) => this.lose(worker, error));
    worker.on('exit', (code) => {
      if (!this.closed) this.lose(worker, new Error(`propagation thread stopped (exit code ${code})`));
    });
    return worker;
  }

  /** A thread that died fails its columns; the pool starts another for the rest. */
  private lose(worker: Worker, error: Error): void {
    const pending = this.busy.get(worker);
    if (!pending && !this.idle.includes(worker)) return;
    this.busy.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    this.started--;
    pending?.reject(error);
    this.dispatch();
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
