/**
 * One import benchmark scenario (docs/BENCHMARKS.md): a data set served over real HTTP on 127.0.0.1 by the
 * archive server in one child process, imported into a fresh SQLite file by the real importer in
 * another. Measures archives/min, MB/s of archive JSON, rows/s and the importer's peak RSS.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServeReady, ServeRequest } from './archive-server-process.js';
import { kill, nextMessage, type ChildProcesses } from './children.js';
import type { Dataset } from './datasets.js';
import type { ImportJob, ImportOutcome } from './import-worker.js';

/** Downloads in flight by default (the importer's default). */
export const IMPORT_CONCURRENCY = 4;

export interface ScenarioOptions {
  children: ChildProcesses;
  /** A fresh directory for this scenario's database and download spool. */
  workDir: string;
  /** Node flags for the importer process, e.g. `--cpu-prof`. */
  workerExecArgv: string[];
  /** The importer's `interactions` option. */
  interactions: boolean;
}

export interface ScenarioResult {
  dataset: Dataset;
  archives: number;
  bytes: number;
  rows: number;
  seconds: number;
  maxRssKb: number;
}

export async function runImportScenario(dataset: Dataset, options: ScenarioOptions): Promise<ScenarioResult> {
  await mkdir(options.workDir, { recursive: true });
  const server = options.children.fork('archive-server-process.js');
  let outcome: ImportOutcome;
  try {
    outcome = await runImporter(options, {
      dbPath: join(options.workDir, 'cache.db'),
      template: await serve(server, dataset),
      spoolDir: join(options.workDir, 'spool'),
      concurrency: IMPORT_CONCURRENCY,
      usernames: [...dataset.archives.keys()],
      interactions: options.interactions,
    });
  } finally {
    await kill(server);
  }
  requireAllImported(dataset, outcome);
  return {
    dataset,
    archives: outcome.imported,
    bytes: outcome.bytes,
    rows: outcome.rows,
    seconds: outcome.seconds,
    maxRssKb: outcome.maxRssKb,
  };
}

/** Hands the data set to the archive server and returns its URL template. */
async function serve(server: ChildProcess, dataset: Dataset): Promise<string> {
  const request: ServeRequest = { archives: [...dataset.archives] };
  server.send(request);
  const ready = await nextMessage<ServeReady>(server, 'the archive server');
  return ready.template;
}

async function runImporter(options: ScenarioOptions, job: ImportJob): Promise<ImportOutcome> {
  const worker = options.children.fork('import-worker.js', options.workerExecArgv);
  try {
    worker.send(job);
    return await nextMessage<ImportOutcome>(worker, 'the import worker');
  } finally {
    await kill(worker);
  }
}

/** A benchmark of a run that failed archives would measure the wrong thing: stop instead. */
function requireAllImported(dataset: Dataset, outcome: ImportOutcome): void {
  if (outcome.imported === dataset.archives.size) return;
  const detail = outcome.errors.slice(0, 5).join('; ');
  throw new Error(
    `${dataset.name}: ${outcome.imported} of ${dataset.archives.size} archives imported ` +
      `(${outcome.failed} failed, ${outcome.notFound} not found)${detail ? `: ${detail}` : ''}`,
  );
}
