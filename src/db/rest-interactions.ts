/**
 * rest_interactions: who mentioned, replied to, quoted, retweeted and liked whom, derived from the REST mirror
 * (docs/DATA-MODEL.md, "Interactions"). The only SQL that writes it. Every kind is one query over its source rows,
 * each row resolved to (author, other account, tweet, time) through `tweets` (and, for likes, `liked_tweets` first),
 * then counted per pair. Rows whose author or other account is not known, and self-interactions, are left out and
 * counted.
 */
import type { Db } from './database.js';
import { INTERACTION_KINDS, type InteractionKind } from './graph-store.js';

/** The mirror tables the pairs are derived from: a sync that replaced one of them rebuilds the pairs. */
export const REST_INTERACTION_SOURCES: readonly string[] = [
  'tweets',
  'user_mentions',
  'quote_tweets',
  'retweets',
  'likes',
  'liked_tweets',
];

export interface RestInteractionCounts {
  /** Pairs written, by kind. */
  pairs: Record<InteractionKind, number>;
  /** Source rows left out because the author and the other account are the same. */
  selfInteractions: number;
  /** Source rows left out because the author of a tweet at either end is not known. */
  unknownAuthor: number;
  seconds: number;
}

interface KindQuery {
  kind: InteractionKind;
  /**
   * SELECT author, target, tweet, at — one row per source row, author and target NULL when not known. The source
   * table drives and each tweet is looked up by its key: LEFT JOIN keeps that order as long as no WHERE rejects a
   * NULL author, which would let SQLite make the join inner and start from `tweets` (docs/BENCHMARKS.md, "REST
   * sync"). `accounts` restricts the likers (likes only).
   */
  rows: (accounts: string) => string;
  /**
   * How a pair's tweets are counted. COUNT(*) where the source's key already makes the tweet unique within a pair;
   * a quote_tweets row is a (tweet, quoted tweet) pair, and one tweet can quote two tweets of the same author.
   */
  count: string;
}

/** The accounts of a scoped refresh, bound as a JSON array (one parameter however many). */
const OF_ACCOUNTS = 'account_id IN (SELECT value FROM json_each(@accounts))';

/** Every like once, from the REST mirror and the archives; `accounts` is a WHERE clause on the liker, or ''. */
const LIKED = (accounts: string) =>
  `SELECT account_id, liked_tweet_id AS tweet_id FROM likes ${accounts}
   UNION SELECT account_id, tweet_id FROM archive_likes ${accounts}`;

const KIND_QUERIES: readonly KindQuery[] = [
  {
    kind: 'mention',
    rows: () => `SELECT t.account_id AS author, m.mentioned_user_id AS target, m.tweet_id AS tweet,
        t.created_at AS at
      FROM user_mentions m LEFT JOIN tweets t ON t.tweet_id = m.tweet_id`,
    count: 'COUNT(*)',
  },
  {
    // NOT INDEXED: a scan of the table, never a walk through tweets_account that reads each row out of order.
    kind: 'reply',
    rows: () => `SELECT account_id AS author, reply_to_user_id AS target, tweet_id AS tweet, created_at AS at
      FROM tweets NOT INDEXED WHERE reply_to_user_id IS NOT NULL`,
    count: 'COUNT(*)',
  },
  {
    kind: 'quote',
    rows: () => `SELECT t.account_id AS author, quoted.account_id AS target, q.tweet_id AS tweet,
        t.created_at AS at
      FROM quote_tweets q LEFT JOIN tweets t ON t.tweet_id = q.tweet_id
      LEFT JOIN tweets quoted ON quoted.tweet_id = q.quoted_tweet_id`,
    count: 'COUNT(DISTINCT tweet)',
  },
  {
    kind: 'retweet',
    rows: () => `SELECT t.account_id AS author, original.account_id AS target, r.tweet_id AS tweet,
        t.created_at AS at
      FROM retweets r LEFT JOIN tweets t ON t.tweet_id = r.tweet_id
      LEFT JOIN tweets original ON original.tweet_id = r.retweeted_tweet_id`,
    count: 'COUNT(*)',
  },
  {
    // A like has no time of its own. An archive's likes name no authors: liked_tweets, else tweets, tells them.
    // Likes come in liker order; looked up in tweet order instead, they read both tables front to back, not at
    // random (docs/BENCHMARKS.md, "REST sync"). MATERIALIZED keeps the ORDER BY that SQLite would drop.
    kind: 'like',
    rows: (accounts) => `WITH l AS MATERIALIZED (${LIKED(accounts)} ORDER BY tweet_id)
      SELECT l.account_id AS author, COALESCE(lt.author_account_id, t.account_id) AS target,
        l.tweet_id AS tweet, NULL AS at
      FROM l LEFT JOIN liked_tweets lt ON lt.tweet_id = l.tweet_id LEFT JOIN tweets t ON t.tweet_id = l.tweet_id`,
    count: 'COUNT(*)',
  },
];

/** Replaces every pair with what the mirror tables (and archive_likes) say now, in one transaction. */
export function rebuildRestInteractions(db: Db): RestInteractionCounts {
  return derive(db, KIND_QUERIES, () => db.prepare('DELETE FROM rest_interactions').run(), '', {});
}

/**
 * Replaces the like pairs of these liking accounts only — what an import changed (their archive_likes). Costs what
 * their likes cost, however large the mirror; the whole rebuild gives the same rows. Null, at no cost, when neither
 * liked_tweets nor tweets has a row: then no like has a known author, and no like pair exists.
 */
export function refreshLikeInteractions(db: Db, accountIds: readonly string[]): RestInteractionCounts | null {
  const authorsKnown = db
    .prepare('SELECT EXISTS (SELECT 1 FROM liked_tweets) OR EXISTS (SELECT 1 FROM tweets)')
    .pluck()
    .get() as number;
  if (!authorsKnown) return null;
  const params = { accounts: JSON.stringify(accountIds) };
  const likes = KIND_QUERIES.filter((query) => query.kind === 'like');
  const clear = () => db.prepare(`DELETE FROM rest_interactions WHERE kind = 'like' AND ${OF_ACCOUNTS}`).run(params);
  return derive(db, likes, clear, `WHERE ${OF_ACCOUNTS}`, params);
}

/**
 * Each kind in one pass over its source rows: grouped per (author, other account) — unknown ones and
 * self-interactions included — into a scratch table, from which the pairs are copied and what was left out is
 * counted. (Writing the pairs straight away and counting the rest in a second query resolved every row twice.)
 */
function derive(
  db: Db,
  queries: readonly KindQuery[],
  clear: () => unknown,
  accounts: string,
  params: Record<string, string>,
): RestInteractionCounts {
  const started = performance.now();
  const pairs = Object.fromEntries(INTERACTION_KINDS.map((kind) => [kind, 0])) as Record<InteractionKind, number>;
  let selfInteractions = 0;
  let unknownAuthor = 0;
  db.transaction(() => {
    clear();
    // A temp table: this connection's own, gone with the transaction if it fails.
    db.exec(`CREATE TEMP TABLE rest_interaction_groups (author TEXT, target TEXT, count INTEGER NOT NULL,
      last_at TEXT, rows INTEGER NOT NULL)`);
    for (const query of queries) {
      db.prepare(
        `INSERT INTO temp.rest_interaction_groups (author, target, count, last_at, rows)
         SELECT author, target, ${query.count}, MAX(at), COUNT(*) FROM (${query.rows(accounts)})
         GROUP BY author, target`,
      ).run(params);
      pairs[query.kind] = db
        .prepare(
          `INSERT INTO rest_interactions (account_id, target_account_id, kind, count, last_at)
           SELECT author, target, ?, count, last_at FROM temp.rest_interaction_groups
           WHERE author IS NOT NULL AND target IS NOT NULL AND author <> target`,
        )
        .run(query.kind).changes;
      const left = db
        .prepare(
          `SELECT COALESCE(SUM(CASE WHEN author IS NULL OR target IS NULL THEN rows END), 0) AS unknown,
             COALESCE(SUM(CASE WHEN author = target THEN rows END), 0) AS self
           FROM temp.rest_interaction_groups`,
        )
        .get() as { unknown: number; self: number };
      unknownAuthor += left.unknown;
      selfInteractions += left.self;
      db.exec('DELETE FROM temp.rest_interaction_groups');
    }
    db.exec('DROP TABLE temp.rest_interaction_groups');
  }).immediate();
  return { pairs, selfInteractions, unknownAuthor, seconds: (performance.now() - started) / 1000 };
}

/** One line for the sync's and the import's log; `what` names the pairs written. */
export function describeRestInteractions(counts: RestInteractionCounts, what = 'REST interactions'): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const total = Object.values(counts.pairs).reduce((sum, value) => sum + value, 0);
  const kinds = INTERACTION_KINDS.filter((kind) => counts.pairs[kind] > 0)
    .map((kind) => `${kind} ${n(counts.pairs[kind])}`)
    .join(', ');
  return (
    `${what}: ${n(total)} pairs${kinds ? ` (${kinds})` : ''} in ${counts.seconds.toFixed(1)} s; ` +
    `left out ${n(counts.selfInteractions)} self-interactions and ${n(counts.unknownAuthor)} rows whose author ` +
    'is not known'
  );
}
