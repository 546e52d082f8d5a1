/**
 * SQL for the archive tables and the import ledger (docs/DATA-MODEL.md). The only code that writes them.
 *
 * An archive is imported in two steps:
 *  1. staging — its records go into a scratch SQLite file of its own (src/db/archive-stage.ts),
 *     so a slow or failing parse never holds the cache's write lock and never touches the cache;
 *  2. commit — the scratch file is ATTACHed and one IMMEDIATE transaction copies its rows into
 *     the archive tables with INSERT … SELECT and writes the ledger row. After a crash the archive
 *     is whole or absent.
 */
import type { Db } from './database.js';
import type { StageCounts } from './archive-stage.js';
import type { AccountRecord, ProfileRecord } from '../archive/records.js';

export type MergeStrategy = 'timestamp' | 'archive_only' | 'shadow_only';
export const MERGE_STRATEGIES: readonly MergeStrategy[] = ['timestamp', 'archive_only', 'shadow_only'];

export type LedgerStatus = 'imported' | 'not_found' | 'failed';

export interface LedgerEntry {
  username: string;
  accountId: string | null;
  status: LedgerStatus;
  uploadedAt: string | null;
  sha256: string | null;
}

export interface CommitRequest {
  /** The scratch files written by ArchiveStage (one, or one per part of a large archive). */
  stageFiles: readonly string[];
  username: string;
  account: AccountRecord;
  profile: ProfileRecord | null;
  /** Source's Last-Modified (else upload-options date, else now), on every row. */
  uploadedAt: string;
  importedAt: string;
  source: string;
  etag: string | null;
  bytes: number;
  sha256: string;
  strategy: Exclude<MergeStrategy, 'shadow_only'>;
  counts: StageCounts;
}

export interface CommitResult {
  /** False when a newer upload of the same account was already stored (timestamp strategy). */
  replaced: boolean;
  tweetsStored: number;
  likes: number;
  followers: number;
  following: number;
  /** (other account, kind) pairs stored for the author. */
  interactions: number;
  /** Interactions left out: the stage's unreadable entities, self-interactions, quoted handles no table names. */
  interactionsSkipped: number;
}

export class ArchiveStore {
  constructor(readonly db: Db) {}

  /** Every ledger row, by lower-case username. */
  ledger(): Map<string, LedgerEntry> {
    const rows = this.db
      .prepare(
        'SELECT username, account_id AS accountId, status, uploaded_at AS uploadedAt, sha256 FROM archive_imports',
      )
      .all() as LedgerEntry[];
    return new Map(rows.map((row) => [row.username, row]));
  }

  /** Usernames of the REST `account` table (filled by `tpot sync`), lower-cased, in table order. */
  accountUsernames(): string[] {
    const rows = this.db
      .prepare('SELECT DISTINCT lower(username) AS username FROM account WHERE username IS NOT NULL ORDER BY rowid')
      .all() as {
      username: string;
    }[];
    return rows.map((row) => row.username);
  }

  /**
   * Records a download that found nothing or failed. A previous successful import stays
   * 'imported' (its rows are still there); only the error and attempt count are updated.
   */
  recordOutcome(
    username: string,
    status: 'not_found' | 'failed',
    source: string,
    error: string | null,
    at: string,
  ): void {
    this.db
      .prepare(
        `INSERT INTO archive_imports (username, status, source, error, attempts, imported_at)
         VALUES (@username, @status, @source, @error, 1, @at)
         ON CONFLICT(username) DO UPDATE SET
           status = CASE WHEN archive_imports.status = 'imported' THEN 'imported' ELSE excluded.status END,
           source = excluded.source, error = excluded.error, attempts = archive_imports.attempts + 1,
           imported_at = CASE WHEN archive_imports.status = 'imported' THEN archive_imports.imported_at
                              ELSE excluded.imported_at END`,
      )
      .run({ username, status, source, error, at });
  }

  /** Copies the staged archive into the archive tables and writes its ledger row, atomically. */
  commit(request: CommitRequest): CommitResult {
    // ATTACH cannot run inside a transaction, so it wraps the transaction.
    const schemas = request.stageFiles.map((file, i) => {
      this.db.prepare('ATTACH DATABASE ? AS ?').run(file, `stage${i}`);
      return `stage${i}`;
    });
    try {
      return this.db.transaction(() => this.commitInTransaction(request, schemas)).immediate();
    } finally {
      for (const schema of schemas) this.db.exec(`DETACH DATABASE ${schema}`);
    }
  }

  /** `schemas`: the attached scratch files (names made by `commit`, never from input). */
  private commitInTransaction(r: CommitRequest, schemas: readonly string[]): CommitResult {
    const owner = r.account.accountId;
    const stored = this.db
      .prepare('SELECT uploaded_at AS uploadedAt FROM archive_profiles WHERE account_id = ?')
      .get(owner) as { uploadedAt: string | null } | undefined;
    // timestamp: the newest upload of an account replaces the older one; an older upload only
    // fills in rows that are missing and never overwrites newer ones. archive_only: always replace.
    const replaced =
      r.strategy === 'archive_only' || !stored || stored.uploadedAt === null || r.uploadedAt >= stored.uploadedAt;
    const verb = replaced ? 'INSERT OR REPLACE' : 'INSERT OR IGNORE';
    if (replaced) {
      const tables = [
        'archive_following',
        'archive_followers',
        'archive_tweets',
        'archive_likes',
        'archive_interactions',
      ];
      for (const table of tables) {
        this.db.prepare(`DELETE FROM ${table} WHERE account_id = ?`).run(owner);
      }
    }
    const params = { owner, up: r.uploadedAt, now: r.importedAt };
    let following = 0;
    let followers = 0;
    let likes = 0;
    let tweetsStored = 0;
    let interactions = 0;
    let interactionsSkipped = r.counts.interactionsSkipped;
    for (const schema of schemas) {
      // Self-follows occur in archives (docs/FORMATS.md, "Quirks"); they are not edges.
      following += this.db
        .prepare(
          `${verb} INTO archive_following (account_id, following_account_id, uploaded_at, imported_at)
           SELECT @owner, account_id, @up, @now FROM ${schema}.stage_following WHERE account_id <> @owner`,
        )
        .run(params).changes;
      followers += this.db
        .prepare(
          `${verb} INTO archive_followers (account_id, follower_account_id, uploaded_at, imported_at)
           SELECT @owner, account_id, @up, @now FROM ${schema}.stage_followers WHERE account_id <> @owner`,
        )
        .run(params).changes;
      likes += this.db
        .prepare(
          `${verb} INTO archive_likes (account_id, tweet_id, full_text, expanded_url, uploaded_at, imported_at)
           SELECT @owner, tweet_id, full_text, expanded_url, @up, @now FROM ${schema}.stage_likes`,
        )
        .run(params).changes;
      tweetsStored += this.db
        .prepare(
          `${verb} INTO archive_tweets (account_id, tweet_id, full_text, created_at, favorite_count, retweet_count,
             lang, reply_to_tweet_id, reply_to_user_id, reply_to_username, uploaded_at, imported_at)
           SELECT @owner, tweet_id, full_text, created_at, favorite_count, retweet_count, lang,
             reply_to_tweet_id, reply_to_user_id, reply_to_username, @up, @now
           FROM ${schema}.stage_tweets`,
        )
        .run(params).changes;
      // Most staged pairs name their account by id, one row per (kind, account): they go straight in. Only
      // quotes staged by "@handle" need resolving, and may meet a pair already written for the same account.
      interactions += this.db
        .prepare(
          `${verb} INTO archive_interactions (account_id, target_account_id, kind, count, last_at)
           SELECT @owner, target, kind, count, last_at FROM ${schema}.stage_interactions
           WHERE substr(target, 1, 1) <> '@' AND target <> @owner`,
        )
        .run(params).changes;
      interactions += this.db
        .prepare(
          `INSERT INTO archive_interactions (account_id, target_account_id, kind, count, last_at)
           SELECT @owner, target_id, kind, SUM(count), MAX(last_at) FROM (${resolvedQuotes(schema)})
           WHERE target_id IS NOT NULL AND target_id <> @owner
           GROUP BY target_id, kind
           ON CONFLICT DO ${
             replaced
               ? `UPDATE SET count = count + excluded.count,
                    last_at = CASE WHEN last_at IS NULL OR excluded.last_at > last_at THEN excluded.last_at
                                   ELSE last_at END`
               : 'NOTHING'
           }`,
        )
        .run(params).changes;
      interactionsSkipped += this.db
        .prepare(`SELECT COALESCE(SUM(count), 0) FROM ${schema}.stage_interactions WHERE target = @owner`)
        .pluck()
        .get({ owner }) as number;
      interactionsSkipped += this.db
        .prepare(
          `SELECT COALESCE(SUM(count), 0) FROM (${resolvedQuotes(schema)})
           WHERE target_id IS NULL OR target_id = @owner`,
        )
        .pluck()
        .get({ owner }) as number;
      // Names are facts about other accounts, not the owner's rows: never deleted, the newest mention wins.
      this.db
        .prepare(
          `INSERT INTO mention_names (account_id, username, display_name, seen_at)
           SELECT account_id, username, display_name, seen_at FROM ${schema}.stage_names WHERE true
           ON CONFLICT (account_id) DO UPDATE SET
             username = excluded.username, display_name = excluded.display_name, seen_at = excluded.seen_at
           WHERE mention_names.seen_at IS NULL OR excluded.seen_at > mention_names.seen_at`,
        )
        .run();
    }
    this.db
      .prepare(
        `${verb} INTO archive_profiles (account_id, username, account_display_name, account_created_at, created_via,
           bio, website, location, avatar_media_url, header_media_url,
           num_tweets, num_likes, num_followers, num_following, uploaded_at, imported_at)
         VALUES (@owner, @username, @displayName, @createdAt, @createdVia, @bio, @website, @location, @avatar, @header,
           @tweets, @likes, @followers, @following, @up, @now)`,
      )
      .run({
        ...params,
        username: r.account.username,
        displayName: r.account.displayName,
        createdAt: r.account.createdAt,
        createdVia: r.account.createdVia,
        bio: r.profile?.bio ?? null,
        website: r.profile?.website ?? null,
        location: r.profile?.location ?? null,
        avatar: r.profile?.avatarMediaUrl ?? null,
        header: r.profile?.headerMediaUrl ?? null,
        tweets: r.counts.tweets,
        likes: r.counts.likes,
        followers: r.counts.followers,
        following: r.counts.following,
      });
    this.db
      .prepare(
        `INSERT INTO archive_imports (username, account_id, status, source, uploaded_at, etag, bytes, sha256,
           tweets_count, tweets_stored, likes_count, followers_count, following_count, duplicates_dropped,
           merge_strategy, error, attempts, imported_at)
         VALUES (@username, @owner, 'imported', @source, @up, @etag, @bytes, @sha256, @tweets, @tweetsStored, @likes,
           @followers, @following, @duplicates, @strategy, NULL, 1, @now)
         ON CONFLICT(username) DO UPDATE SET
           account_id = excluded.account_id, status = 'imported', source = excluded.source,
           uploaded_at = excluded.uploaded_at, etag = excluded.etag, bytes = excluded.bytes, sha256 = excluded.sha256,
           tweets_count = excluded.tweets_count, tweets_stored = excluded.tweets_stored,
           likes_count = excluded.likes_count,
           followers_count = excluded.followers_count, following_count = excluded.following_count,
           duplicates_dropped = excluded.duplicates_dropped, merge_strategy = excluded.merge_strategy, error = NULL,
           attempts = archive_imports.attempts + 1, imported_at = excluded.imported_at`,
      )
      .run({
        ...params,
        username: r.username,
        source: r.source,
        etag: r.etag,
        bytes: r.bytes,
        sha256: r.sha256,
        tweets: r.counts.tweets,
        tweetsStored,
        likes: r.counts.likes,
        followers: r.counts.followers,
        following: r.counts.following,
        duplicates: r.counts.duplicates,
        strategy: r.strategy,
      });
    return { replaced, tweetsStored, likes, followers, following, interactions, interactionsSkipped };
  }
}

/**
 * A stage's quotes staged by "@handle" (their author was not among the archive's mentions), each with the account
 * id the cache knows for that handle — from the accounts, archive profiles, mentioned users and mention names —
 * or NULL when none names it.
 */
function resolvedQuotes(schema: string): string {
  const byHandle = (table: string, id: string, handle: string) =>
    `(SELECT ${id} FROM ${table} WHERE ${handle} = substr(target, 2) COLLATE NOCASE LIMIT 1)`;
  return `SELECT kind, count, last_at,
      COALESCE(${byHandle('account', 'account_id', 'username')},
        ${byHandle('archive_profiles', 'account_id', 'username')},
        ${byHandle('mentioned_users', 'user_id', 'screen_name')},
        ${byHandle('mention_names', 'account_id', 'username')}) AS target_id
    FROM ${schema}.stage_interactions WHERE substr(target, 1, 1) = '@'`;
}
