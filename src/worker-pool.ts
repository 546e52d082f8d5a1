/**
 * A fixed-size pool of worker threads that answer one request at a time each: requests wait in a
 * queue, threads start only when there is work, and a thread that dies fails its request while
 * the pool starts another for the rest. The archive parser pool and the propagation pool are built
 * on it; each says how a reply becomes a result or an error.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

interface Pending<Reply> {
  message: unknown;
  transfer: ArrayBuffer[];
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

export class WorkerPool<Reply> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending<Reply>>();
  private readonly queue: Pending<Reply>[] = [];
  private started = 0;
  private closed = false;

  /** `name` says in an error which kind of thread stopped. */
  constructor(
    private readonly script: URL,
    private readonly size: number,
    private readonly name: string,
    private readonly options: WorkerOptions = {},
  ) {}

  /** Sends `message` (with `transfer` moved, not copied) to the next free thread; resolves with its reply. */
  request(message: unknown, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error(`the ${this.name} pool is closed`));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, transfer, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
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
      worker.postMessage(pending.message, pending.transfer);
    }
  }

  private spawn(): Worker | null {
    if (this.started >= this.size) return null;
    this.started++;
    const worker = new Worker(this.script, this.options);
    worker.on('message', (reply: Reply) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      pending?.resolve(reply);
      this.dispatch();
    });
    worker.on('error', (error) => this.lose(worker, error));
    worker.on('exit', (code) => {
      if (!this.closed) this.lose(worker, new Error(`${this.name} thread stopped (exit code ${code})`));
    });
    return worker;
  }

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
