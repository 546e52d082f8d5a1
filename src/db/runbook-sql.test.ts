/**
 * Every SQL block of docs/OPERATIONS.md runs against the schema as written, on a cache populated
 * by the real importer (demo community) plus shadow accounts and scrape runs, and gives the rows
 * the runbook promises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { populatedCache } from '../testing/ops-fixture.js';
import { runbookBlocks } from '../testing/runbook.js';
import { openDatabase, type Db } from './database.js';

describe('docs/OPERATIONS.md SQL', () => {
  const blocks = runbookBlocks();
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  const rowsOf = (name: string) =>
    db.prepare(blocks.find((b) => b.name === name)!.sql).all() as Record<string, unknown>[];

  beforeAll(async () => {
    dir = tempDir();
    db = openDatabase(await populatedCache(dir.path));
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
      { status: 'failed', archives: 1, last_at: expect.any(String) as unknown },
      { status: 'imported', archives: 8, last_at: expect.any(String) as unknown },
    ]);
    expect(rowsOf('import-failures').map((r) => r.username)).toEqual(['broken']);
    expect(rowsOf('archive-sizes')).toHaveLength(8);
    expect(rowsOf('edges-without-ledger')).toEqual([]);
    expect(rowsOf('cache-freshness').map((r) => [r.table_name, r.state])).toEqual([
      ['account', 'FRESH'],
      ['followers', 'STALE'],
    ]);
    expect(rowsOf('sync-progress').map((r) => [r.table_name, r.status, r.row_count])).toEqual([
      ['account', 'complete', 291],
      ['followers', 'complete', 158000],
    ]);
    expect(rowsOf('success-rate')).toEqual([{ runs: 4, succeeded: 2, skipped: 1, errors: 1, success_pct: 50 }]);
    expect(rowsOf('coverage-buckets')).toEqual([
      { bucket: '0-10%', runs: 1 },
      { bucket: '80-100%', runs: 1 },
    ]);
    expect(rowsOf('error-types')).toEqual([
      { error_type: 'rate_limited', runs: 1, last_seen: expect.any(String) as unknown },
    ]);
    expect(rowsOf('recent-errors').map((r) => r.error_type)).toEqual(['rate_limited', 'login_required']);
    expect(rowsOf('stale-accounts').map((r) => r.username)).toEqual(['old_one']);
    expect(
      rowsOf('deleted-accounts')
        .map((r) => r.username)
        .sort(),
    ).toEqual(['gone_one', 'locked_one']);
    const counts = Object.fromEntries(rowsOf('row-counts').map((r) => [r.table_name as string, r.rows] as const));
    expect(counts.archive_profiles).toBe(8);
    expect(counts.shadow_account).toBe(4);
    expect(rowsOf('top-followed').length).toBeGreaterThan(0);
  });
});
