/**
 * Every SQL block of docs/OPERATIONS.md runs against the schema as written, on a cache populated
 * by the real importer (demo community) plus shadow accounts and scrape runs, and gives the rows
 * the runbook promises.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveImporter } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import { writeDemoCommunity } from '../demo/generator.js';
import { tempDir } from '../testing/fixtures.js';
import { runbookBlocks } from '../testing/runbook.js';
import { openDatabase, type Db } from './database.js';

describe('docs/OPERATIONS.md SQL', () => {
  const blocks = runbookBlocks();
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  const rowsOf = (name: string) => db.prepare(blocks.find((b) => b.name === name)!.sql).all() as Record<string, unknown>[];

  beforeAll(async () => {
    dir = tempDir();
    await writeDemoCommunity(join(dir.path, 'demo'), { accounts: 8 });
    db = openDatabase(join(dir.path, 'cache.db'));
    await new ArchiveImporter({ db, source: new DirectoryArchiveSource(join(dir.path, 'demo')) }).importAll();
    db.exec(`
      INSERT INTO archive_imports (username, status, error, attempts, imported_at) VALUES ('broken', 'failed', 'Malformed archive JSON at byte 12', 1, datetime('now'));
      INSERT INTO cache_metadata (table_name, fetched_at, row_count) VALUES ('account', datetime('now', '-1 days'), 291), ('followers', datetime('now', '-30 days'), 158000);
      INSERT INTO shadow_account (account_id, username, bio, source_channel, fetched_at, account_status) VALUES
        ('900', 'fresh_one', 'hello', 'browser', datetime('now', '-2 days'), 'active'),
        ('901', 'old_one', 'hi', 'browser', datetime('now', '-400 days'), 'active'),
        ('902', 'gone_one', '[ACCOUNT DELETED OR SUSPENDED]', 'browser', datetime('now', '-3 days'), 'suspended'),
        ('903', 'locked_one', 'x', 'browser', datetime('now', '-3 days'), 'protected');
      INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at) VALUES ('900', '901', 'outbound', 'browser', datetime('now'));
      INSERT INTO scrape_run_metrics (seed_account_id, seed_username, run_at, following_coverage, edges_upserted, skipped, skip_reason, error_type, error_details) VALUES
        ('900', 'fresh_one', datetime('now', '-1 days'), 92.5, 40, 0, NULL, NULL, NULL),
        ('901', 'old_one', datetime('now', '-1 days'), 4.2, 3, 0, NULL, NULL, NULL),
        ('902', 'gone_one', datetime('now', '-2 days'), NULL, 0, 1, 'deleted account', NULL, NULL),
        ('903', 'locked_one', datetime('now', '-2 days'), NULL, 0, 0, NULL, 'rate_limited', 'HTTP 429 on UserByScreenName'),
        ('904', 'ancient', datetime('now', '-30 days'), 50, 1, 0, NULL, 'login_required', 'login wall');
    `);
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  it('has SQL blocks, each with a unique name', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    expect(new Set(blocks.map((b) => b.name)).size).toBe(blocks.length);
  });

  it.each(runbookBlocks().map((b) => [b.name, b] as const))('%s runs against the schema', (_name, block) => {
    expect(() => db.prepare(block.sql).all()).not.toThrow();
  });

  it('gives the rows the runbook describes', () => {
    expect(rowsOf('import-status')).toEqual([
      { status: 'failed', archives: 1, last_at: expect.any(String) },
      { status: 'imported', archives: 8, last_at: expect.any(String) },
    ]);
    expect(rowsOf('import-failures').map((r) => r.username)).toEqual(['broken']);
    expect(rowsOf('archive-sizes')).toHaveLength(8);
    expect(rowsOf('edges-without-ledger')).toEqual([]);
    expect(rowsOf('cache-freshness').map((r) => [r.table_name, r.state])).toEqual([['account', 'FRESH'], ['followers', 'STALE']]);
    expect(rowsOf('sync-progress').map((r) => [r.table_name, r.status, r.row_count])).toEqual([['account', 'complete', 291], ['followers', 'complete', 158000]]);
    expect(rowsOf('success-rate')).toEqual([{ runs: 4, succeeded: 2, skipped: 1, errors: 1, success_pct: 50 }]);
    expect(rowsOf('coverage-buckets')).toEqual([{ bucket: '0-10%', runs: 1 }, { bucket: '80-100%', runs: 1 }]);
    expect(rowsOf('error-types')).toEqual([{ error_type: 'rate_limited', runs: 1, last_seen: expect.any(String) }]);
    expect(rowsOf('recent-errors').map((r) => r.error_type)).toEqual(['rate_limited', 'login_required']);
    expect(rowsOf('stale-accounts').map((r) => r.username)).toEqual(['old_one']);
    expect(rowsOf('deleted-accounts').map((r) => r.username).sort()).toEqual(['gone_one', 'locked_one']);
    const counts = Object.fromEntries(rowsOf('row-counts').map((r) => [r.table_name, r.rows]));
    expect(counts.archive_profiles).toBe(8);
    expect(counts.shadow_account).toBe(4);
    expect(rowsOf('top-followed').length).toBeGreaterThan(0);
  });
});
