/**
 * The server's analysis jobs (docs/API.md, "Analysis jobs"): a community propagation (what `tpot
 * communities propagate` does) or a snapshot refresh (what `tpot snapshot refresh` does), started
 * from the explorer, one at a time for the whole server, with its progress, its result and a cancel.
 *
 * A job runs in a child process (analysis-job-process.ts), not on a worker thread:
 *
 * - a cancel is a kill, and a kill is clean: SQLite rolls back the propagation's open transaction
 *   (a run is stored in one, communities/run.ts), and the snapshot is moved into place only when
 *   whole. A thread in the middle of synchronous work — every step of both jobs — cannot be stopped
 *   that way without taking its process along;
 * - the memory of a large run (the graph, the bootstrap's columns) goes back to the system when the
 *   process ends, instead of staying in the server's heap;
 * - the server's event loop is never blocked, and a job that runs out of memory does not take the
 *   server down with it.
 *
 * The child reports over IPC (`JobMessage`). Its stdout and stderr are kept, the last few KB, for
 * the error of a job that stopped without saying why and for the server's log.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { RefreshOptions } from '../graph/refresh.js';
import type { Logger } from '../log.js';
import { nowUtc } from '../time.js';
import { workerScript } from '../worker-script.js';
import { HttpError } from './http-error.js';
import type {
  AnalysisJobKind,
  AnalysisJobPayload,
  AnalysisJobProgressPayload,
  AnalysisStatusPayload,
  PropagationJobResultPayload,
  SnapshotJobResultPayload,
} from './wire.js';

export const ANALYSIS_JOB_KINDS = ['propagation', 'snapshot'] as const satisfies readonly AnalysisJobKind[];

/** After SIGTERM, a job process still alive this long is killed outright. */
export const KILL_AFTER_MS = 5_000;
/** How much of the job process's output is kept. */
const OUTPUT_CHARS = 4_000;
/** Lines of it that go into a failed job's error. */
const OUTPUT_LINES = 10;

/** A propagation job's choices; the rest is what `tpot communities propagate` defaults to. */
export interface PropagationJobOptions {
  bootstrapSamples?: number;
  interactionWeight?: number;
}

/** What the server sends its job process, once, when it starts. */
export type JobSpec =
  | ({ kind: 'propagation'; dbPath: string } & PropagationJobOptions)
  | { kind: 'snapshot'; dbPath: string; dataDir: string; stagingDir: string; refresh: RefreshOptions };

/** What the job process reports: progress as it goes, then either the result or why it failed. */
export type JobMessage =
  | { type: 'progress'; progress: AnalysisJobProgressPayload }
  | { type: 'succeeded'; result: PropagationJobResultPayload | SnapshotJobResultPayload; message: string }
  | { type: 'failed'; error: string };

interface Job {
  status: AnalysisJobPayload;
  startedMs: number;
  child: ChildProcess;
  /** Settles when the process has ended and the job's state is final. */
  ended: Promise<void>;
  cancelled: boolean;
  killTimer: NodeJS.Timeout | null;
  reported: Exclude<JobMessage, { type: 'progress' }> | null;
  output: string;
  stagingDir: string | null;
}

/** A snapshot job's staging directory under data/tmp: `snapshot-job-<server pid>-<job id>`. */
const stagingName = (id: number) => `snapshot-job-${process.pid}-${id}`;
const STAGING_NAME = /^snapshot-job-(\d+)-\d+$/;

/**
 * Staging directories left by a server that stopped while its snapshot job ran (a running server
 * removes its own when the job ends): nothing reads them, but each holds a whole snapshot's bytes.
 */
function removeStaleStaging(tmp: string): void {
  if (!existsSync(tmp)) return;
  for (const name of readdirSync(tmp)) {
    const pid = Number(STAGING_NAME.exec(name)?.[1]);
    if (pid && !processAlive(pid)) rmSync(join(tmp, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class AnalysisJobs {
  private current: Job | null = null;
  private nextId = 1;
  private readonly last: AnalysisStatusPayload['last'] = { propagation: null, snapshot: null };

  constructor(
    private readonly paths: { dbPath: string; dataDir: string },
    private readonly log: Logger,
  ) {}

  /** Starts a job in its own process; a 409 while another one runs. */
  start(kind: 'propagation', options?: PropagationJobOptions): AnalysisJobPayload;
  start(kind: 'snapshot', options: RefreshOptions): AnalysisJobPayload;
  start(kind: AnalysisJobKind, options?: PropagationJobOptions | RefreshOptions): AnalysisJobPayload {
    const running = this.running();
    if (running) {
      const { kind: what, id, started_at } = running.status;
      throw new HttpError(
        409,
        `A ${what} job is running (job ${id}, started ${started_at}): wait for it to finish, ` +
          'or cancel it with POST /api/analysis/cancel.',
      );
    }
    const id = this.nextId++;
    const { dbPath, dataDir } = this.paths;
    // Under data/ (the same file system, so the files are renamed into place), one per job and server.
    const stagingDir = kind === 'snapshot' ? join(dataDir, 'tmp', stagingName(id)) : null;
    if (stagingDir) removeStaleStaging(dirname(stagingDir));
    const spec: JobSpec =
      stagingDir === null
        ? { kind: 'propagation', dbPath, ...(options as PropagationJobOptions | undefined) }
        : { kind: 'snapshot', dbPath, dataDir, stagingDir, refresh: options as RefreshOptions };
    const child = fork(workerScript('./analysis-job-process.js', import.meta.url), [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const job: Job = {
      status: {
        id,
        kind,
        state: 'running',
        started_at: nowUtc(),
        finished_at: null,
        elapsed_ms: 0,
        progress: { fraction: 0, message: 'Starting.' },
        result: null,
        error: null,
      },
      startedMs: performance.now(),
      child,
      ended: Promise.resolve(), // watch() below
      cancelled: false,
      killTimer: null,
      reported: null,
      output: '',
      stagingDir,
    };
    job.ended = this.watch(job);
    child.send(spec, (error) => {
      if (error) {
        job.output += `Could not hand the job to its process: ${errorMessage(error)}\n`;
        child.kill('SIGKILL');
      }
    });
    this.current = job;
    this.log.info(`Analysis job ${id} (${kind}) started, process ${child.pid ?? '?'}.`);
    return this.view(job);
  }

  /** The running or most recent job, and the last job of each kind that succeeded. */
  status(): AnalysisStatusPayload {
    return { job: this.current && this.view(this.current), last: { ...this.last } };
  }

  /** Stops the running job (SIGTERM, then SIGKILL) and answers its final state once its process has ended. */
  async cancel(): Promise<AnalysisJobPayload> {
    const job = this.running();
    if (!job) throw new HttpError(409, 'No analysis job is running.');
    this.stop(job);
    await job.ended;
    return this.view(job);
  }

  /** For the server's shutdown: stops a running job and waits for its process to end. */
  async close(): Promise<void> {
    const job = this.running();
    if (!job) return;
    this.stop(job);
    await job.ended;
  }

  /** Follows the job's process: its output, its messages, its end. Settles once the job's state is final. */
  private watch(job: Job): Promise<void> {
    const { child } = job;
    const keep = (chunk: string) => (job.output = (job.output + chunk).slice(-OUTPUT_CHARS));
    child.stdout!.setEncoding('utf8').on('data', keep);
    child.stderr!.setEncoding('utf8').on('data', keep);
    child.on('message', (message: JobMessage) => {
      if (message.type === 'progress') job.status.progress = message.progress;
      else job.reported = message;
    });
    return new Promise((resolve) => {
      const end = (how: string) => {
        if (job.status.state !== 'running') return;
        this.finish(job, how);
        resolve();
      };
      // 'close' comes after the IPC channel and the output pipes are drained, so every message is in.
      child.once('close', (code, signal) => end(signal ? `on ${signal}` : `with exit code ${code}`));
      // Only a process that never started ends here; any other 'error' (a failed kill) changes nothing.
      child.on('error', (error) => {
        if (child.pid === undefined) end(`before it started (${errorMessage(error)})`);
      });
    });
  }

  private running(): Job | null {
    return this.current?.status.state === 'running' ? this.current : null;
  }

  private stop(job: Job): void {
    if (job.cancelled) return;
    job.cancelled = true;
    job.child.kill('SIGTERM');
    job.killTimer = setTimeout(() => job.child.kill('SIGKILL'), KILL_AFTER_MS);
    job.killTimer.unref();
  }

  /**
   * The job's final state, once its process has ended: a result it reported wins (a cancel that came
   * while the snapshot was being moved into place was too late), then a failure it reported, then the
   * cancel; else the process died without a word, and its last output says why.
   */
  private finish(job: Job, how: string): void {
    if (job.killTimer) clearTimeout(job.killTimer);
    if (job.stagingDir) rmSync(job.stagingDir, { recursive: true, force: true });
    const { status, reported } = job;
    status.finished_at = nowUtc();
    status.elapsed_ms = Math.round(performance.now() - job.startedMs);
    const output = job.output.trim().split('\n').slice(-OUTPUT_LINES).join('\n');
    const name = `Analysis job ${status.id} (${status.kind})`;
    if (reported?.type === 'succeeded') {
      status.state = 'succeeded';
      status.progress = { fraction: 1, message: reported.message };
      // The process ran the kind it was started for, so its result is of that kind.
      if (status.kind === 'propagation') {
        status.result = reported.result as PropagationJobResultPayload;
        this.last.propagation = status;
      } else {
        status.result = reported.result as SnapshotJobResultPayload;
        this.last.snapshot = status;
      }
      this.log.info(`${name} succeeded in ${(status.elapsed_ms / 1000).toFixed(1)} s: ${reported.message}`);
    } else if (reported?.type === 'failed') {
      status.state = 'failed';
      status.error = reported.error;
      this.log.warn(`${name} failed: ${reported.error}${output ? `\n${output}` : ''}`);
    } else if (job.cancelled) {
      status.state = 'cancelled';
      this.log.info(`${name} cancelled.`);
    } else {
      status.state = 'failed';
      status.error = `The job's process stopped ${how} without a result${output ? `: ${output}` : '.'}`;
      this.log.error(`${name} failed: ${status.error}`);
    }
  }

  /** A copy, with the time it has run so far. */
  private view(job: Job): AnalysisJobPayload {
    const { status } = job;
    return {
      ...status,
      elapsed_ms: status.state === 'running' ? Math.round(performance.now() - job.startedMs) : status.elapsed_ms,
    };
  }
}
