/**
 * SQL for the archive tables and the import ledger (SPEC §3, §4.2). The only code that writes them.
 *
 * An archive is imported in two steps:
 *  1. staging — its records go into TEMP tables of this connection (deduplicated by key). Temp
 *     tables live outside the main file, so a slow or failing parse never holds the write lock and
 *     never touches the cache;
 *  2. commit — one IMMEDIATE transaction copies the staged rows into the archive tables with
 *     INSERT … SELECT and writes the ledger row. After a crash the archive is whole or absent.
 */
import type Database from 'better-sqlite3';
import type { Db } from './database.js';
import type { AccountRecord, LikeRecord, NoteTweetRecord, ProfileRecord, TweetRecord } from '../archive/records.js';
import { unescapeHtml } from '../archive/records.js';

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

/** Tweets kept per archive unless --all-tweets: the 20 most liked plus the 10 most recent (SPEC §4.2). */
export const TOP_LIKED_TWEETS = 20;
export const RECENT_TWEETS = 10;

export interface StageCounts {
  tweets: number;
  likes: number;
  followers: number;
  following: number;
  /** Items seen more than once (e.g. the macOS double-part bug, format doc §5.6). */
  duplicates: number;
  noteTweetsJoined: number;
}

const STAGE_SCHEMA = `
CREATE TEMP TABLE IF NOT EXISTS stage_tweets (
  tweet_id TEXT PRIMARY KEY, full_text TEXT, created_at TEXT, favorite_count INTEGER,
  retweet_count INTEGER, lang TEXT, reply_to_tweet_id TEXT, reply_to_user_id TEXT, reply_to_username TEXT
);
CREATE INDEX IF NOT EXISTS temp.stage_tweets_created ON stage_tweets(created_at);
CREATE TEMP TABLE IF NOT EXISTS stage_likes (tweet_id TEXT PRIMARY KEY, full_text TEXT, expanded_url TEXT);
CREATE TEMP TABLE IF NOT EXISTS stage_followers (account_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS stage_following (account_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS stage_notes (note_id TEXT PRIMARY KEY, created_at TEXT, text TEXT NOT NULL);
`;
const CLEAR_STAGE = 'DELETE FROM stage_tweets; DELETE FROM stage_likes; DELETE FROM stage_followers; DELETE FROM stage_following; DELETE FROM stage_notes;';

/** Rows per INSERT statement while staging: one call into SQLite for many rows. */
const STAGE_BATCH_ROWS = 250;

/**
 * Buffers rows for one staging table and writes them with multi-row INSERT OR IGNORE statements.
 * Rows already present (duplicates) are counted from the statement's `changes`.
 */
class StageBatch {
  private readonly values: unknown[] = [];
  private readonly full;
  duplicates = 0;

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly width: number,
  ) {
    this.full = db.prepare(this.sql(STAGE_BATCH_ROWS));
  }

  private sql(rows: number): string {
    const row = `(${Array.from({ length: this.width }, () => '?').join(', ')})`;
    return `INSERT OR IGNORE INTO ${this.table} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
  }

  add(...row: unknown[]): void {
    for (const value of row) this.values.push(value);
    if (this.values.length === STAGE_BATCH_ROWS * this.width) this.write(this.full);
  }

  flush(): void {
    if (this.values.length > 0) this.write(this.db.prepare(this.sql(this.values.length / this.width)));
  }

  private write(statement: Database.Statement): void {
    const rows = this.values.length / this.width;
    this.duplicates += rows - statement.run(this.values).changes;
    this.values.length = 0;
  }
}

/**
 * The staged rows of one archive. Created by ArchiveStore.beginStage(); its inserts run inside a
 * transaction on the temp tables only, finished by `close()` (or `discard()` on failure).
 */
export class ArchiveStage {
  private readonly tweets: StageBatch;
  private readonly likes: StageBatch;
  private readonly followers: StageBatch;
  private readonly followings: StageBatch;
  private readonly notes: StageBatch;

  constructor(private readonly db: Db) {
    db.exec(STAGE_SCHEMA);
    db.exec(CLEAR_STAGE);
    this.tweets = new StageBatch(db, 'stage_tweets', 9);
    this.likes = new StageBatch(db, 'stage_likes', 3);
    this.followers = new StageBatch(db, 'stage_followers', 1);
    this.followings = new StageBatch(db, 'stage_following', 1);
    this.notes = new StageBatch(db, 'stage_notes', 3);
    db.exec('BEGIN');
  }

  tweet(r: TweetRecord): void {
    this.tweets.add(r.tweetId, r.fullText, r.createdAt, r.favoriteCount, r.retweetCount, r.lang, r.replyToTweetId, r.replyToUserId, r.replyToUsername);
  }
  like(r: LikeRecord): void {
    this.likes.add(r.tweetId, r.fullText, r.expandedUrl);
  }
  follower(accountId: string): void {
    this.followers.add(accountId);
  }
  following(accountId: string): void {
    this.followings.add(accountId);
  }
  noteTweet(r: NoteTweetRecord): void {
    this.notes.add(r.noteTweetId, r.createdAt, r.text);
  }

  private batches(): StageBatch[] {
    return [this.tweets, this.likes, this.followers, this.followings, this.notes];
  }

  /**
   * Call once the whole archive has been read: writes what the batches still hold, joins note
   * tweets, ends the staging transaction and returns what was staged, ready for commit.
   */
  complete(): StageCounts {
    for (const batch of this.batches()) batch.flush();
    const noteTweetsJoined = this.joinNoteTweets();
    const counts = this.counts(noteTweetsJoined);
    if (this.db.inTransaction) this.db.exec('COMMIT');
    return counts;
  }

  /**
   * Long posts: the tweet holds a truncated copy ending in '…'; the note holds the whole text but
   * no tweet id. Matched as the Community Archive does (created within a second, the tweet's text
   * is the start of the note) but on HTML-unescaped text, which also catches the notes CA misses
   * (format doc §2.9).
   */
  private joinNoteTweets(): number {
    const notes = this.db.prepare('SELECT created_at AS createdAt, text FROM stage_notes WHERE created_at IS NOT NULL').all() as {
      createdAt: string;
      text: string;
    }[];
    const candidates = this.db.prepare(
      `SELECT tweet_id AS tweetId, full_text AS fullText FROM stage_tweets
       WHERE created_at BETWEEN datetime(?, '-1 seconds') AND datetime(?, '+1 seconds') AND full_text IS NOT NULL`,
    );
    const update = this.db.prepare('UPDATE stage_tweets SET full_text = ? WHERE tweet_id = ?');
    let joined = 0;
    for (const note of notes) {
      const noteText = unescapeHtml(note.text);
      for (const tweet of candidates.all(note.createdAt, note.createdAt) as { tweetId: string; fullText: string }[]) {
        const head = tweet.fullText.split('…')[0]!.trimEnd();
        if (head.length >= 20 && noteText.startsWith(head)) {
          update.run(noteText, tweet.tweetId);
          joined++;
          break;
        }
      }
    }
    return joined;
  }

  private counts(noteTweetsJoined: number): StageCounts {
    const count = (table: string) => (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      tweets: count('stage_tweets'),
      likes: count('stage_likes'),
      followers: count('stage_followers'),
      following: count('stage_following'),
      duplicates: this.batches().reduce((sum, batch) => sum + batch.duplicates, 0),
      noteTweetsJoined,
    };
  }

  /** Ends the staging transaction and drops the staged rows. */
  discard(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.exec(CLEAR_STAGE);
  }
}

export interface CommitRequest {
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
  allTweets: boolean;
  counts: StageCounts;
}

export interface CommitResult {
  /** False when a newer upload of the same account was already stored (timestamp strategy). */
  replaced: boolean;
  tweetsStored: number;
  likes: number;
  followers: number;
  following: number;
}

export class ArchiveStore {
  constructor(readonly db: Db) {}

  beginStage(): ArchiveStage {
    return new ArchiveStage(this.db);
  }

  /** Every ledger row, by lower-case username. */
  ledger(): Map<string, LedgerEntry> {
    const rows = this.db
      .prepare('SELECT username, account_id AS accountId, status, uploaded_at AS uploadedAt, sha256 FROM archive_imports')
      .all() as LedgerEntry[];
    return new Map(rows.map((row) => [row.username, row]));
  }

  /** Usernames of the REST `account` table (filled by `tpot sync`), lower-cased, in table order. */
  accountUsernames(): string[] {
    const rows = this.db.prepare('SELECT DISTINCT lower(username) AS username FROM account WHERE username IS NOT NULL ORDER BY rowid').all() as {
      username: string;
    }[];
    return rows.map((row) => row.username);
  }

  /**
   * Records a download that found nothing or failed. A previous successful import stays
   * 'imported' (its rows are still there); only the error and attempt count are updated.
   */
  recordOutcome(username: string, status: 'not_found' | 'failed', source: string, error: string | null, at: string): void {
    this.db
      .prepare(
        `INSERT INTO archive_imports (username, status, source, error, attempts, imported_at)
         VALUES (@username, @status, @source, @error, 1, @at)
         ON CONFLICT(username) DO UPDATE SET
           status = CASE WHEN archive_imports.status = 'imported' THEN 'imported' ELSE excluded.status END,
           source = excluded.source, error = excluded.error, attempts = archive_imports.attempts + 1,
           imported_at = CASE WHEN archive_imports.status = 'imported' THEN archive_imports.imported_at ELSE excluded.imported_at END`,
      )
      .run({ username, status, source, error, at });
  }

  /** Copies the staged archive into the archive tables and writes its ledger row, atomically. */
  commit(request: CommitRequest): CommitResult {
    return this.db.transaction(() => this.commitInTransaction(request)).immediate();
  }

  private commitInTransaction(r: CommitRequest): CommitResult {
    const owner = r.account.accountId;
    const stored = this.db.prepare('SELECT uploaded_at AS uploadedAt FROM archive_profiles WHERE account_id = ?').get(owner) as
      | { uploadedAt: string | null }
      | undefined;
    // timestamp: the newest upload of an account replaces the older one; an older upload only
    // fills in rows that are missing and never overwrites newer ones. archive_only: always replace.
    const replaced = r.strategy === 'archive_only' || !stored || stored.uploadedAt === null || r.uploadedAt >= stored.uploadedAt;
    const verb = replaced ? 'INSERT OR REPLACE' : 'INSERT OR IGNORE';
    if (replaced) {
      for (const table of ['archive_following', 'archive_followers', 'archive_tweets', 'archive_likes']) {
        this.db.prepare(`DELETE FROM ${table} WHERE account_id = ?`).run(owner);
      }
    }
    const params = { owner, up: r.uploadedAt, now: r.importedAt };
    // Self-follows occur in archives (format doc §5.6); they are not edges.
    const following = this.db
      .prepare(
        `${verb} INTO archive_following (account_id, following_account_id, uploaded_at, imported_at)
         SELECT @owner, account_id, @up, @now FROM stage_following WHERE account_id <> @owner`,
      )
      .run(params).changes;
    const followers = this.db
      .prepare(
        `${verb} INTO archive_followers (account_id, follower_account_id, uploaded_at, imported_at)
         SELECT @owner, account_id, @up, @now FROM stage_followers WHERE account_id <> @owner`,
      )
      .run(params).changes;
    const likes = this.db
      .prepare(
        `${verb} INTO archive_likes (account_id, tweet_id, full_text, expanded_url, uploaded_at, imported_at)
         SELECT @owner, tweet_id, full_text, expanded_url, @up, @now FROM stage_likes`,
      )
      .run(params).changes;
    const tweetsStored = this.db
      .prepare(
        `${verb} INTO archive_tweets (account_id, tweet_id, full_text, created_at, favorite_count, retweet_count, lang,
           reply_to_tweet_id, reply_to_user_id, reply_to_username, uploaded_at, imported_at)
         SELECT @owner, tweet_id, full_text, created_at, favorite_count, retweet_count, lang,
           reply_to_tweet_id, reply_to_user_id, reply_to_username, @up, @now
         FROM stage_tweets
         WHERE @all OR tweet_id IN (
             SELECT tweet_id FROM stage_tweets
             ORDER BY favorite_count DESC NULLS LAST, length(tweet_id) DESC, tweet_id DESC LIMIT ${TOP_LIKED_TWEETS})
           OR tweet_id IN (
             SELECT tweet_id FROM stage_tweets
             ORDER BY created_at DESC NULLS LAST, length(tweet_id) DESC, tweet_id DESC LIMIT ${RECENT_TWEETS})`,
      )
      .run({ ...params, all: r.allTweets ? 1 : 0 }).changes;
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
         ON CONFLICT(username) DO UPDATE SET account_id = excluded.account_id, status = 'imported', source = excluded.source,
           uploaded_at = excluded.uploaded_at, etag = excluded.etag, bytes = excluded.bytes, sha256 = excluded.sha256,
           tweets_count = excluded.tweets_count, tweets_stored = excluded.tweets_stored, likes_count = excluded.likes_count,
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
    return { replaced, tweetsStored, likes, followers, following };
  }
}
