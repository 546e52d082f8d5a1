/**
 * A cache as an operator meets it (the operations tests; docs/OPERATIONS.md): the demo community imported by the real
 * importer, plus a failed import, REST freshness rows, shadow accounts in every state, a shadow
 * edge and scrape runs of every outcome, at fixed ages relative to now.
 */
import { join } from 'node:path';
import { ArchiveImporter } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import { openDatabase } from '../db/database.js';
import { writeDemoCommunity } from '../demo/generator.js';

export const POPULATED_ARCHIVES = 8;

/** Writes the cache at `dir/cache.db` (the demo archives under `dir/demo`) and returns its path. */
export async function populatedCache(dir: string): Promise<string> {
  await writeDemoCommunity(join(dir, 'demo'), { accounts: POPULATED_ARCHIVES });
  const path = join(dir, 'cache.db');
  const db = openDatabase(path);
  try {
    await new ArchiveImporter({ db, source: new DirectoryArchiveSource(join(dir, 'demo')), parsers: 0 }).importAll();
    db.exec(`
      INSERT INTO archive_imports (username, status, error, attempts, imported_at) VALUES
        ('broken', 'failed', 'Malformed archive JSON at byte 12', 1, datetime('now'));
      INSERT INTO cache_metadata (table_name, fetched_at, row_count) VALUES
        ('account', datetime('now', '-1 days'), 291),
        ('followers', datetime('now', '-30 days'), 158000);
      INSERT INTO shadow_account (account_id, username, bio, source_channel, fetched_at, account_status) VALUES
        ('900', 'fresh_one', 'hello', 'browser', datetime('now', '-2 days'), 'active'),
        ('901', 'old_one', 'hi', 'browser', datetime('now', '-400 days'), 'active'),
        ('902', 'gone_one', '[ACCOUNT DELETED OR SUSPENDED]', 'browser', datetime('now', '-3 days'), 'suspended'),
        ('903', 'locked_one', 'x', 'browser', datetime('now', '-3 days'), 'protected');
      INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at) VALUES
        ('900', '901', 'outbound', 'browser', datetime('now', '-1 days'));
      INSERT INTO scrape_run_metrics (seed_account_id, seed_username, run_at, duration_seconds,
          following_captured, followers_captured, following_coverage, followers_coverage,
          accounts_upserted, edges_upserted, skipped, skip_reason, error_type, error_details) VALUES
        ('900', 'fresh_one', datetime('now', '-1 days'), 60, 37, 120, 92.5, 80, 150, 40, 0, NULL, NULL, NULL),
        ('901', 'old_one', datetime('now', '-1 days'), 30, 2, 10, 4.2, 50, 12, 3, 0, NULL, NULL, NULL),
        ('902', 'gone_one', datetime('now', '-2 days'), 0, 0, 0, NULL, NULL, 0, 0, 1, 'deleted account', NULL, NULL),
        ('903', 'locked_one', datetime('now', '-2 days'), 5, 0, 0, NULL, NULL, 0, 0, 0, NULL,
          'rate_limited', 'HTTP 429 on UserByScreenName'),
        ('904', 'ancient', datetime('now', '-30 days'), 40, 20, 20, 50, 50, 1, 1, 0, NULL,
          'login_required', 'login wall');
    `);
  } finally {
    db.close();
  }
  return path;
}
