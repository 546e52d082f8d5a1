/**
 * Analysis jobs over real HTTP on 127.0.0.1 (docs/API.md, "Analysis jobs"): a real server over the
 * demo fixture runs propagations and snapshot refreshes in the job's child process (the compiled
 * dist/api/analysis-job-process.js, built by the integration setup). The curation is written through
 * the real community store on another connection, as `tpot communities` would; what the jobs stored
 * is read back from the database and the snapshot directory, and through the server's own answers.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommunityStore } from '../db/community-store.js';
import { openDatabase, type Db } from '../db/database.js';
import { latestRun, listRuns } from '../db/membership-store.js';
import { loadSnapshot } from '../graph/snapshot.js';
import { SNAPSHOT_FILES } from '../graph/snapshot-manifest.js';
import { createApiFixture, startFixtureServer, type ApiFixture } from '../testing/api-fixture.js';
import { tempDir } from '../testing/fixtures.js';
import type { RunningServer } from './serve.js';
import type { AnalysisJobPayload, AnalysisStatusPayload, ErrorPayload, GraphDataPayload } from './wire.js';

/** A job on this fixture takes about a second; a loaded machine may take many more. */
const JOB_DEADLINE_MS = 45_000;
const POLL_MS = 25;

async function call<T>(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: T }> {
  const response = await request(`${base}${path}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.statusCode, json: (await response.body.json()) as T };
}

describe('analysis jobs', () => {
  let dir: ReturnType<typeof tempDir>;
  let fixture: ApiFixture;
  let server: RunningServer;
  let guarded: RunningServer | undefined;
  /** The curator's connection: another process's, as far as the server can tell. */
  let writer: Db;
  let store: CommunityStore;
  let shorts: string[];
  let seedCount: number;

  const run = (body: unknown, base = server.url, headers: Record<string, string> = {}) =>
    call<AnalysisJobPayload & ErrorPayload>(base, 'POST', '/api/analysis/run', { body, headers });
  const cancel = (base = server.url, headers: Record<string, string> = {}) =>
    call<AnalysisJobPayload & ErrorPayload>(base, 'POST', '/api/analysis/cancel', { headers });
  const status = async (base = server.url) => {
    const answer = await call<AnalysisStatusPayload>(base, 'GET', '/api/analysis/status');
    expect(answer.status).toBe(200);
    return answer.json;
  };
  /** Polls the status until `done` holds for the job, within the deadline. */
  const pollJob = async (done: (job: AnalysisJobPayload) => boolean): Promise<AnalysisJobPayload> => {
    const deadline = Date.now() + JOB_DEADLINE_MS;
    for (;;) {
      const { job } = await status();
      if (job && done(job)) return job;
      if (Date.now() > deadline) throw new Error(`the job did not get there in time: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  const finished = () => pollJob((job) => job.state !== 'running');
  const manifestPath = () => join(fixture.dataDir, SNAPSHOT_FILES.manifest);
  const stagingDirs = () => {
    const tmp = join(fixture.dataDir, 'tmp');
    return existsSync(tmp) ? readdirSync(tmp).filter((name) => name.startsWith('snapshot-job-')) : [];
  };

  beforeAll(async () => {
    dir = tempDir();
    fixture = await createApiFixture(dir.path);
    server = await startFixtureServer(fixture);
    writer = openDatabase(fixture.dbPath);
    store = new CommunityStore(writer, 'test');
    // Three of the demo's communities, each seeded with its first three archive accounts.
    const members = new Map<number, string[]>();
    for (const account of fixture.demo.accounts)
      members.set(account.community, [...(members.get(account.community) ?? []), account.accountId]);
    const seeded = [...members].slice(0, 3);
    for (const [community, ids] of seeded) {
      store.add({ short: `demo${community}`, name: `Demo community ${community}` });
      store.addSeeds(`demo${community}`, ids.slice(0, 3));
    }
    shorts = seeded.map(([community]) => `demo${community}`);
    seedCount = seeded.reduce((sum, [, ids]) => sum + Math.min(3, ids.length), 0);
  });
  afterAll(async () => {
    await guarded?.close();
    await server?.close();
    writer?.close();
    dir?.remove();
  });

  let succeeded: AnalysisJobPayload & { kind: 'propagation' };

  it('runs a propagation to the end: its result names the latest run, which graph-data then shows', async () => {
    expect(await status()).toEqual({ job: null, last: { propagation: null, snapshot: null } });
    const started = await run({ kind: 'propagation', bootstrap_samples: 10 });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({
      kind: 'propagation',
      state: 'running',
      finished_at: null,
      result: null,
      error: null,
    });

    const fractions: (number | null)[] = [];
    const job = await pollJob((seen) => {
      fractions.push(seen.progress.fraction);
      return seen.state !== 'running';
    });
    // Progress only moves forward, from 0 (with a bootstrap there is something to count) to 1.
    expect(fractions.every((f) => f !== null && f >= 0 && f <= 1)).toBe(true);
    expect(fractions).toEqual([...fractions].sort((a, b) => a! - b!));
    expect(job).toMatchObject({ id: started.json.id, kind: 'propagation', state: 'succeeded', error: null });
    if (job.kind !== 'propagation' || !job.result) throw new Error('no propagation result');
    expect(job.progress.fraction).toBe(1);
    expect(job.progress.message).toMatch(/^Run \d+ \(harmonic\): \d+ accounts, \d+ seeds/);
    expect(job.finished_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(job.elapsed_ms).toBeGreaterThan(0);

    const latest = latestRun(writer)!;
    const { result } = job;
    expect(result.run_id).toBe(latest.runId);
    expect(result).toMatchObject({
      engine: 'harmonic',
      accounts: latest.nodeCount,
      seeds: seedCount,
      missing_seeds: [],
      bootstrap_samples: 10,
      converged: latest.converged,
      iterations: latest.iterations,
    });
    expect(latest.bootstrapSamples).toBe(10);
    expect(result.communities.map((c) => c.short)).toEqual(latest.communities.map((c) => c.short));
    expect(result.communities.map((c) => c.short).sort()).toEqual([...shorts].sort());
    expect(Object.values(result.bands).reduce((a, b) => a + b, 0)).toBe(latest.nodeCount);
    expect(result.communities.reduce((sum, c) => sum + c.members, 0)).toBe(
      latest.nodeCount - result.bands.unclassified,
    );

    // The server's caches noticed the commit of another process by themselves.
    const data = await call<GraphDataPayload>(server.url, 'GET', '/api/graph-data');
    expect(data.json.named_communities?.run_id).toBe(result.run_id);
    expect((await status()).last.propagation).toEqual(job);
    succeeded = job;
  });

  it('refuses a second job while one runs (409 naming it), and the running one goes on', async () => {
    const first = await run({ kind: 'propagation', bootstrap_samples: 50 });
    expect(first.status).toBe(202);
    for (const body of [{ kind: 'propagation' }, { kind: 'snapshot' }]) {
      const second = await run(body);
      expect(second.status, body.kind).toBe(409);
      expect(second.json.error).toContain(`A propagation job is running (job ${first.json.id}, started `);
    }
    const during = (await status()).job!;
    expect(during.id).toBe(first.json.id);

    const job = await finished();
    expect(job).toMatchObject({ id: first.json.id, state: 'succeeded' });
    if (job.kind !== 'propagation') throw new Error('not a propagation');
    expect(job.result?.run_id).toBe(latestRun(writer)!.runId);
    expect(job.result?.bootstrap_samples).toBe(50);
    succeeded = job;
  });

  it('cancels a propagation: no run is stored, and the next job starts', async () => {
    const runsBefore = listRuns(writer, 100).map((r) => r.runId);
    const started = await run({ kind: 'propagation', bootstrap_samples: 200 });
    expect(started.status).toBe(202);
    const cancelled = await cancel();
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ id: started.json.id, state: 'cancelled', result: null, error: null });
    expect(cancelled.json.finished_at).not.toBeNull();
    expect(listRuns(writer, 100).map((r) => r.runId)).toEqual(runsBefore);
    // The last success is kept.
    expect((await status()).last.propagation).toEqual(succeeded);
  });

  it('cancels a snapshot refresh mid-way: the snapshot is exactly the one before, no staging is left', async () => {
    const manifestBefore = readFileSync(manifestPath(), 'utf8');
    const started = await run({ kind: 'snapshot' });
    expect(started.status).toBe(202);
    // Once the child reports a step it is refreshing: building, analysing, laying out, writing.
    await pollJob((job) => job.progress.message.startsWith('['));
    expect(stagingDirs()).toHaveLength(1);
    const cancelled = await cancel();
    expect(cancelled.json).toMatchObject({ id: started.json.id, kind: 'snapshot', state: 'cancelled', result: null });
    expect(readFileSync(manifestPath(), 'utf8')).toBe(manifestBefore);
    // Every file still matches the manifest's checksums.
    expect(loadSnapshot(fixture.dataDir).manifest.generated_at).toBe(
      (JSON.parse(manifestBefore) as { generated_at: string }).generated_at,
    );
    expect(stagingDirs()).toEqual([]);
    expect((await status()).last.snapshot).toBeNull();

    // A new job starts after, and its snapshot is the one the server then serves. It also removes
    // the staging left by a server that died mid-job (no process has that id).
    mkdirSync(join(fixture.dataDir, 'tmp', 'snapshot-job-999999999-1'), { recursive: true });
    const again = await run({ kind: 'snapshot' });
    expect(again.status).toBe(202);
    const job = await finished();
    expect(job).toMatchObject({ id: again.json.id, kind: 'snapshot', state: 'succeeded', error: null });
    if (job.kind !== 'snapshot' || !job.result) throw new Error('no snapshot result');
    expect(job.result.steps.map((s) => s.name)).toHaveLength(6);
    expect(job.progress.fraction).toBe(1);
    expect(job.progress.message).toMatch(/^Snapshot written: \d+ nodes, \d+ edges, \d+ communities\.$/);
    const manifest = loadSnapshot(fixture.dataDir).manifest;
    expect(readFileSync(manifestPath(), 'utf8')).not.toBe(manifestBefore);
    expect(job.result).toMatchObject({ generated_at: manifest.generated_at, counts: manifest.counts });
    // The snapshot names the latest propagation run: it was written after it.
    expect(manifest.named_communities?.run_id).toBe(latestRun(writer)!.runId);
    expect(stagingDirs()).toEqual([]);
    const data = await call<GraphDataPayload>(server.url, 'GET', '/api/graph-data');
    expect(data.json).toMatchObject({ source: 'snapshot', snapshot_generated_at: manifest.generated_at });
    expect((await status()).last).toEqual({ propagation: succeeded, snapshot: job });
  });

  it("fails with the engine's message when there is nothing to propagate, and keeps the last success", async () => {
    for (const short of shorts) store.remove(short);
    const runsBefore = listRuns(writer, 100).map((r) => r.runId);
    const started = await run({ kind: 'propagation', bootstrap_samples: 0 });
    expect(started.status).toBe(202);
    const job = await finished();
    expect(job).toMatchObject({ id: started.json.id, state: 'failed', result: null });
    // Without a bootstrap the child cannot tell how far it is.
    expect(job.progress).toEqual({ fraction: null, message: 'Building the graph and placing the seeds.' });
    expect(job.error).toBe(
      'There are no communities to propagate. ' +
        'Add some: tpot communities add SHORT "Name", or tpot communities import FILE.',
    );
    expect(listRuns(writer, 100).map((r) => r.runId)).toEqual(runsBefore);
    expect((await status()).last.propagation).toEqual(succeeded);
  });

  it('answers bad bodies with a 400 naming the field, and starts nothing', async () => {
    const before = (await status()).job!.id;
    const cases: [unknown, string, RegExp][] = [
      [{ kind: 'pagerank' }, 'kind', /^kind: /],
      [{}, 'kind', /^kind: /],
      [null, 'body', /^body: /],
      [{ kind: 'propagation', bootstrap_samples: 201 }, 'bootstrap_samples', /must be from 0 to 200/],
      [{ kind: 'propagation', bootstrap_samples: -1 }, 'bootstrap_samples', /must be from 0 to 200/],
      [{ kind: 'propagation', bootstrap_samples: 2.5 }, 'bootstrap_samples', /whole number/],
      [{ kind: 'propagation', bootstrap_samples: '20' }, 'bootstrap_samples', /^bootstrap_samples: /],
      [{ kind: 'propagation', interaction_weight: 10.5 }, 'interaction_weight', /must be from 0 to 10/],
      [{ kind: 'propagation', interaction_weight: -0.1 }, 'interaction_weight', /must be from 0 to 10/],
      [{ kind: 'propagation', samples: 5 }, 'samples', /^samples: unknown parameter$/],
      [{ kind: 'snapshot', bootstrap_samples: 5 }, 'bootstrap_samples', /only for kind "propagation"/],
    ];
    for (const [body, field, message] of cases) {
      const answer = await run(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json).toMatchObject({ error: 'Invalid request', field });
      expect(answer.json.message).toMatch(message);
    }
    const cancelJunk = await call<ErrorPayload>(server.url, 'POST', '/api/analysis/cancel', { body: { job: 1 } });
    expect(cancelJunk).toMatchObject({ status: 400, json: { field: 'job' } });
    const nothingRuns = await cancel();
    expect(nothingRuns).toMatchObject({ status: 409, json: { error: 'No analysis job is running.' } });
    expect((await status()).job!.id).toBe(before);
  });

  it('with TPOT_API_TOKEN set, starting and cancelling need the token; the status does not', async () => {
    guarded = await startFixtureServer(fixture, { apiToken: 's3cret-token' });
    const runsBefore = listRuns(writer, 100).map((r) => r.runId);
    for (const headers of [{}, { authorization: 'Bearer wrong-token!' }] as Record<string, string>[]) {
      const denied = await run({ kind: 'snapshot' }, guarded.url, headers);
      expect(denied.status).toBe(401);
      expect(denied.json.error).toBe('Unauthorized');
      expect((await cancel(guarded.url, headers)).status).toBe(401);
    }
    expect(await status(guarded.url)).toEqual({ job: null, last: { propagation: null, snapshot: null } });
    // With the token the request gets through to validation.
    const checked = await run({ kind: 'nothing' }, guarded.url, { authorization: 'Bearer s3cret-token' });
    expect(checked).toMatchObject({ status: 400, json: { field: 'kind' } });
    expect(stagingDirs()).toEqual([]);
    expect(listRuns(writer, 100).map((r) => r.runId)).toEqual(runsBefore);
  });
});
