/**
 * Staging one archive: its records go into a scratch SQLite file of its own,
 * deduplicated by key, before anything touches the cache. The scratch file is written by whoever
 * parses the archive (a worker thread, see src/archive/parser-pool.ts) and later ATTACHed by the
 * cache's single writer, which copies it in one transaction (ArchiveStore.commit).
 *
 * A scratch file holds nothing that must survive a crash, so it runs without a journal and
 * without fsync; it is deleted once the archive is committed or has failed.
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { LikeRecord, NoteTweetRecord, TweetRecord } from '../archive/records.js';
import { BulkInsert, ROWS_PER_STATEMENT } from './bulk-insert.js';
import type { InteractionKind } from './graph-store.js';
import { unescapeHtml } from '../archive/records.js';

/** Tweets kept per archive unless --all-tweets: the 20 most liked plus the 10 most recent. */
export const TOP_LIKED_TWEETS = 20;
export const RECENT_TWEETS = 10;

export interface StageCounts {
  /** Unique tweets in the archive (not only the ones kept). */
  tweets: number;
  likes: number;
  followers: number;
  following: number;
  /** Items seen more than once (e.g. the macOS double-part bug; docs/FORMATS.md, "Quirks"). */
  duplicates: number;
  noteTweetsJoined: number;
  /** Interactions read: one per (tweet, kind, other account), counted into pairs. */
  interactions: number;
  /** Entities that gave no interaction: unreadable mentions or status links, a retweet's handle with no mention. */
  interactionsSkipped: number;
}

/** What an interaction row says the author did to the other account (docs/DATA-MODEL.md, "Interactions"). */
/** What an archive's tweets tell (an archive names no liked tweet's author). */
type ArchiveInteractionKind = Exclude<InteractionKind, 'like'>;

interface InteractionPair {
  kind: ArchiveInteractionKind;
  target: string;
  count: number;
  lastAt: string | null;
}

/** The old retweet form: the text starts with "RT @handle:". */
const RETWEET = /^RT @([A-Za-z0-9_]{1,15}):/;

/** The staging tables: each keyed by what deduplicates it (docs/FORMATS.md, "Quirks"). */
const STAGE_TABLES = {
  stage_tweets: {
    key: 'tweet_id',
    columns:
      'tweet_id TEXT, full_text TEXT, created_at TEXT, favorite_count INTEGER, retweet_count INTEGER, lang TEXT, ' +
      'reply_to_tweet_id TEXT, reply_to_user_id TEXT, reply_to_username TEXT',
  },
  stage_likes: { key: 'tweet_id', columns: 'tweet_id TEXT, full_text TEXT, expanded_url TEXT' },
  stage_followers: { key: 'account_id', columns: 'account_id TEXT' },
  stage_following: { key: 'account_id', columns: 'account_id TEXT' },
  stage_notes: { key: 'note_id', columns: 'note_id TEXT, created_at TEXT, text TEXT NOT NULL' },
} as const;
type StageTable = keyof typeof STAGE_TABLES;

/**
 * Each staging table comes twice: `incoming_<t>`, where rows are appended as they are read, and
 * `<t>`, keyed, filled from `incoming_<t>` in key order once the archive is read. Follower and like
 * lists arrive in no particular key order, and inserting them straight into a keyed B-tree cost
 * 3.9 s for 450,000 likes against 1.4 s for append-then-sorted-copy (docs/BENCHMARKS.md).
 */
const STAGE_SCHEMA =
  Object.entries(STAGE_TABLES)
    .map(
      ([table, { key, columns }]) =>
        `CREATE TABLE incoming_${table} (${columns});
         CREATE TABLE ${table} (${columns}, PRIMARY KEY (${key})) WITHOUT ROWID;`,
    )
    .join('\n') +
  '\nCREATE INDEX stage_tweets_created ON stage_tweets(created_at);' +
  // Interactions, counted per pair while reading (ArchiveStage.interactions). target is the other account's id,
  // or "@handle" for a quoted author only the commit can resolve.
  '\nCREATE TABLE stage_interactions (kind TEXT, target TEXT, count INTEGER, last_at TEXT, ' +
  'PRIMARY KEY (kind, target)) WITHOUT ROWID;' +
  // The name of each mentioned id in its newest mention (ArchiveStage.names).
  '\nCREATE TABLE stage_names (account_id TEXT PRIMARY KEY, username TEXT, display_name TEXT, seen_at TEXT);';

/**
 * Buffers rows for one staging table and appends them in multi-row INSERT statements; `finish`
 * deduplicates them into the keyed table (first occurrence wins) and counts the duplicates.
 */
class StageBatch {
  private readonly values: unknown[] = [];
  private readonly insert: BulkInsert;
  private appended = 0;
  duplicates = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly table: StageTable,
    private readonly width: number,
  ) {
    this.insert = new BulkInsert(db, `INSERT INTO incoming_${table}`, width);
  }

  add(...row: unknown[]): void {
    for (const value of row) this.values.push(value);
    if (this.values.length === ROWS_PER_STATEMENT * this.width) this.flush();
  }

  private flush(): void {
    if (this.values.length === 0) return;
    this.appended += this.insert.run(this.values);
    this.values.length = 0;
  }

  finish(): void {
    this.flush();
    const { key } = STAGE_TABLES[this.table];
    const kept = this.db
      .prepare(`INSERT OR IGNORE INTO ${this.table} SELECT * FROM incoming_${this.table} ORDER BY ${key}, rowid`)
      .run().changes;
    this.db.exec(`DELETE FROM incoming_${this.table}`);
    this.duplicates += this.appended - kept;
    this.appended = 0;
  }
}

/** Orders tweets like `ORDER BY <value> DESC NULLS LAST, tweet id DESC` (ids compared as numbers). */
function ranksAbove<T extends string | number>(a: T | null, aId: string, b: T | null, bId: string): boolean {
  if (a !== b) {
    if (a === null) return false;
    if (b === null) return true;
    return a > b;
  }
  return aId.length !== bId.length ? aId.length > bId.length : aId > bId;
}

/** The best `size` tweets by one key, kept sorted; O(size) per offer, with size 20 or 10. */
class TopTweets {
  readonly kept: TweetRecord[] = [];

  constructor(
    private readonly size: number,
    private readonly key: (tweet: TweetRecord) => string | number | null,
  ) {}

  offer(tweet: TweetRecord): void {
    const value = this.key(tweet);
    const last = this.kept[this.kept.length - 1];
    if (this.kept.length === this.size && last && !ranksAbove(value, tweet.tweetId, this.key(last), last.tweetId))
      return;
    let at = this.kept.length;
    while (at > 0 && ranksAbove(value, tweet.tweetId, this.key(this.kept[at - 1]!), this.kept[at - 1]!.tweetId)) at--;
    this.kept.splice(at, 0, tweet);
    if (this.kept.length > this.size) this.kept.pop();
  }
}

/**
 * The staged rows of one archive, in a scratch file. Tweets are selected while reading (the 20
 * most liked and the 10 most recent, first occurrence wins) unless every tweet is kept, so the
 * bulk of an archive's bytes — tweet texts — never has to be written twice.
 */
export class ArchiveStage {
  private readonly db: Database.Database;
  private readonly likes: StageBatch;
  private readonly followers: StageBatch;
  private readonly followings: StageBatch;
  private readonly notes: StageBatch;
  private readonly allTweets: StageBatch | null;
  private readonly tweetIds = new Set<string>();
  private readonly mostLiked = new TopTweets(TOP_LIKED_TWEETS, (t) => t.favoriteCount);
  private readonly mostRecent = new TopTweets(RECENT_TWEETS, (t) => t.createdAt);
  private tweetDuplicates = 0;
  /**
   * Interactions counted per (kind, target) while reading: a few hundred pairs for thousands of tweets, so
   * nothing per tweet is written (staging a row per tweet slowed the corpus import by a quarter).
   */
  private readonly interactions = new Map<string, InteractionPair>();
  /** Handles to ids from this archive's mentions, to find quoted authors. */
  private readonly mentionedIds = new Map<string, string>();
  private readonly quotes: { username: string; createdAt: string | null }[] = [];
  /** Each mentioned id's name in its newest mention. */
  private readonly names = new Map<string, { username: string; displayName: string | null; seenAt: string | null }>();
  private interactionsSkipped = 0;
  private readonly countsInteractions: boolean;

  constructor(
    readonly file: string,
    options: { allTweets: boolean; interactions: boolean },
  ) {
    this.countsInteractions = options.interactions;
    rmSync(file, { force: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(STAGE_SCHEMA);
    this.likes = new StageBatch(this.db, 'stage_likes', 3);
    this.followers = new StageBatch(this.db, 'stage_followers', 1);
    this.followings = new StageBatch(this.db, 'stage_following', 1);
    this.notes = new StageBatch(this.db, 'stage_notes', 3);
    this.allTweets = options.allTweets ? new StageBatch(this.db, 'stage_tweets', 9) : null;
    this.db.exec('BEGIN');
  }

  tweet(r: TweetRecord): void {
    if (this.tweetIds.has(r.tweetId)) {
      this.tweetDuplicates++;
      return;
    }
    this.tweetIds.add(r.tweetId);
    if (this.countsInteractions) this.stageInteractions(r);
    if (this.allTweets) {
      this.insertTweet(this.allTweets, r);
    } else {
      this.mostLiked.offer(r);
      this.mostRecent.offer(r);
    }
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

  /**
   * Every tweet's interactions, kept or not (docs/DATA-MODEL.md, "Interactions"): a mention per mentioned
   * account; a reply to the replied-to account; a retweet ("RT @handle:") of the mention that names that handle,
   * which is then not also a mention; a quote per quoted tweet. Quotes wait for `complete`, when every mention
   * of the archive is known to name their authors.
   */
  private stageInteractions(r: TweetRecord): void {
    this.interactionsSkipped += r.unreadableEntities;
    for (const mention of r.mentions) {
      this.mentionedIds.set(mention.username.toLowerCase(), mention.accountId);
      const known = this.names.get(mention.accountId);
      if (!known || (r.createdAt !== null && (known.seenAt === null || r.createdAt > known.seenAt)))
        this.names.set(mention.accountId, {
          username: mention.username,
          displayName: mention.displayName,
          seenAt: r.createdAt,
        });
    }
    const retweeted = RETWEET.exec(r.fullText ?? '')?.[1]?.toLowerCase();
    const retweetOf = retweeted ? r.mentions.find((m) => m.username.toLowerCase() === retweeted) : undefined;
    if (retweeted && !retweetOf) this.interactionsSkipped++;
    const add = (kind: ArchiveInteractionKind, target: string) => this.countInteraction(kind, target, r.createdAt);
    if (retweetOf) add('retweet', retweetOf.accountId);
    // An account mentioned twice in a tweet is one mention of it (most tweets mention one account or none).
    const mentioned =
      r.mentions.length > 1 ? new Set(r.mentions.map((m) => m.accountId)) : r.mentions.map((m) => m.accountId);
    for (const accountId of mentioned) if (accountId !== retweetOf?.accountId) add('mention', accountId);
    if (r.replyToUserId) add('reply', r.replyToUserId);
    // Two links to one quoted account in a tweet are one quote of it.
    if (r.quotes.length > 0)
      for (const username of new Set(r.quotes.map((q) => q.username.toLowerCase())))
        this.quotes.push({ username, createdAt: r.createdAt });
  }

  private countInteraction(kind: ArchiveInteractionKind, target: string, at: string | null): void {
    const key = `${kind} ${target}`;
    const pair = this.interactions.get(key);
    if (!pair) this.interactions.set(key, { kind, target, count: 1, lastAt: at });
    else {
      pair.count++;
      if (at !== null && (pair.lastAt === null || at > pair.lastAt)) pair.lastAt = at;
    }
  }

  private insertTweet(batch: StageBatch, r: TweetRecord): void {
    batch.add(
      r.tweetId,
      r.fullText,
      r.createdAt,
      r.favoriteCount,
      r.retweetCount,
      r.lang,
      r.replyToTweetId,
      r.replyToUserId,
      r.replyToUsername,
    );
  }

  private batches(): StageBatch[] {
    return [this.likes, this.followers, this.followings, this.notes, ...(this.allTweets ? [this.allTweets] : [])];
  }

  /**
   * Call once the whole archive has been read: writes what is still buffered and the selected
   * tweets, joins note tweets, and closes the scratch file, ready to be attached for commit.
   */
  complete(): StageCounts {
    if (!this.allTweets) {
      const selected = new StageBatch(this.db, 'stage_tweets', 9);
      for (const tweet of [...this.mostLiked.kept, ...this.mostRecent.kept]) this.insertTweet(selected, tweet);
      selected.finish();
    }
    for (const { username, createdAt } of this.quotes)
      this.countInteraction('quote', this.mentionedIds.get(username) ?? `@${username}`, createdAt);
    // A few hundred rows each: multi-row statements, as for the other tables.
    const names: unknown[] = [];
    for (const [accountId, { username, displayName, seenAt }] of this.names)
      names.push(accountId, username, displayName, seenAt);
    new BulkInsert(this.db, 'INSERT INTO stage_names (account_id, username, display_name, seen_at)', 4).run(names);
    const pairs: unknown[] = [];
    for (const { kind, target, count, lastAt } of this.interactions.values()) pairs.push(kind, target, count, lastAt);
    new BulkInsert(this.db, 'INSERT INTO stage_interactions (kind, target, count, last_at)', 4).run(pairs);
    for (const batch of this.batches()) batch.finish();
    const noteTweetsJoined = this.joinNoteTweets();
    const count = (table: string) => this.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    const counts: StageCounts = {
      tweets: this.tweetIds.size,
      likes: count('stage_likes'),
      followers: count('stage_followers'),
      following: count('stage_following'),
      duplicates: this.tweetDuplicates + this.batches().reduce((sum, batch) => sum + batch.duplicates, 0),
      noteTweetsJoined,
      interactions: [...this.interactions.values()].reduce((sum, pair) => sum + pair.count, 0),
      interactionsSkipped: this.interactionsSkipped,
    };
    this.db.exec('COMMIT');
    this.db.close();
    return counts;
  }

  /** Closes and deletes the scratch file (after a failure, or after commit). */
  discard(): void {
    if (this.db.open) this.db.close();
    removeStageFile(this.file);
  }

  /**
   * Long posts: the tweet holds a truncated copy ending in '…'; the note holds the whole text but
   * no tweet id. Matched as the Community Archive does (created within a second, the tweet's text
   * is the start of the note) but on HTML-unescaped text, which also catches the notes CA misses
   * (docs/FORMATS.md, "Archives").
   */
  private joinNoteTweets(): number {
    const notes = this.db
      .prepare('SELECT created_at AS createdAt, text FROM stage_notes WHERE created_at IS NOT NULL')
      .all() as {
      createdAt: string;
      text: string;
    }[];
    if (notes.length === 0) return 0;
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
}

export function removeStageFile(file: string): void {
  rmSync(file, { force: true });
}
