/**
 * The server's one analysis thread (analysis-worker.ts): live builds run there, one at a time,
 * while the event loop keeps answering — /health, cached graphs, other requests. One thread, not
 * a pool: an analysis uses a whole core, and the other core is the event loop's.
 */
import { Worker } from 'node:worker_threads';
import type { BaseMetrics } from '../graph/analysis.js';
import type { BuiltGraph } from '../graph/build.js';
import type { FollowGraph } from '../graph/graph.js';
import type { AnalysisParams } from '../graph/params.js';
import { workerScript } from '../worker-script.js';

export interface AnalysisRequest {
  id: number;
  dbPath: string;
  analysis: AnalysisParams;
}

type PlainBuilt = Omit<BuiltGraph, 'graph'> & { graph: Omit<FollowGraph, 'index'> };

export type AnalysisReply =
  { id: number; ok: true; built: PlainBuilt; base: BaseMetrics } | { id: number; ok: false; message: string };

export class AnalysisThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: { built: BuiltGraph; base: BaseMetrics }) => void; reject: (error: Error) => void }
  >();

  analyse(dbPath: string, analysis: AnalysisParams): Promise<{ built: BuiltGraph; base: BaseMetrics }> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, dbPath, analysis } satisfies AnalysisRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerScript('./analysis-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (reply: AnalysisReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if (!reply.ok) return waiting.reject(new Error(reply.message));
      const { graph, ...rest } = reply.built;
      const index = new Map(graph.ids.map((id, i) => [id, i]));
      waiting.resolve({ built: { ...rest, graph: { ...graph, index } }, base: reply.base });
    });
    const fail = (error: Error) => {
      this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the analysis thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}
