/**
 * The REST sync benchmark (docs/BENCHMARKS.md): `tpot sync --tables
 * followers` against the fake PostgREST serving 100,000 follower rows on 127.0.0.1 — keyset pages
 * of 1,000 over real HTTP into a fresh cache, including the staging and the final swap.
 */
import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { PostgrestClient } from '../sync/postgrest-client.js';
import { CacheSync } from '../sync/syncer.js';
import { selectTables } from '../sync/tables.js';
import { nextMessage, type ChildProcesses } from './children.js';
import type { PostgrestReady, PostgrestRequest } from './postgrest-process.js';

export interface SyncResult {
  rows: number;
  pages: number;
  seconds: number;
}

export async function runSyncScenario(
  followers: number,
  options: { children: ChildProcesses; workDir: string },
): Promise<SyncResult> {
  const server = options.children.fork('./postgrest-process.js');
  const ready = nextMessage<PostgrestReady>(server, 'the fake PostgREST');
  server.send({ followers, apiKey: 'bench-key' } satisfies PostgrestRequest);
  const { url } = await ready;
  const db = openDatabase(join(options.workDir, 'sync.db'));
  const client = new PostgrestClient({ baseUrl: url, apiKey: 'bench-key', timeoutMs: 30_000, retryBaseMs: 1_000 });
  try {
    const started = performance.now();
    const summary = await new CacheSync({ db, client, maxAgeDays: 7 }).syncTables(selectTables(['followers']));
    const seconds = (performance.now() - started) / 1000;
    const [result] = summary.results;
    if (!result || result.outcome !== 'synced' || result.rows !== followers) {
      throw new Error(`sync benchmark: expected ${followers} rows synced, got ${JSON.stringify(result)}`);
    }
    return { rows: result.rows, pages: result.pages, seconds };
  } finally {
    db.close();
    await client.close();
  }
}

export function syncTable(result: SyncResult): string {
  const rowsPerSecond = Math.round(result.rows / result.seconds);
  return [
    '| scenario | rows | pages | seconds | rows/s |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| sync followers from a local fake PostgREST | ${result.rows.toLocaleString('en-US')} | ${result.pages} | ` +
      `${result.seconds.toFixed(2)} | ${rowsPerSecond.toLocaleString('en-US')} |`,
  ].join('\n');
}
