/**
 * Parsing archives in parallel: a pool of worker threads, each staging one archive at a time
 * (src/archive/stage-archive.ts). The importer is CPU-bound in parsing; the pool lets parsing use
 * every core while the main thread downloads and commits (measured in docs/BENCHMARKS.md).
 * With size 0 archives are staged on the main thread.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script.js';
import type { WorkerReply, WorkerRequest } from './parse-worker.js';
import { stageArchive, type StageJob, type StagedArchive } from './stage-archive.js';

export interface ArchiveParser {
  stage(job: StageJob): Promise<StagedArchive>;
  close(): Promise<void>;
}

interface Pending {
  request: WorkerRequest;
  resolve: (staged: StagedArchive) => void;
  reject: (error: Error) => void;
}

export function createParser(size: number): ArchiveParser {
  return size > 0 ? new WorkerParserPool(size) : { stage: stageArchive, close: async () => undefined };
}

class WorkerParserPool implements ArchiveParser {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private started = 0;

  constructor(private readonly size: number) {}

  stage(job: StageJob): Promise<StagedArchive> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { ...job, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? this.spawn();
      if (!worker) return;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.request);
    }
  }

  /** A new worker while the pool is below its size; workers start only when there is work. */
  private spawn(): Worker | null {
    if (this.started >= this.size) return null;
    this.started++;
    const worker = new Worker(workerScript('./parse-worker.js', import.meta.url));
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (pending) {
        if (reply.ok) pending.resolve(reply.staged);
        else pending.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
      }
      this.dispatch();
    });
    worker.on('error', (error) => this.lose(worker, error));
    worker.on('exit', (code) => this.lose(worker, new Error(`archive parser thread stopped (exit code ${code})`)));
    return worker;
  }

  /** A worker that died fails its archive; the pool starts another for the rest. */
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
