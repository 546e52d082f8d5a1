/**
 * What the graph engine reads from the cache: accounts with their counts, and follow
 * edges from the REST mirror, the archives and (on request) the shadow graph, each as
 * "source follows target". Rows are streamed as arrays, so no per-row objects pile up.
 */
import type { Db } from './database.js';

export interface AccountRow {
  accountId: string;
  username: string | null;
  displayName: string | null;
  numFollowers: number | null;
  numFollowing: number | null;
  numTweets: number | null;
  numLikes: number | null;
  shadow: boolean;
}

/**
 * Archive accounts (imported archives and the REST `account` table, the archive's own counts
 * first) and, with `includeShadow`, shadow accounts that are not archive accounts.
 */
export function readAccounts(db: Db, includeShadow: boolean): AccountRow[] {
  const archive = db
    .prepare(
      `SELECT COALESCE(p.account_id, a.account_id) AS accountId,
              COALESCE(p.username, a.username) AS username,
              COALESCE(p.account_display_name, a.account_display_name) AS displayName,
              COALESCE(p.num_followers, a.num_followers) AS numFollowers,
              COALESCE(p.num_following, a.num_following) AS numFollowing,
              COALESCE(p.num_tweets, a.num_tweets) AS numTweets,
              COALESCE(p.num_likes, a.num_likes) AS numLikes,
              0 AS shadow
       FROM archive_profiles p FULL OUTER JOIN account a ON a.account_id = p.account_id`,
    )
    .all() as AccountRow[];
  if (!includeShadow) return archive.map((row) => ({ ...row, shadow: false }));
  const shadow = db
    .prepare(
      `SELECT account_id AS accountId, username, display_name AS displayName, followers_count AS numFollowers,
              following_count AS numFollowing, NULL AS numTweets, NULL AS numLikes, 1 AS shadow
       FROM shadow_account
       WHERE account_id NOT IN (SELECT account_id FROM archive_profiles UNION SELECT account_id FROM account)`,
    )
    .all() as AccountRow[];
  return [...archive.map((row) => ({ ...row, shadow: false })), ...shadow.map((row) => ({ ...row, shadow: true }))];
}

/**
 * Every follow edge as [follower, followed, fromShadow]: the archive and REST edges first, then
 * (with `includeShadow`) those read from X, flagged 1. Repeats across sources are left to the
 * graph builder.
 */
export function* readFollowEdges(db: Db, includeShadow: boolean): Generator<[string, string, 0 | 1]> {
  const queries = [
    'SELECT follower_account_id, account_id, 0 FROM followers',
    'SELECT account_id, following_account_id, 0 FROM following',
    'SELECT follower_account_id, account_id, 0 FROM archive_followers',
    'SELECT account_id, following_account_id, 0 FROM archive_following',
    ...(includeShadow ? ['SELECT source_id, target_id, 1 FROM shadow_edge'] : []),
  ];
  for (const sql of queries) yield* db.prepare(sql).raw().iterate() as IterableIterator<[string, string, 0 | 1]>;
}

/** The kinds of interaction the cache stores (the CHECK of both interaction tables), in a fixed order. */
export const INTERACTION_KINDS = ['mention', 'reply', 'quote', 'retweet', 'like'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** A stored interaction: [author, other account, kind, count, newest time or null]. */
export type InteractionRow = [source: string, target: string, kind: string, count: number, lastAt: string | null];

/**
 * Every interaction the cache holds (docs/DATA-MODEL.md, "Interactions"). An author with an imported
 * archive is read from its archive, which holds every tweet; the REST-derived rows stand for authors
 * without one. Likes come only from the REST derivation, which gives liked tweets their authors.
 */
export function* readInteractions(db: Db): Generator<InteractionRow> {
  const queries = [
    'SELECT account_id, target_account_id, kind, count, last_at FROM archive_interactions',
    `SELECT account_id, target_account_id, kind, count, last_at FROM rest_interactions
     WHERE kind = 'like' OR account_id NOT IN (SELECT account_id FROM archive_profiles)`,
  ];
  for (const sql of queries) yield* db.prepare(sql).raw().iterate() as IterableIterator<InteractionRow>;
}

/**
 * Ids that mentions name, from either source: the REST mirror's `mentioned_users` and the imported
 * archives' `mention_names` (an account known only by id gets its handle from there; db/account-names.ts).
 */
export function readMentionedIds(db: Db): Set<string> {
  return new Set(
    db
      .prepare(
        `SELECT user_id FROM mentioned_users WHERE screen_name IS NOT NULL
         UNION ALL SELECT account_id FROM mention_names`,
      )
      .pluck()
      .iterate() as IterableIterator<string>,
  );
}

/** The tables a graph is built from, whose row counts a snapshot records to tell when it is stale. */
export const GRAPH_SOURCE_TABLES = [
  'account',
  'profile',
  'followers',
  'following',
  'mentioned_users',
  'mention_names',
  'archive_interactions',
  'rest_interactions',
  'archive_profiles',
  'archive_followers',
  'archive_following',
  'shadow_account',
  'shadow_edge',
] as const;

export function sourceRowCounts(db: Db): Record<string, number> {
  return Object.fromEntries(
    GRAPH_SOURCE_TABLES.map((table) => [table, db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number]),
  );
}
