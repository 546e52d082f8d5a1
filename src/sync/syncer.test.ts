/**
 * tpot sync against a local fake PostgREST (src/testing/fake-postgrest.ts) with tables larger than
 * 5,000 rows, the 1,000-row cap, Content-Range, statement timeouts on deep offsets, 500s, 429s, a
 * bad key and a connection dropped mid-table.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountNames } from '../db/account-names.js';
import { openDatabase, type Db } from '../db/database.js';
import {
  accountRows,
  followerRows,
  followingRows,
  mentionedUserRows,
  profileRows,
  startFakePostgrest,
  type FakePostgrest,
} from '../testing/fake-postgrest.js';
import { tempDir } from '../testing/fixtures.js';
import { memoryLogger } from '../testing/memory-logger.js';
import { PostgrestClient } from './postgrest-client.js';
import { CacheSync } from './syncer.js';
import { selectTables } from './tables.js';

const KEY = 'test-anon-key';

describe('CacheSync', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let fake: FakePostgrest;
  let log: ReturnType<typeof memoryLogger>;
  const followers = followerRows(5_500);

  beforeEach(async () => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'cache.db'));
    log = memoryLogger();
    fake = await startFakePostgrest({
      apiKey: KEY,
      deepOffsetLimit: 3000,
      tables: {
        account: { key: 'account_id', rows: accountRows(300) },
        profile: { key: 'account_id', rows: profileRows(300) },
        followers: { key: 'id', rows: followers },
        following: { key: 'id', rows: followingRows(5_200) },
        mentioned_users: { key: 'user_id', rows: mentionedUserRows(1_200) },
      },
    });
  });
  afterEach(async () => {
    await fake.close();
    db.close();
    dir.remove();
  });

  function sync(options: { key?: string; maxAgeDays?: number } = {}) {
    const client = new PostgrestClient({
      baseUrl: fake.url,
      apiKey: options.key ?? KEY,
      timeoutMs: 1000,
      retryBaseMs: 10,
    });
    return new CacheSync({
      db,
      client,
      logger: log.logger,
      maxAgeDays: options.maxAgeDays ?? 7,
      dbRetryDelaysMs: [10, 20, 40],
    });
  }
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const pairs = () =>
    new Set(db.prepare("SELECT account_id || '>' || follower_account_id FROM followers").pluck().all() as string[]);

  it('gets every row of every table once, paging by key, explicit columns, the key in both headers', async () => {
    const summary = await sync().syncTables(selectTables(undefined));
    expect(summary.failed).toBe(0);
    expect(Object.fromEntries(summary.results.map((r) => [r.table, r.rows]))).toEqual({
      account: 300,
      profile: 300,
      followers: 5_500,
      following: 5_200,
      mentioned_users: 1_200,
    });
    expect(pairs()).toEqual(new Set(followers.map((r) => `${r.account_id}>${r.follower_account_id}`)));
    expect(summary.results.find((r) => r.table === 'followers')?.pages).toBe(6);

    const followerRequests = fake.requests.filter((r) => r.table === 'followers');
    expect(followerRequests).toHaveLength(6);
    for (const request of fake.requests) {
      const query = new URLSearchParams(request.query);
      expect(query.get('select')).not.toBe('*');
      expect(query.has('offset')).toBe(false);
      expect(request.headers.apikey).toBe(KEY);
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    }
    expect(new URLSearchParams(followerRequests[1]!.query).get('id')).toMatch(/^gt\.\d+$/);
    expect(count("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'sync_stage_%'")).toBe(0);
    expect(
      db.prepare("SELECT row_count, status, resume_key FROM cache_metadata WHERE table_name = 'followers'").get(),
    ).toEqual({ row_count: 5_500, status: 'complete', resume_key: null });
    expect(log.messages().join('\n')).toMatch(/Sync summary[\s\S]*followers\s+5500\s+6/);
  });

  it('keeps ids and timestamps as the cache contract says', async () => {
    await sync().syncTables(selectTables(['account']));
    const row = db
      .prepare('SELECT account_id, typeof(account_id) AS t, created_at FROM account ORDER BY account_id LIMIT 1')
      .get() as Record<string, string>;
    expect(row.t).toBe('text');
    expect(row.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(new Set(db.prepare('SELECT account_id FROM account').pluck().all())).toEqual(
      new Set(accountRows(300).map((r) => r.account_id)),
    );
  });

  it('follows a server cap below 1,000 rows instead of stopping at the first short page', async () => {
    await fake.close();
    fake = await startFakePostgrest({
      apiKey: KEY,
      maxRows: 400,
      tables: { followers: { key: 'id', rows: followers } },
    });
    const summary = await sync().syncTables(selectTables(['followers']));
    expect(summary.results[0]).toMatchObject({ outcome: 'synced', rows: 5_500 });
    expect(log.messages().join('\n')).toContain('the server sends at most 400 rows a page');
  });

  it('retries 500s and waits out a 429', async () => {
    fake.inject('followers', { kind: 'status', status: 500, times: 2 }, 2);
    fake.inject('followers', { kind: 'rate-limit', retryAfterSeconds: 1, times: 1 }, 4);
    const started = Date.now();
    const summary = await sync().syncTables(selectTables(['followers']));
    expect(summary.results[0]).toMatchObject({ outcome: 'synced', rows: 5_500 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(pairs().size).toBe(5_500);
  });

  it('stops on a refused key with a message naming SUPABASE_KEY, replacing nothing', async () => {
    await sync().syncTables(selectTables(['account']));
    const summary = await sync({ key: 'wrong' }).syncTables(selectTables(['account', 'followers']), { force: true });
    expect(summary.stopped).toBe('the REST API refused the key');
    expect(summary.results).toHaveLength(1);
    expect(summary.results[0]!.detail).toMatch(/HTTP 401.*SUPABASE_KEY/);
    expect(count('SELECT COUNT(*) FROM account')).toBe(300);
    expect(count('SELECT COUNT(*) FROM followers')).toBe(0);
  });

  it('a connection dropped mid-table keeps the previous table; the next run goes on from the last key', async () => {
    await sync().syncTables(selectTables(['followers']));
    const before = pairs();
    const newer = followerRows(5_500, 2);
    fake.setRows('followers', newer);
    fake.inject('followers', { kind: 'drop', times: 4 }, 3); // more drops than retries, after 3 good pages

    const failed = await sync().syncTables(selectTables(['followers']), { force: true });
    expect(failed.failed).toBe(1);
    expect(failed.results[0]!.detail).toMatch(/gave up after 4 attempts/);
    expect(pairs()).toEqual(before);
    const progress = db
      .prepare("SELECT status, staged_rows, resume_key FROM cache_metadata WHERE table_name = 'followers'")
      .get() as { status: string; staged_rows: number; resume_key: string | null };
    expect(progress).toMatchObject({ status: 'syncing', staged_rows: 3_000 });

    const requestsBefore = fake.requests.length;
    const resumed = await sync().syncTables(selectTables(['followers']));
    expect(resumed.results[0]).toMatchObject({ outcome: 'synced', resumed: true, rows: 5_500, pages: 3 });
    expect(new URLSearchParams(fake.requests[requestsBefore]!.query).get('id')).toBe(`gt.${progress.resume_key}`);
    expect(pairs()).toEqual(new Set(newer.map((r) => `${r.account_id}>${r.follower_account_id}`)));
  });

  it('stops the run on a full disk, keeping the previous rows', async () => {
    await sync().syncTables(selectTables(['account']));
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 5}`);
    const summary = await sync().syncTables(selectTables(['followers', 'account']), { force: true });
    expect(summary.stopped).toBe('disk full');
    expect(summary.results).toHaveLength(1);
    expect(summary.results[0]!.detail).toMatch(/disk holding the database is full/);
    expect(count('SELECT COUNT(*) FROM account')).toBe(300);
  });

  it('skips a fresh table without a request, and --force refreshes it', async () => {
    await sync().syncTables(selectTables(['profile']));
    const requests = fake.requests.length;
    const skipped = await sync().syncTables(selectTables(['profile']));
    expect(skipped.results[0]).toMatchObject({ outcome: 'fresh', rows: 300 });
    expect(fake.requests.length).toBe(requests);

    fake.setRows('profile', profileRows(250));
    const forced = await sync().syncTables(selectTables(['profile']), { force: true });
    expect(forced.results[0]).toMatchObject({ outcome: 'synced', rows: 250 });
    db.prepare("UPDATE cache_metadata SET fetched_at = datetime('now', '-8 days') WHERE table_name = 'profile'").run();
    const stale = await sync().syncTables(selectTables(['profile']));
    expect(stale.results[0]!.outcome).toBe('synced');
  });

  it('fails a table whose rows break the schema, keeping the previous rows', async () => {
    await sync().syncTables(selectTables(['account']));
    fake.setRows(
      'account',
      accountRows(300).map((row, i) => (i === 250 ? { ...row, account_id: 12345 } : row)),
    );
    const summary = await sync().syncTables(selectTables(['account']), { force: true });
    expect(summary.results[0]!.outcome).toBe('failed');
    expect(summary.results[0]!.detail).toMatch(/account_id = 12345/);
    expect(count('SELECT COUNT(*) FROM account')).toBe(300);
  });

  it('names accounts known only by id through mentioned_users', async () => {
    await sync().syncTables(selectTables(['mentioned_users']));
    const [first] = mentionedUserRows(1);
    const names = new AccountNames(db).lookup([first!.user_id as string, '1']);
    expect(names.get(first!.user_id as string)).toMatchObject({ username: 'mentioned_1', source: 'mentioned_users' });
    expect(names.has('1')).toBe(false);
    db.prepare(
      "INSERT INTO archive_profiles (account_id, username, imported_at) VALUES (?, 'archive_name', '2024-01-01 " +
        "00:00:00')",
    ).run(first!.user_id);
    expect(new AccountNames(db).handleOf(first!.user_id as string)).toBe('archive_name');
  });

  it('rejects unknown table names, naming the valid ones', () => {
    expect(() => selectTables(['followers', 'bogus'])).toThrow(/Unknown table 'bogus': choose from account, profile/);
    expect(selectTables(['accounts', 'profiles', 'account']).map((t) => t.name)).toEqual(['account', 'profile']);
  });
});
