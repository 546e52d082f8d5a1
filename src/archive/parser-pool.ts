/**
 * Parsing archives in parallel: a pool of worker threads, each staging one archive at a time
 * (src/archive/stage-archive.ts). The importer is CPU-bound in parsing; the pool lets parsing use
 * every core while the main thread downloads and commits (measured in docs/BENCHMARKS.md).
 * With size 0 archives are staged on the main thread.
 */
import { WorkerPool } from '../worker-pool.js';
import { workerScript } from '../worker-script.js';
import type { WorkerReply, WorkerRequest } from './parse-worker.js';
import { stageArchive, type StageJob, type StagedArchive } from './stage-archive.js';

export interface ArchiveParser {
  stage(job: StageJob): Promise<StagedArchive>;
  close(): Promise<void>;
}

export function createParser(size: number): ArchiveParser {
  return size > 0 ? createPoolParser(size) : { stage: stageArchive, close: async () => undefined };
}

function createPoolParser(size: number): ArchiveParser {
  const pool = new WorkerPool<WorkerReply>(workerScript('./parse-worker.js', import.meta.url), size, 'archive parser');
  let nextId = 1;
  return {
    async stage(job) {
      const reply = await pool.request({ ...job, id: nextId++ } satisfies WorkerRequest);
      if (reply.ok) return reply.staged;
      throw Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {});
    },
    close: () => pool.close(),
  };
}
