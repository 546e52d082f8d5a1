/**
 * rest_interactions from a sync of tweets, user_mentions, quote_tweets, retweets, likes and liked_tweets against the
 * fake PostgREST (docs/DATA-MODEL.md, "Interactions"): exact pairs for hand-made rows, self-interactions and unknown
 * authors left out and counted, likes resolved through liked_tweets, tweets and archive_likes; a resync, a resumed
 * sync, malformed ids, paging past a composite key, and the import's refresh of likes.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/database.js';
import { rebuildRestInteractions, refreshLikeInteractions } from '../db/rest-interactions.js';
import { startFakePostgrest, type FakePostgrest } from '../testing/fake-postgrest.js';
import { tempDir } from '../testing/fixtures.js';
import { memoryLogger } from '../testing/memory-logger.js';
import { PostgrestClient } from './postgrest-client.js';
import { CacheSync } from './syncer.js';
import { DEFAULT_SYNC_TABLES, selectTables } from './tables.js';

const KEY = 'test-anon-key';
const [A, B, C, D] = ['1700000000000000001', '1700000000000000002', '1003', '1700000000000000004'];
const at = (day: string) => `${day}T10:00:00+00:00`;

const tweet = (tweet_id: string, account_id: string | null, day: string, reply_to_user_id: string | null = null) => ({
  tweet_id,
  account_id,
  created_at: at(day),
  full_text: `tweet ${tweet_id}`,
  retweet_count: 0,
  favorite_count: 1,
  reply_to_tweet_id: null,
  reply_to_user_id,
  reply_to_username: null,
  archive_upload_id: 7,
});

const TWEETS = [
  tweet('101', A, '2024-01-01'),
  tweet('102', A, '2024-02-01', B),
  tweet('103', B, '2024-03-01', A),
  tweet('104', C, '2024-01-15', C), // replies to itself
  tweet('105', A, '2024-04-01'),
  tweet('106', null, '2024-04-02', B), // author not known
  tweet('107', B, '2024-05-01'),
];

const MENTIONS = [
  { id: 1, tweet_id: '101', mentioned_user_id: B },
  { id: 2, tweet_id: '102', mentioned_user_id: B },
  { id: 4, tweet_id: '105', mentioned_user_id: B },
  { id: 5, tweet_id: '101', mentioned_user_id: C },
  { id: 6, tweet_id: '101', mentioned_user_id: A }, // self
  { id: 8, tweet_id: '999', mentioned_user_id: B }, // tweet not in the mirror
  { id: 9, tweet_id: '103', mentioned_user_id: A },
];

/** Three rows share tweet 105, so pages of two split them: paging must go past the pair, not the tweet. */
const QUOTES = [
  { tweet_id: '105', quoted_tweet_id: '103' },
  { tweet_id: '105', quoted_tweet_id: '107' }, // the same tweet quotes B twice: one tweet
  { tweet_id: '105', quoted_tweet_id: '101' }, // self
  { tweet_id: '102', quoted_tweet_id: '104' },
  { tweet_id: '107', quoted_tweet_id: '101' },
  { tweet_id: '103', quoted_tweet_id: '888' }, // quoted tweet not in the mirror
  { tweet_id: '101', quoted_tweet_id: '105' }, // self
];

const RETWEETS = [
  { tweet_id: '107', retweeted_tweet_id: '105' },
  { tweet_id: '104', retweeted_tweet_id: '103' },
  { tweet_id: '106', retweeted_tweet_id: '101' }, // author not known
  { tweet_id: '103', retweeted_tweet_id: null }, // not matched upstream
  { tweet_id: '102', retweeted_tweet_id: '101' }, // self
];

const LIKES = [
  { id: 1, account_id: C, liked_tweet_id: '101' }, // author from tweets
  { id: 2, account_id: C, liked_tweet_id: '500' }, // author from liked_tweets
  { id: 3, account_id: C, liked_tweet_id: '103' },
  { id: 4, account_id: D, liked_tweet_id: '777' }, // author not known anywhere
  { id: 5, account_id: A, liked_tweet_id: '102' }, // self
  { id: 6, account_id: D, liked_tweet_id: '501' }, // liked_tweets without an author, not in tweets
  { id: 7, account_id: D, liked_tweet_id: '107' }, // liked_tweets without an author: tweets tells it
];

const LIKED_TWEETS = [
  { tweet_id: '500', author_account_id: B },
  { tweet_id: '501', author_account_id: null },
  { tweet_id: '107', author_account_id: null },
];

const ALL = ['tweets', 'user_mentions', 'quote_tweets', 'retweets', 'likes', 'liked_tweets'];

type Pair = [account: string, target: string, kind: string, count: number, lastAt: string | null];

/** What the rows above give, with the archive likes that beforeEach stores. */
const EXPECTED: Pair[] = [
  [A, B, 'mention', 3, '2024-04-01 10:00:00'],
  [A, C, 'mention', 1, '2024-01-01 10:00:00'],
  [B, A, 'mention', 1, '2024-03-01 10:00:00'],
  [A, B, 'reply', 1, '2024-02-01 10:00:00'],
  [B, A, 'reply', 1, '2024-03-01 10:00:00'],
  [A, B, 'quote', 1, '2024-04-01 10:00:00'],
  [A, C, 'quote', 1, '2024-02-01 10:00:00'],
  [B, A, 'quote', 1, '2024-05-01 10:00:00'],
  [B, A, 'retweet', 1, '2024-05-01 10:00:00'],
  [C, B, 'retweet', 1, '2024-01-15 10:00:00'],
  [C, A, 'like', 1, null], // the archive's like of 101 is the same like
  [C, B, 'like', 2, null],
  [D, B, 'like', 3, null], // 107 through tweets; 103 and 500 from D's archive
];

describe('rest_interactions from tpot sync', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let fake: FakePostgrest;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'cache.db'));
    log = memoryLogger();
    fake = await startFakePostgrest({
      apiKey: KEY,
      tables: {
        tweets: { key: 'tweet_id', rows: TWEETS },
        user_mentions: { key: 'id', rows: MENTIONS },
        quote_tweets: { key: ['tweet_id', 'quoted_tweet_id'], rows: QUOTES },
        retweets: { key: 'tweet_id', rows: RETWEETS },
        likes: { key: 'id', rows: LIKES },
        liked_tweets: { key: 'tweet_id', rows: LIKED_TWEETS },
      },
    });
    const like = db.prepare(
      `INSERT INTO archive_likes (account_id, tweet_id, full_text, imported_at)
       VALUES (?, ?, 'liked', '2024-06-01 00:00:00')`,
    );
    like.run(D, '103');
    like.run(D, '500');
    like.run(C, '101');
  });
  afterEach(async () => {
    await fake.close();
    db.close();
    dir.remove();
  });

  /** Pages of two rows, so every table spans pages and ties of a composite key fall across them. */
  function sync(pageSize = 2) {
    const client = new PostgrestClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 1000, retryBaseMs: 10 });
    return new CacheSync({ db, client, logger: log.logger, maxAgeDays: 7, pageSize, dbRetryDelaysMs: [10, 20, 40] });
  }
  /** The stored pairs, of these kinds only when given. */
  const pairs = (...kinds: string[]) =>
    (
      db
        .prepare('SELECT account_id, target_account_id, kind, count, last_at FROM rest_interactions')
        .raw()
        .all() as Pair[]
    ).filter(([, , kind]) => kinds.length === 0 || kinds.includes(kind));
  const expected = (...kinds: string[]) => EXPECTED.filter(([, , kind]) => kinds.includes(kind));
  const sorted = (list: Pair[]) => [...list].sort((x, y) => x.join('|').localeCompare(y.join('|')));
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;

  it('derives exactly the pairs of every kind; self-interactions and unknown authors left out, counted', async () => {
    const summary = await sync().syncTables(selectTables(ALL));
    expect(summary.failed).toBe(0);
    expect(Object.fromEntries(summary.results.map((r) => [r.table, r.rows]))).toEqual({
      tweets: 7,
      user_mentions: 7,
      quote_tweets: 7,
      retweets: 5,
      likes: 7,
      liked_tweets: 3,
    });
    expect(sorted(pairs())).toEqual(sorted(EXPECTED));
    expect(summary.interactions).toMatchObject({
      pairs: { mention: 3, reply: 2, quote: 3, retweet: 2, like: 3 },
      // mention 1, reply 1, quote 2, retweet 1, like 1
      selfInteractions: 6,
      // mention 1, reply 1, quote 1, retweet 2, like 2
      unknownAuthor: 7,
    });
    expect(log.messages().join('\n')).toMatch(
      /Sync summary[\s\S]*REST interactions: 13 pairs \(mention 3, reply 2, quote 3, retweet 2, like 3\) in [\d.]+ s; /,
    );
    expect(log.messages().join('\n')).toContain('left out 6 self-interactions and 7 rows whose author is not known');
    // Ids stay text; the mirror tables keep only what the derivation reads.
    expect(count("SELECT COUNT(*) FROM user_mentions WHERE typeof(tweet_id) <> 'text'")).toBe(0);
    expect(db.prepare('SELECT * FROM liked_tweets ORDER BY tweet_id').all()).toEqual([
      { tweet_id: '107', author_account_id: null },
      { tweet_id: '500', author_account_id: B },
      { tweet_id: '501', author_account_id: null },
    ]);
  });

  it('pages quote_tweets past the last (tweet_id, quoted_tweet_id), so rows sharing a tweet are all kept', async () => {
    await sync().syncTables(selectTables(['quote_tweets']));
    const mirrored = db.prepare('SELECT tweet_id, quoted_tweet_id FROM quote_tweets').all();
    expect(new Set(mirrored.map((row) => JSON.stringify(row)))).toEqual(new Set(QUOTES.map((q) => JSON.stringify(q))));
    const queries = fake.requests.filter((r) => r.table === 'quote_tweets').map((r) => new URLSearchParams(r.query));
    // 7 rows in pages of 2: four pages; the second page starts after (103, 888), the third after (105, 101).
    expect(queries).toHaveLength(4);
    expect(queries[0]!.get('order')).toBe('tweet_id.asc,quoted_tweet_id.asc');
    expect(queries[2]!.get('tweet_id')).toBe('gte.105');
    expect(queries[2]!.get('or')).toBe('(tweet_id.gt."105",quoted_tweet_id.gt."101")');
  });

  it('a resync replaces the pairs with what the tables say now', async () => {
    await sync().syncTables(selectTables(ALL));
    fake.setRows('user_mentions', [
      { id: 20, tweet_id: '107', mentioned_user_id: C },
      { id: 21, tweet_id: '103', mentioned_user_id: C },
    ]);
    fake.setRows('likes', []);
    const summary = await sync().syncTables(selectTables(['user_mentions', 'likes']), { force: true });
    expect(summary.interactions?.pairs).toMatchObject({ mention: 1, like: 2 });
    expect(sorted(pairs())).toEqual(
      sorted([
        ...expected('reply', 'quote', 'retweet'),
        [B, C, 'mention', 2, '2024-05-01 10:00:00'],
        [C, A, 'like', 1, null], // the archive likes alone
        [D, B, 'like', 2, null],
      ]),
    );
  });

  it('an interrupted sync of user_mentions changes no pair; the run that finishes it gets them right', async () => {
    await sync().syncTables(selectTables(['tweets']));
    expect(sorted(pairs('reply'))).toEqual(sorted(expected('reply')));
    fake.inject('user_mentions', { kind: 'drop', times: 4 }, 2); // more drops than retries, after two pages

    const failed = await sync().syncTables(selectTables(['user_mentions']));
    expect(failed.results[0]).toMatchObject({ outcome: 'failed' });
    expect(failed.interactions).toBeNull();
    expect(count('SELECT COUNT(*) FROM user_mentions')).toBe(0);
    expect(count("SELECT staged_rows FROM cache_metadata WHERE table_name = 'user_mentions'")).toBe(4);
    expect(count("SELECT COUNT(*) FROM rest_interactions WHERE kind = 'mention'")).toBe(0);

    const resumed = await sync().syncTables(selectTables(['user_mentions']));
    expect(resumed.results[0]).toMatchObject({ outcome: 'synced', resumed: true, rows: 7, pages: 2 });
    expect(sorted(pairs('mention', 'reply'))).toEqual(sorted(expected('mention', 'reply')));
  });

  it('resumes quote_tweets from its stored pair', async () => {
    fake.inject('quote_tweets', { kind: 'drop', times: 4 }, 2);
    await sync().syncTables(selectTables(['quote_tweets']));
    expect(
      db.prepare("SELECT resume_key, staged_rows FROM cache_metadata WHERE table_name = 'quote_tweets'").get(),
    ).toEqual({ resume_key: '["105","101"]', staged_rows: 4 });
    const resumed = await sync().syncTables(selectTables(['quote_tweets']));
    expect(resumed.results[0]).toMatchObject({ outcome: 'synced', resumed: true, rows: 7 });
    expect(count('SELECT COUNT(*) FROM quote_tweets')).toBe(7);
  });

  it('a malformed id fails that table, which keeps its rows; the pairs stay as they were', async () => {
    await sync().syncTables(selectTables(ALL));
    fake.setRows(
      'user_mentions',
      MENTIONS.map((row, i) => (i === 5 ? { ...row, mentioned_user_id: 1700000000000000 } : row)),
    );
    fake.setRows(
      'quote_tweets',
      QUOTES.map((row, i) => (i === 3 ? { ...row, quoted_tweet_id: 'https://x.com/a/status/104' } : row)),
    );
    const summary = await sync().syncTables(selectTables(['user_mentions', 'quote_tweets']), { force: true });
    expect(summary.results.map((r) => r.outcome)).toEqual(['failed', 'failed']);
    expect(summary.results[0]!.detail).toMatch(
      /REST table 'user_mentions' sent mentioned_user_id = 1700000000000000,.*the table was not replaced/,
    );
    expect(summary.results[1]!.detail).toMatch(/'quote_tweets' sent quoted_tweet_id = "https:/);
    expect(summary.interactions).toBeNull();
    expect(count('SELECT COUNT(*) FROM user_mentions')).toBe(7);
    expect(count('SELECT COUNT(*) FROM quote_tweets')).toBe(7);
    expect(sorted(pairs())).toEqual(sorted(EXPECTED));
  });

  it('a rebuild that fails keeps the previous pairs and fails the run, saying how to rebuild them', async () => {
    await sync().syncTables(selectTables(ALL));
    db.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON rest_interactions WHEN NEW.kind = 'like'
       BEGIN SELECT RAISE(ABORT, 'no'); END`,
    );
    fake.setRows('user_mentions', []);
    const summary = await sync().syncTables(selectTables(['user_mentions']), { force: true });
    expect(summary).toMatchObject({ failed: 1, interactions: null });
    expect(summary.results[0]).toMatchObject({ outcome: 'synced', rows: 0 });
    expect(log.messages().join('\n')).toContain(
      'Rebuilding rest_interactions failed: no. The previous pairs are unchanged; ' +
        'tpot sync --tables user_mentions --force rebuilds them.',
    );
    expect(sorted(pairs())).toEqual(sorted(EXPECTED));
  });

  it('the interaction tables are synced only when named', () => {
    expect(DEFAULT_SYNC_TABLES).toEqual(['account', 'profile', 'followers', 'following', 'mentioned_users']);
    expect(selectTables(['quotes', 'liked_tweets']).map((t) => t.name)).toEqual(['quote_tweets', 'liked_tweets']);
  });

  it("an import's like refresh costs nothing and writes nothing while the mirror knows no tweet's author", () => {
    expect(refreshLikeInteractions(db, [C, D])).toBeNull();
    expect(pairs()).toEqual([]);
    db.prepare("INSERT INTO liked_tweets (tweet_id, author_account_id) VALUES ('103', ?)").run(B);
    expect(refreshLikeInteractions(db, [D])).toMatchObject({ pairs: { like: 1 }, unknownAuthor: 1 });
    expect(pairs()).toEqual([[D, B, 'like', 1, null]]);
  });

  it("an import's like refresh replaces the importing accounts' like pairs only, as a rebuild would", async () => {
    await sync().syncTables(selectTables(ALL));
    db.prepare("DELETE FROM archive_likes WHERE account_id = ? AND tweet_id = '500'").run(D);
    const like = db.prepare(
      "INSERT INTO archive_likes (account_id, tweet_id, imported_at) VALUES (?, ?, '2024-06-02 00:00:00')",
    );
    like.run(D, '101');
    like.run(D, '104');
    like.run(C, '102'); // C imported nothing this time: not refreshed yet

    const refreshed = refreshLikeInteractions(db, [D]);
    expect(refreshed).toMatchObject({ pairs: { mention: 0, like: 3 }, selfInteractions: 0, unknownAuthor: 2 });
    const dLikes: Pair[] = [
      [D, B, 'like', 2, null], // 107 (REST), 103 (archive)
      [D, A, 'like', 1, null], // 101
      [D, C, 'like', 1, null], // 104
    ];
    const others = EXPECTED.filter(([account, , kind]) => kind !== 'like' || account !== D);
    expect(sorted(pairs())).toEqual(sorted([...others, ...dLikes]));

    rebuildRestInteractions(db);
    expect(sorted(pairs('like'))).toEqual(sorted([...dLikes, [C, A, 'like', 2, null], [C, B, 'like', 2, null]]));
  });
});
