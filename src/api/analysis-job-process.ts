/**
 * The process an analysis job runs in (analysis-jobs.ts says why a process): forked by the server,
 * handed its `JobSpec` over IPC, it does what the CLI does — `tpot communities propagate` or `tpot
 * snapshot refresh` — reports progress and the result back, and exits.
 *
 * - Propagation: the database opened read-write; `propagateCommand` stores the run and its
 *   memberships in one transaction (communities/run.ts), so a kill before the commit leaves no
 *   trace of it.
 * - Snapshot: `refreshSnapshot` writes into a staging directory under data/tmp and checks that it
 *   loads; only then are the files renamed into the data directory, the manifest last. Written in
 *   place, a kill between two files would leave Arrow files that no longer match the manifest's
 *   checksums, and the previous snapshot unreadable. The server removes the staging directory when
 *   the job ends, whatever the outcome.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BOOTSTRAP_DEFAULTS } from '../communities/defaults.js';
import { propagateCommand } from '../communities/propagate-command.js';
import { DatabaseMissingError, migrateIfPresent, openDatabase } from '../db/database.js';
import { sqliteFailure } from '../db/sqlite-errors.js';
import { errorMessage, TpotError } from '../errors.js';
import { refreshSnapshot } from '../graph/refresh.js';
import { readManifest, SNAPSHOT_FILES } from '../graph/snapshot-manifest.js';
import type { JobMessage, JobSpec } from './analysis-jobs.js';
import type { PropagationJobResultPayload, SnapshotJobResultPayload } from './wire.js';

type Done = Extract<JobMessage, { type: 'succeeded' }>;

const send = process.send?.bind(process);
if (!send) throw new Error('analysis-job-process.js is started by the API server (child_process.fork).');

/** `fraction` to three decimals (a progress bar has no use for more); null when the job cannot tell. */
function progress(fraction: number | null, message: string): void {
  const rounded = fraction === null ? null : Math.round(fraction * 1000) / 1000;
  send!({ type: 'progress', progress: { fraction: rounded, message } } satisfies JobMessage);
}

async function propagation(spec: Extract<JobSpec, { kind: 'propagation' }>): Promise<Done> {
  const samples = spec.bootstrapSamples ?? BOOTSTRAP_DEFAULTS.samples;
  // Opened read-write, the file would be created: a job does not make an empty database.
  if (!existsSync(spec.dbPath)) throw new DatabaseMissingError(spec.dbPath);
  const db = openDatabase(spec.dbPath);
  try {
    // The solve reports no progress of its own: only the bootstrap's samples can be counted.
    let fraction = samples > 0 ? 0 : null;
    progress(fraction, 'Building the graph and placing the seeds.');
    const { json, text } = await propagateCommand(db, {
      bootstrap: samples,
      interactionWeight: spec.interactionWeight,
      onProgress: (message) => {
        // The run's own solve counts as one sample: "Bootstrap: 5 of 40 seed samples." is 6 of 41 done.
        const sample = /^Bootstrap: (\d+) of (\d+) seed samples/.exec(message);
        if (sample) fraction = (1 + Number(sample[1])) / (1 + Number(sample[2]));
        progress(fraction, message);
      },
    });
    const result: PropagationJobResultPayload = {
      run_id: json.runId,
      engine: json.engine,
      communities: json.members,
      accounts: json.nodes,
      seeds: json.seeds,
      missing_seeds: json.missingSeeds,
      bands: json.bands,
      bootstrap_samples: json.bootstrapSamples,
      duration_ms: json.durationMs,
      converged: json.converged,
      iterations: json.iterations,
    };
    return { type: 'succeeded', result, message: text.split('\n')[0]! };
  } finally {
    db.close();
  }
}

function snapshot(spec: Extract<JobSpec, { kind: 'snapshot' }>): Done {
  migrateIfPresent(spec.dbPath);
  const db = openDatabase(spec.dbPath, { readonly: true });
  let steps;
  try {
    mkdirSync(spec.stagingDir, { recursive: true });
    steps = refreshSnapshot(db, spec.stagingDir, spec.refresh, (step, total, name) =>
      progress((step - 1) / total, `[${step}/${total}] ${name}…`),
    ).steps;
  } finally {
    db.close();
  }
  const { generated_at, counts } = publishSnapshot(spec.stagingDir, spec.dataDir);
  const result: SnapshotJobResultPayload = {
    generated_at,
    counts,
    steps: steps.map(({ name, seconds }) => ({ name, seconds: Math.round(seconds * 1000) / 1000 })),
  };
  const message = `Snapshot written: ${counts.nodes} nodes, ${counts.edges} edges, ${counts.communities} communities.`;
  return { type: 'succeeded', result, message };
}

/** Moves a whole, checked snapshot from `staging` into `dir`, the manifest last (as graph/snapshot.ts writes it). */
function publishSnapshot(staging: string, dir: string) {
  const manifest = readManifest(staging);
  // From here a SIGTERM waits: a signal's handler runs only once this synchronous code is done, so
  // the renames are never cut in half. A cancel that comes now is too late, and the job succeeds.
  process.on('SIGTERM', () => undefined);
  mkdirSync(dir, { recursive: true });
  for (const { file } of Object.values(manifest.files)) renameSync(join(staging, file), join(dir, file));
  renameSync(join(staging, SNAPSHOT_FILES.manifest), join(dir, SNAPSHOT_FILES.manifest));
  // An interaction file left by an earlier snapshot is not part of this one.
  if (!manifest.files.interactions) rmSync(join(dir, SNAPSHOT_FILES.interactions), { force: true });
  return manifest;
}

/**
 * An expected failure as the CLI words it (message and what to do); a bug's stack goes to stderr, which the
 * server logs.
 */
function failure(error: unknown): string {
  const expected = error instanceof TpotError ? error : sqliteFailure(error);
  if (expected) return `${expected.message}${expected.hint ? ` ${expected.hint}` : ''}`;
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return errorMessage(error);
}

async function run(spec: JobSpec): Promise<void> {
  let message: JobMessage;
  try {
    message = spec.kind === 'propagation' ? await propagation(spec) : snapshot(spec);
  } catch (error) {
    message = { type: 'failed', error: failure(error) };
  }
  // Exit once the message is handed over: the server reads it before it sees the channel close.
  send!(message, undefined, undefined, () => process.exit(message.type === 'succeeded' ? 0 : 1));
}

// A job belongs to its server: when the server is gone, nobody waits for the result.
process.on('disconnect', () => process.exit(1));
process.once('message', (spec: JobSpec) => void run(spec));
