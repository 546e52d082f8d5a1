/**
 * The server as it lives among the other processes (SPEC §2, §7.2, §7.4): it sees an import and
 * a snapshot refresh without a restart, keeps answering while an import writes to the same
 * database, holds a bounded load, answers the runbook's curl calls as written, and is started and
 * stopped through the real binary (`tpot serve`, `tpot cache invalidate`; `tpot start` is in
 * src/cli/cli.test.ts).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveImporter } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import { openDatabase } from '../db/database.js';
import { writeSyntheticGraph } from '../testing/synthetic-graph.js';
import { writeDemoCommunity } from '../demo/generator.js';
import { GRAPH_DEFAULTS } from '../graph/params.js';
import { refreshSnapshot } from '../graph/refresh.js';
import { createApiFixture, startFixtureServer, type ApiFixture } from '../testing/api-fixture.js';
import { REPO_ROOT, tempDir } from '../testing/fixtures.js';
import { runCli, startCliServer } from '../testing/run-cli.js';
import type { SystemStatus } from '../ops/status.js';
import type { RunningServer } from './serve.js';
import type { ComputePayload, GraphDataPayload, HealthPayload } from './wire.js';

const exec = promisify(execFile);

/** A JSON answer, its body read as `T` (a type from wire.ts). */
async function getJson<T = unknown>(
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown } = {},
): Promise<{ status: number; json: T; cache: unknown }> {
  const response = await request(url, {
    method: init.method ?? 'GET',
    ...(init.body === undefined
      ? {}
      : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: JSON.parse(text) as T, cache: response.headers['x-cache-status'] };
}

describe('the server among other processes', () => {
  let dir: ReturnType<typeof tempDir>;
  let fixture: ApiFixture;
  let server: RunningServer;

  beforeAll(async () => {
    dir = tempDir();
    fixture = await createApiFixture(dir.path);
    server = await startFixtureServer(fixture);
  });
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });

  it('answers 2,000 requests from 20 concurrent clients without an error', async () => {
    const seeds = fixture.demo.accounts.slice(0, 6).map((a) => a.username);
    const calls = [
      () => getJson(`${server.url}/health`),
      () => getJson(`${server.url}/api/graph-data`),
      () =>
        getJson(`${server.url}/api/metrics/compute`, {
          method: 'POST',
          body: { seeds: [seeds[Math.floor(Math.random() * seeds.length)]] },
        }),
      () => getJson(`${server.url}/api/accounts/search?q=${seeds[0]!.slice(0, 2)}`),
      () => getJson(`${server.url}/api/accounts/${seeds[1]}`),
    ];
    let next = 0;
    const statuses = new Map<number, number>();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 2000 && Date.now() - started < 60_000) {
          const { status } = await calls[next++ % calls.length]!();
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: 2000 });
  });

  it('sees an import and a snapshot refresh without a restart', async () => {
    const before = await getJson<GraphDataPayload>(`${server.url}/api/graph-data`);
    expect(before.json.source).toBe('snapshot');
    expect((await getJson(`${server.url}/api/graph-data`)).cache).toBe('HIT');

    // Another process's connection imports more archives into the same database.
    const more = join(dir.path, 'more');
    await writeDemoCommunity(more, { accounts: 12, seed: 4242 });
    const db = openDatabase(fixture.dbPath);
    try {
      await new ArchiveImporter({ db, source: new DirectoryArchiveSource(more) }).importAll();
      const after = await getJson<GraphDataPayload>(`${server.url}/api/graph-data`);
      expect(after.cache).toBe('MISS');
      expect(after.json.source).toBe('live_build');
      expect(after.json.directed_nodes).toBeGreaterThan(before.json.directed_nodes);
      expect(after.json.version).not.toBe(before.json.version);
      const health = await getJson<HealthPayload>(`${server.url}/health`);
      expect(health.json.snapshot.used_for_default_view).toBe(false);
      expect(health.json.warnings.join(' ')).toMatch(/snapshot refresh/);

      refreshSnapshot(db, fixture.dataDir, { ...GRAPH_DEFAULTS, seeds: [], layoutIterations: 20 });
      const refreshed = await getJson<GraphDataPayload>(`${server.url}/api/graph-data`);
      expect(refreshed.json.source).toBe('snapshot');
      expect(refreshed.json.directed_nodes).toBe(after.json.directed_nodes);
    } finally {
      db.close();
    }
  });

  it('keeps answering while `tpot import` writes to the same database', async () => {
    const incoming = join(dir.path, 'incoming');
    await writeDemoCommunity(incoming, { accounts: 40, seed: 777 });
    const importing = runCli(
      ['--data-dir', fixture.dataDir, '--log-dir', join(dir.path, 'logs'), 'import', '--source', incoming],
      { cwd: dir.path },
    );
    let done = false;
    void importing.finally(() => (done = true));
    const statuses: number[] = [];
    const sources = new Set<string>();
    const seed = fixture.demo.accounts[0]!.username;
    while (!done) {
      const [health, graph, compute] = await Promise.all([
        getJson(`${server.url}/health`),
        getJson<GraphDataPayload>(`${server.url}/api/graph-data?include_shadow=false`),
        getJson<ComputePayload>(`${server.url}/api/metrics/compute`, { method: 'POST', body: { seeds: [seed] } }),
      ]);
      statuses.push(health.status, graph.status, compute.status);
      sources.add(graph.json.source);
      expect(compute.json.resolved_seeds).toHaveLength(1);
    }
    const result = await importing;
    expect(result.code, result.stderr).toBe(0);
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const final = await getJson<SystemStatus>(`${server.url}/api/status`);
    expect(final.json.rows?.archive_profiles).toBeGreaterThanOrEqual(70);
  });

  it("answers the runbook's curl calls as written", async () => {
    const runbook = readFileSync(join(REPO_ROOT, 'docs', 'OPERATIONS.md'), 'utf8');
    const section = runbook.slice(runbook.indexOf('## 5. The API server'), runbook.indexOf('## 6.'));
    const calls = section.split('\n').filter((line) => line.startsWith('curl '));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    const port = new URL(server.url).port;
    const answers = new Map<string, unknown>();
    for (const call of calls) {
      // Only the port differs from the runbook: the test server listens on a free one.
      const { stdout } = await exec('bash', [
        '-c',
        `${call.replace('localhost:5001', `127.0.0.1:${port}`)} --silent --show-error --fail`,
      ]);
      answers.set(call, JSON.parse(stdout));
    }
    const find = (path: string) => [...answers].find(([call]) => call.includes(path))![1];
    expect(find('/health')).toMatchObject({ status: 'ok' });
    expect(find('/api/cache/invalidate')).toMatchObject({ prefix: 'all', invalidated: expect.any(Number) as unknown });
    expect(find('/api/metrics/cache/clear')).toMatchObject({ status: 'cleared' });
  });
});

describe('live builds on the analysis thread', () => {
  it('keep the event loop free: /health answers while a large graph is being built', async () => {
    const dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const db = openDatabase(join(dataDir, 'cache.db'));
    writeSyntheticGraph(db, { accounts: 30_000, edges: 100_000, archives: 200 });
    db.close();
    const server = await startFixtureServer({ root: dir.path, dataDir });
    try {
      const order: string[] = [];
      const building = getJson(`${server.url}/api/graph-data`).then((answer) => {
        order.push('graph');
        return answer;
      });
      // Give the request time to reach the analysis thread, then ask for health a few times.
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (let i = 0; i < 3; i++) {
        const health = await getJson<HealthPayload>(`${server.url}/health`);
        expect(health.json.status).toBe('ok');
        order.push('health');
      }
      const graph = await building;
      expect(graph.json).toMatchObject({ source: 'live_build', directed_nodes: 30_000 });
      expect(order).toEqual(['health', 'health', 'health', 'graph']);
    } finally {
      await server.close();
      dir.remove();
    }
  });
});

describe('tpot serve and tpot cache invalidate', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());

  it('tpot serve listens on a loopback port, tpot cache invalidate reaches it, SIGTERM stops it', async () => {
    const fixture = await createApiFixture(join(dir.path, 'serve'), 10);
    const env = { TPOT_DATA_DIR: fixture.dataDir, TPOT_LOG_DIR: join(fixture.root, 'logs') };
    const cli = await startCliServer(['serve', '--port', '0'], { cwd: fixture.root, env });
    try {
      expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await getJson<HealthPayload>(`${cli.url}/health`)).json.status).toBe('ok');
      await getJson(`${cli.url}/api/graph-data`);
      const invalidated = await runCli(['cache', 'invalidate', '--url', cli.url], { cwd: fixture.root, env });
      expect(invalidated.code, invalidated.stderr).toBe(0);
      expect(invalidated.stdout).toMatch(/Invalidated [1-9]\d* graph cache entries \(all\)/);
      const wrong = await runCli(['cache', 'invalidate', '--url', cli.url, '--prefix', 'nope'], {
        cwd: fixture.root,
        env,
      });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/--prefix <kind>.*Allowed choices are graph, graph_data/);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
    const stopped = await runCli(['cache', 'invalidate', '--url', cli.url], { cwd: fixture.root, env });
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/not available at .*npm start/);
  });

  it('refuses to listen beyond loopback without a token, and says why', async () => {
    const result = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], {
      cwd: dir.path,
      env: { TPOT_DATA_DIR: join(dir.path, 'nodata') },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without TPOT_API_TOKEN/);
    const badPort = await runCli(['serve', '--port', '70000'], { cwd: dir.path });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port must be a whole number/);
  });
});
