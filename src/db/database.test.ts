import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { BUSY_TIMEOUT_MS, DatabaseMissingError, migrate, openDatabase, schemaVersion, type Db } from './database.js';
import { SCHEMA_VERSION } from './migrations.js';
import { DiskFullError, isTransientDbError, withDbRetry } from './retry.js';

/** The tables and columns the runbook relies on (docs/DATA-MODEL.md). */
const CONTRACT: Record<string, string[]> = {
  account: [
    'account_id',
    'username',
    'account_display_name',
    'created_at',
    'created_via',
    'num_followers',
    'num_following',
    'num_tweets',
    'num_likes',
  ],
  profile: ['account_id', 'bio', 'website', 'location', 'avatar_media_url', 'header_media_url'],
  followers: ['account_id', 'follower_account_id'],
  following: ['account_id', 'following_account_id'],
  tweets: ['tweet_id', 'account_id', 'full_text', 'created_at'],
  likes: ['account_id', 'liked_tweet_id'],
  mentioned_users: ['user_id', 'name', 'screen_name'],
  cache_metadata: ['table_name', 'fetched_at', 'row_count'],
  archive_following: ['account_id', 'following_account_id', 'uploaded_at', 'imported_at'],
  archive_followers: ['account_id', 'follower_account_id', 'uploaded_at', 'imported_at'],
  archive_profiles: [
    'account_id',
    'bio',
    'website',
    'location',
    'avatar_media_url',
    'header_media_url',
    'uploaded_at',
    'imported_at',
  ],
  archive_tweets: [
    'account_id',
    'tweet_id',
    'full_text',
    'created_at',
    'favorite_count',
    'retweet_count',
    'lang',
    'uploaded_at',
    'imported_at',
  ],
  archive_likes: ['account_id', 'tweet_id', 'full_text', 'expanded_url', 'uploaded_at', 'imported_at'],
  archive_imports: [
    'username',
    'account_id',
    'status',
    'source',
    'uploaded_at',
    'etag',
    'bytes',
    'sha256',
    'followers_count',
    'following_count',
    'tweets_count',
    'likes_count',
    'error',
    'imported_at',
  ],
  shadow_account: [
    'account_id',
    'username',
    'display_name',
    'bio',
    'location',
    'website',
    'profile_image_url',
    'followers_count',
    'following_count',
    'source_channel',
    'fetched_at',
    'checked_at',
    'scrape_stats',
    'is_shadow',
    'account_status',
  ],
  shadow_edge: ['source_id', 'target_id', 'direction', 'source_channel', 'fetched_at', 'weight', 'metadata'],
  shadow_discovery: ['shadow_account_id', 'seed_account_id', 'discovered_at', 'discovery_method'],
  scrape_run_metrics: [
    'id',
    'seed_account_id',
    'seed_username',
    'run_at',
    'duration_seconds',
    'following_captured',
    'followers_captured',
    'following_claimed_total',
    'followers_claimed_total',
    'following_coverage',
    'followers_coverage',
    'accounts_upserted',
    'edges_upserted',
    'skipped',
    'skip_reason',
    'error_type',
    'error_details',
  ],
};

describe('openDatabase', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'nested', 'cache.db'));
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('creates every table and column of the contract, with TEXT ids', () => {
    for (const [table, columns] of Object.entries(CONTRACT)) {
      const info = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string }[];
      const names = info.map((column) => column.name);
      expect(names, table).toEqual(expect.arrayContaining(columns));
      for (const column of info.filter((c) => /(^|_)id$/.test(c.name) && c.name !== 'id')) {
        expect(column.type, `${table}.${column.name}`).toBe('TEXT');
      }
    }
  });

  it('uses WAL, a busy timeout of at least 5 s and foreign keys, at the current schema version', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(BUSY_TIMEOUT_MS).toBeGreaterThanOrEqual(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
  });

  it('migrates once: reopening keeps the data and the version', () => {
    db.prepare("INSERT INTO account (account_id, username) VALUES ('1680757426889342977', 'x')").run();
    const path = db.name;
    db.close();
    db = openDatabase(path);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT account_id FROM account').pluck().get()).toBe('1680757426889342977');
  });

  it('refuses a database made by a newer version', () => {
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    const path = db.name;
    db.close();
    expect(() => (db = openDatabase(path))).toThrow(/newer than this tpot/);
    db = new Database(':memory:');
  });

  it('read-only opening never creates a file', () => {
    expect(() => openDatabase(join(dir.path, 'missing.db'), { readonly: true })).toThrow(DatabaseMissingError);
  });
});

describe('withDbRetry', () => {
  const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

  it('retries transient errors on the schedule, then succeeds', async () => {
    let calls = 0;
    const delays: number[] = [];
    const value = await withDbRetry(
      () => {
        calls++;
        if (calls < 3) throw busy;
        return 'done';
      },
      { delaysMs: [1, 2, 3], onRetry: (_e, _a, delay) => delays.push(delay) },
    );
    expect(value).toBe('done');
    expect(delays).toEqual([1, 2]);
  });

  it('gives up after three retries with the last error', async () => {
    let calls = 0;
    await expect(
      withDbRetry(
        () => {
          calls++;
          throw busy;
        },
        { delaysMs: [1, 1, 1] },
      ),
    ).rejects.toThrow('database is locked');
    expect(calls).toBe(4);
  });

  it('turns SQLITE_FULL into DiskFullError without retrying, and passes other errors through', async () => {
    let calls = 0;
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    await expect(
      withDbRetry(
        () => {
          calls++;
          throw full;
        },
        { delaysMs: [1] },
      ),
    ).rejects.toBeInstanceOf(DiskFullError);
    expect(calls).toBe(1);
    await expect(
      withDbRetry(
        () => {
          throw new Error('no such table: x');
        },
        { delaysMs: [1] },
      ),
    ).rejects.toThrow('no such table');
  });

  it('recognises the error codes and messages of busy and I/O failures', () => {
    expect(isTransientDbError(busy)).toBe(true);
    expect(isTransientDbError({ code: 'SQLITE_IOERR_WRITE' })).toBe(true);
    expect(isTransientDbError(new Error('disk I/O error'))).toBe(true);
    expect(isTransientDbError(new Error('UNIQUE constraint failed'))).toBe(false);
  });
});
