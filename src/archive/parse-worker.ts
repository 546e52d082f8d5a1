/**
 * Worker-thread entry of the parser pool: stages one archive per message and answers with the
 * result or the error (its message and SQLite code, so the importer can tell a full disk).
 */
import { parentPort } from 'node:worker_threads';
import { stageArchive, type StageJob } from './stage-archive.js';

export type WorkerRequest = StageJob & { id: number };
export type WorkerReply =
  | { id: number; ok: true; staged: Awaited<ReturnType<typeof stageArchive>> }
  | { id: number; ok: false; message: string; code: string | null };

const port = parentPort;
if (!port) throw new Error('parse-worker.js must run in a worker thread');

port.on('message', (request: WorkerRequest) => {
  stageArchive(request).then(
    (staged) => port.postMessage({ id: request.id, ok: true, staged } satisfies WorkerReply),
    (error: unknown) => {
      const { message, code } = error as { message?: string; code?: unknown };
      port.postMessage({
        id: request.id,
        ok: false,
        message: message ?? String(error),
        code: typeof code === 'string' ? code : null,
      } satisfies WorkerReply);
    },
  );
});
