/**
 * The REST sync benchmark (docs/BENCHMARKS.md, "REST sync"): `tpot sync` against the fake PostgREST on 127.0.0.1 —
 * keyset pages of 1,000 over real HTTP into a fresh cache, including the staging and the final swap. Three runs,
 * each its own line: `followers`; `tweets`; then `user_mentions` in those tweets, whose run ends with the rebuild of
 * rest_interactions over both tables (the tweets run rebuilds it too, with replies only).
 */
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/database.js';
import { PostgrestClient } from '../sync/postgrest-client.js';
import { CacheSync } from '../sync/syncer.js';
import { selectTables } from '../sync/tables.js';
import { nextMessage, type ChildProcesses } from './children.js';
import type { PostgrestReady, PostgrestRequest } from './postgrest-process.js';

export interface SyncSizes {
  followers: number;
  tweets: number;
  mentions: number;
}

/** ≥ 50,000 rows/s for user_mentions, the rebuild of rest_interactions included. */
const MENTIONS_TARGET = 50_000;

export interface SyncLine {
  table: string;
  rows: number;
  pages: number;
  seconds: number;
  /** The rebuild of rest_interactions at the end of the run, when it had one. */
  rebuild: { seconds: number; pairs: number } | null;
  target: number | null;
}

export async function runSyncScenario(
  sizes: SyncSizes,
  options: { children: ChildProcesses; workDir: string },
): Promise<SyncLine[]> {
  const server = options.children.fork('./postgrest-process.js');
  const ready = nextMessage<PostgrestReady>(server, 'the fake PostgREST');
  server.send({ ...sizes, apiKey: 'bench-key' } satisfies PostgrestRequest);
  const { url } = await ready;
  const db = openDatabase(join(options.workDir, 'sync.db'));
  const client = new PostgrestClient({ baseUrl: url, apiKey: 'bench-key', timeoutMs: 30_000, retryBaseMs: 1_000 });
  try {
    return [
      await syncOne(db, client, 'followers', sizes.followers, null),
      await syncOne(db, client, 'tweets', sizes.tweets, null),
      await syncOne(db, client, 'user_mentions', sizes.mentions, MENTIONS_TARGET),
    ];
  } finally {
    db.close();
    await client.close();
  }
}

async function syncOne(
  db: Db,
  client: PostgrestClient,
  table: string,
  expected: number,
  target: number | null,
): Promise<SyncLine> {
  const started = performance.now();
  const summary = await new CacheSync({ db, client, maxAgeDays: 7 }).syncTables(selectTables([table]));
  const seconds = (performance.now() - started) / 1000;
  const [result] = summary.results;
  if (!result || result.outcome !== 'synced' || result.rows !== expected) {
    throw new Error(`sync benchmark: expected ${expected} ${table} rows synced, got ${JSON.stringify(result)}`);
  }
  const rebuilt = summary.interactions;
  const rebuild = rebuilt
    ? { seconds: rebuilt.seconds, pairs: Object.values(rebuilt.pairs).reduce((sum, n) => sum + n, 0) }
    : null;
  return { table, rows: result.rows, pages: result.pages, seconds, rebuild, target };
}

export function syncTable(lines: SyncLine[]): string {
  const n = (value: number) => value.toLocaleString('en-US');
  return [
    '| scenario | rows | pages | seconds | rows/s | target |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...lines.map((line) => {
      const rowsPerSecond = Math.round(line.rows / line.seconds);
      const rebuild = line.rebuild
        ? `, rest_interactions rebuilt (${n(line.rebuild.pairs)} pairs) in ${line.rebuild.seconds.toFixed(2)} s`
        : '';
      const target =
        line.target === null ? '' : `≥ ${n(line.target)} rows/s ${rowsPerSecond >= line.target ? '✓' : '✗'}`;
      return (
        `| sync ${line.table} from a local fake PostgREST${rebuild} | ${n(line.rows)} | ${line.pages} | ` +
        `${line.seconds.toFixed(2)} | ${n(rowsPerSecond)} | ${target} |`
      );
    }),
  ].join('\n');
}
