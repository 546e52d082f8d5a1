/**
 * The API server benchmark (docs/BENCHMARKS.md): the real `tpot serve` over the graph benchmark's synthetic
 * cache (95,000 accounts, 322,000 follows) with 15 named communities propagated and a fresh snapshot, timed from
 * an HTTP client on
 * 127.0.0.1 the way the explorer uses it — the whole graph on first load (target < 1 s and
 * < 15 MB gzipped), metrics for seeds nobody asked for before (a cache miss: PageRank and the
 * composite, target p50 < 150 ms) and for seeds already asked for (a hit, target p50 < 5 ms), and
 * `/health` throughput; then the explorer's first named frame in Chromium, and curation writes and community pages
 * (curation-bench.ts).
 *
 * The server runs in its own process, so the load generator does not share its event loop and
 * the times include the full HTTP path. Compressed bodies are read as sent (undici does not
 * decompress), so the byte counts are what goes over the wire. Every phase has a request count
 * and a time budget, so a slow server makes the run report fewer samples rather than hang.
 */
import type { ChildProcess } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { call, ms, percentile, PHASE_BUDGET_MS, repeat, type Check, type Measure, type Reply } from './http-calls.js';
import { openDatabase } from '../db/database.js';
import { CLI } from '../testing/fixtures.js';
import { refreshSnapshot } from '../graph/refresh.js';
import { SNAPSHOT_FILES } from '../graph/snapshot-manifest.js';
import type { ChildProcesses } from './children.js';
import type { GraphBenchSizes } from './graph-bench.js';
import { measureExplorer } from './explorer-bench.js';
import { nameSyntheticCommunities, writeSyntheticGraph } from '../testing/synthetic-graph.js';
import { runPropagation } from '../communities/run.js';
import { largestCommunity, measureCuration } from './curation-bench.js';
import { GRAPH_DEFAULTS } from '../graph/params.js';

/** The curated communities over the synthetic graph: about as many as the original curates. */
const NAMED_COMMUNITIES = 15;
const SEEDS_PER_COMMUNITY = 10;

/** Requests per phase; each phase also stops at its time budget. */
const COUNTS = {
  warm: 5,
  computeMissGzip: 30,
  computeMissPlain: 15,
  computeHit: 200,
  base: 15,
  health: 5_000,
  healthClients: 20,
};
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const header = (reply: Reply, name: string) => String(reply.headers[name] ?? '');

/**
 * The k-th seed set, never the same twice: two archive handles and three shadow handles near the top of the popularity
 * ranks.
 */
function seedSet(k: number, sizes: GraphBenchSizes): string[] {
  const archive = (i: number) => `archive_${i % sizes.archives}`;
  const shadow = (i: number) => `shadow_${sizes.archives + (i % (sizes.accounts - sizes.archives))}`;
  return [archive(2 * k), archive(2 * k + 1), shadow(3 * k), shadow(3 * k + 1), shadow(3 * k + 2)];
}

function parse<T>(reply: Reply, body: Buffer, what: string): T {
  if (reply.status !== 200) throw new Error(`${what}: HTTP ${reply.status}: ${body.toString('utf8').slice(0, 300)}`);
  return JSON.parse((header(reply, 'content-encoding') === 'gzip' ? gunzipSync(body) : body).toString('utf8')) as T;
}

/** A metrics response must be fresh (or cached, as asked), from the snapshot, with all five seeds found. */
function metricsCheck(cache: 'MISS' | 'HIT', what: string): Check {
  return (reply, body) => {
    if (header(reply, 'x-cache-status') !== cache)
      throw new Error(`${what}: X-Cache-Status ${header(reply, 'x-cache-status')}, expected ${cache}`);
    const json = parse<{ resolved_seeds?: unknown[]; source?: string }>(reply, body, what);
    if (json.resolved_seeds?.length !== 5)
      throw new Error(`${what}: ${json.resolved_seeds?.length ?? 'no'} resolved seeds, expected 5`);
    if (json.source !== 'snapshot') throw new Error(`${what}: served from ${json.source}, not the snapshot`);
  };
}

const ok: Check = (reply, body) => {
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${body.toString('utf8').slice(0, 300)}`);
};

/** Starts `tpot serve --port 0` in `dir` and resolves with its URL from the line it prints. */
async function startServer(
  children: ChildProcesses,
  dir: string,
  dataDir: string,
): Promise<{ url: string; child: ChildProcess }> {
  const args = [
    CLI,
    '--data-dir',
    dataDir,
    '--db',
    join(dataDir, 'cache.db'),
    '--log-dir',
    join(dir, 'logs'),
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
  ];
  const child = children.spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`tpot serve did not report its URL within 30 s; it printed: ${seen}`)),
      30_000,
    );
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`tpot serve exited (${signal ?? `code ${code}`}) before listening; it printed: ${seen}`));
    });
  });
  return { url, child };
}

/**
 * The server's peak RSS (Linux /proc), or null where there is no /proc: the response cache keeps whole bodies, so
 * memory is worth watching.
 */
async function peakRss(pid: number | undefined): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}

export async function runApiBench(workRoot: string, sizes: GraphBenchSizes, children: ChildProcesses): Promise<string> {
  const dir = join(workRoot, 'api');
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'cache.db'));
  writeSyntheticGraph(db, { accounts: sizes.accounts, edges: sizes.edges, archives: sizes.archives });
  // Named communities with a stored run, as a curator's cache has them: the map opens named, the pages have members.
  nameSyntheticCommunities(db, NAMED_COMMUNITIES, SEEDS_PER_COMMUNITY);
  progress(`api: propagating ${NAMED_COMMUNITIES} communities…`);
  const run = await runPropagation(db);
  // The server's default view (no config/graph_settings.json in `dir`): the snapshot must match it to be used.
  const refreshStarted = performance.now();
  refreshSnapshot(db, dataDir, { ...GRAPH_DEFAULTS, seeds: [] }, (step, total, name) =>
    progress(`api: snapshot step ${step}/${total}: ${name}…`),
  );
  const refreshMs = performance.now() - refreshStarted;
  db.close();

  const { url, child } = await startServer(children, dir, dataDir);
  progress(`api: tpot serve at ${url}`);
  const pool = new Pool(url, { connections: COUNTS.healthClients, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const measures: Measure[] = [
    {
      what: `propagation of ${NAMED_COMMUNITIES} named communities (${NAMED_COMMUNITIES * SEEDS_PER_COMMUNITY} seeds)`,
      value: `${(run.durationMs / 1000).toFixed(1)} s`,
    },
    { what: 'snapshot refresh before the server starts', value: `${(refreshMs / 1000).toFixed(1)} s` },
  ];
  try {
    progress('api: /api/graph-data…');
    let head = { source: '', directed_nodes: 0, directed_edges: 0 };
    const first = await call(pool, '/api/graph-data', {
      encoding: 'gzip',
      check: (reply, body) => (head = parse(reply, body, 'GET /api/graph-data')),
    });
    if (head.source !== 'snapshot') throw new Error(`/api/graph-data was served from ${head.source}, not the snapshot`);
    // The server warms the default view at start, so the first request may find it ready. The
    // cold path is measured by touching the manifest: the server then drops its caches and reloads
    // the snapshot, as after a `tpot snapshot refresh`.
    const manifest = join(dataDir, SNAPSHOT_FILES.manifest);
    const now = new Date();
    utimesSync(manifest, now, now);
    const cold = await call(pool, '/api/graph-data', { encoding: 'gzip', check: ok });
    const firstBr = await call(pool, '/api/graph-data', { encoding: 'br', check: ok });
    const warm = {
      identity: await repeat(COUNTS.warm, () => call(pool, '/api/graph-data', { check: ok })),
      gzip: await repeat(COUNTS.warm, () => call(pool, '/api/graph-data', { encoding: 'gzip', check: ok })),
      br: await repeat(COUNTS.warm, () => call(pool, '/api/graph-data', { encoding: 'br', check: ok })),
    };
    await call(pool, '/health', {
      check: (reply, body) => {
        const { warnings } = parse<{ warnings: string[] }>(reply, body, 'GET /health');
        if (warnings.length > 0) progress(`api: /health warns: ${warnings.join(' ')}`);
      },
    });
    const warmMs = (replies: Reply[]) =>
      percentile(
        replies.map((r) => r.ms),
        0.5,
      );
    const [nodeCount, edgeCount] = [head.directed_nodes, head.directed_edges].map((n) => n.toLocaleString('en-US'));
    const nodes = `${nodeCount} nodes, ${edgeCount} edges`;
    measures.push(
      {
        what: 'GET /api/graph-data, first request after start, gzip (the server warms the default view at start)',
        value: `${ms(first.ms)}, ${mb(first.bytes)}`,
      },
      {
        what:
          'GET /api/graph-data, cold: snapshot reloaded after its manifest changed, ' +
          `gzip (load, JSON, compression; ${nodes})`,
        value: `${ms(cold.ms)}, ${mb(cold.bytes)}`,
        target: { text: '< 1 s, < 15 MB gzipped', met: cold.ms < 1000 && cold.bytes < 15e6 },
      },
      {
        what: 'GET /api/graph-data, first br request (compresses once)',
        value: `${ms(firstBr.ms)}, ${mb(firstBr.bytes)}`,
      },
      {
        what: `GET /api/graph-data, warm, median of ${COUNTS.warm}: identity / gzip / br`,
        value: `${ms(warmMs(warm.identity))} / ${ms(warmMs(warm.gzip))} / ${ms(warmMs(warm.br))}`,
        target: { text: '< 1 s', met: Math.max(warmMs(warm.identity), warmMs(warm.gzip), warmMs(warm.br)) < 1000 },
      },
      {
        what: 'GET /api/graph-data, bytes: identity / gzip / br',
        value: `${mb(warm.identity[0]!.bytes)} / ${mb(warm.gzip[0]!.bytes)} / ${mb(warm.br[0]!.bytes)}`,
        target: { text: '< 15 MB gzipped', met: warm.gzip[0]!.bytes < 15e6 },
      },
    );

    progress('api: /api/metrics/compute…');
    let next = 0; // seed sets are never reused, so every miss is a real miss
    const miss = metricsCheck('MISS', 'POST /api/metrics/compute with new seeds');
    const compute = (encoding: string, seeds: string[], check: Check) =>
      call(pool, '/api/metrics/compute', { encoding, body: { seeds }, check });
    const missGzip = await repeat(COUNTS.computeMissGzip, () => compute('gzip', seedSet(next++, sizes), miss));
    const lastGzipped = seedSet(next - 1, sizes);
    const missPlain = await repeat(COUNTS.computeMissPlain, () => compute('identity', seedSet(next++, sizes), miss));
    const gzipMs = missGzip.map((r) => r.ms);
    const serverMs = missGzip.map((r) => Number.parseFloat(header(r, 'x-response-time')));
    measures.push(
      {
        what:
          'POST /api/metrics/compute, new seeds, gzip: p50 / p95 ' +
          `(${missGzip.length} requests; ${mb(missGzip[0]!.bytes)} gzipped)`,
        value: `${ms(percentile(gzipMs, 0.5))} / ${ms(percentile(gzipMs, 0.95))}`,
        target: { text: 'p50 < 150 ms', met: percentile(gzipMs, 0.5) < 150 },
      },
      { what: 'the same, server-side X-Response-Time p50', value: ms(percentile(serverMs, 0.5)) },
      {
        what:
          'POST /api/metrics/compute, new seeds, uncompressed: p50 ' +
          `(${missPlain.length} requests; ${mb(missPlain[0]!.bytes)})`,
        value: ms(
          percentile(
            missPlain.map((r) => r.ms),
            0.5,
          ),
        ),
        target: {
          text: 'p50 < 150 ms',
          met:
            percentile(
              missPlain.map((r) => r.ms),
              0.5,
            ) < 150,
        },
      },
    );

    // The last gzip miss: cached, and its gzip bytes with it. Every hit is checked; the first one parsed.
    const parsedHit = metricsCheck('HIT', 'POST /api/metrics/compute, repeated');
    const hit: Check = (reply) => {
      if (reply.status !== 200 || header(reply, 'x-cache-status') !== 'HIT')
        throw new Error(
          `POST /api/metrics/compute, repeated: HTTP ${reply.status}, ` +
            `X-Cache-Status ${header(reply, 'x-cache-status')}; expected a 200 HIT`,
        );
    };
    const hits = await repeat(COUNTS.computeHit, (i) => compute('gzip', lastGzipped, i === 0 ? parsedHit : hit));
    const hitMs = hits.map((r) => r.ms);
    measures.push({
      what: `POST /api/metrics/compute, repeated (cached), gzip: p50 / p95 (${hits.length} requests)`,
      value: `${ms(percentile(hitMs, 0.5))} / ${ms(percentile(hitMs, 0.95))}`,
      target: { text: 'p50 < 5 ms', met: percentile(hitMs, 0.5) < 5 },
    });

    progress('api: /api/metrics/base…');
    const baseMiss = metricsCheck('MISS', 'POST /api/metrics/base with new seeds');
    const base = await repeat(COUNTS.base, () =>
      call(pool, '/api/metrics/base', { encoding: 'gzip', body: { seeds: seedSet(next++, sizes) }, check: baseMiss }),
    );
    measures.push({
      what: `POST /api/metrics/base, new seeds, gzip: p50 (${base.length} requests; ${mb(base[0]!.bytes)} gzipped)`,
      value: ms(
        percentile(
          base.map((r) => r.ms),
          0.5,
        ),
      ),
    });

    progress(`api: /health, ${COUNTS.health} requests from ${COUNTS.healthClients} clients…`);
    let issued = 0;
    let failed = 0;
    const healthStarted = performance.now();
    const client = async () => {
      while (issued < COUNTS.health && performance.now() - healthStarted < PHASE_BUDGET_MS) {
        issued++;
        if ((await call(pool, '/health')).status !== 200) failed++;
      }
    };
    await Promise.all(Array.from({ length: COUNTS.healthClients }, client));
    const seconds = (performance.now() - healthStarted) / 1000;
    measures.push({
      what:
        `GET /health, ${issued.toLocaleString('en-US')} requests from ${COUNTS.healthClients} concurrent clients: ` +
        'requests/s, non-200',
      value: `${Math.round(issued / seconds).toLocaleString('en-US')}/s, ${failed}`,
      target: { text: 'no errors', met: failed === 0 },
    });
    progress('api: the explorer in headless Chromium…');
    measures.push(...(await measureExplorer(url, head.directed_nodes)));
    progress('api: curation writes and community pages…');
    const largest = await largestCommunity(pool);
    measures.push(...(await measureCuration(pool, largest.short, `shadow_${sizes.archives + 1000}`)));
    const rss = await peakRss(child.pid);
    if (rss !== null)
      measures.push({ what: 'tpot serve peak RSS after all of the above', value: `${(rss / 1e6).toFixed(0)} MB` });
  } finally {
    await pool.close();
  }
  const target = (m: Measure) => (m.target ? `${m.target.text} ${m.target.met ? '✓' : '✗'}` : '');
  return [
    '| API server | measured | target |',
    '| --- | ---: | --- |',
    ...measures.map((m) => `| ${m.what} | ${m.value} | ${target(m)} |`),
  ].join('\n');
}
