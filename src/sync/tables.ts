/**
 * The Community Archive tables `tpot sync` mirrors (docs/FORMATS.md, "REST tables"):
 * for each, the unique key to page by, the explicit column list (never `select=*`, which drags in
 * `fts`), and how a REST row becomes a row of the cache table of the same name.
 */
import { parseArchiveDate } from '../time.js';
import { TpotError } from '../errors.js';

export type RestRow = Record<string, unknown>;

/** One key column, or a pair of them. */
export type SyncKey = readonly [string] | readonly [string, string];

export interface SyncTable {
  /** The REST table or view, and the cache table of the same name. */
  name: string;
  /** Other names accepted by --tables (the original's CLI names). */
  aliases: readonly string[];
  /**
   * What keyset paging orders and filters by: a unique, never-null column, or two never-null columns whose pair is
   * unique (quote_tweets' primary key; src/sync/postgrest-client.ts pages past a pair).
   */
  key: SyncKey;
  /** Whether the key's columns are numeric (compared as numbers by the server) or text. */
  keyType: 'number' | 'text';
  /** Columns requested from the REST API. */
  select: readonly string[];
  /** Columns of the cache table, in the order `row()` returns values. */
  columns: readonly string[];
  row(rest: RestRow): unknown[];
  /** Synced when --tables is not given. */
  byDefault: boolean;
}

export class RowShapeError extends TpotError {
  constructor(table: string, column: string, value: unknown) {
    super(
      'input',
      `REST table '${table}' sent ${column} = ${JSON.stringify(value)?.slice(0, 40)}, ` +
        'which is not what the Community Archive schema says; the table was not replaced.',
    );
  }
}

/** Text ids stay strings: PostgREST sends text columns as JSON strings (ids exceed 2^53). */
function id(table: string, column: string, value: unknown): string {
  if (typeof value === 'string' && /^\d{1,25}$/.test(value)) return value;
  throw new RowShapeError(table, column, value);
}

function optionalId(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

/** REST timestamps are ISO with an offset ("2023-03-02T08:05:09+00:00"); the cache stores UTC text. */
function time(value: unknown): string | null {
  return parseArchiveDate(value);
}

export const SYNC_TABLES: readonly SyncTable[] = [
  {
    name: 'account',
    aliases: ['accounts'],
    key: ['account_id'],
    keyType: 'text',
    select: [
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
    columns: [
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
    row: (r) => [
      id('account', 'account_id', r.account_id),
      text(r.username),
      text(r.account_display_name),
      time(r.created_at),
      text(r.created_via),
      count(r.num_followers),
      count(r.num_following),
      count(r.num_tweets),
      count(r.num_likes),
    ],
    byDefault: true,
  },
  {
    name: 'profile',
    aliases: ['profiles'],
    key: ['account_id'],
    keyType: 'text',
    select: ['account_id', 'bio', 'website', 'location', 'avatar_media_url', 'header_media_url', 'archive_upload_id'],
    columns: ['account_id', 'bio', 'website', 'location', 'avatar_media_url', 'header_media_url', 'archive_upload_id'],
    row: (r) => [
      id('profile', 'account_id', r.account_id),
      text(r.bio),
      text(r.website),
      text(r.location),
      text(r.avatar_media_url),
      text(r.header_media_url),
      optionalId(r.archive_upload_id),
    ],
    byDefault: true,
  },
  {
    name: 'followers',
    aliases: [],
    key: ['id'],
    keyType: 'number',
    select: ['id', 'account_id', 'follower_account_id'],
    columns: ['account_id', 'follower_account_id'],
    row: (r) => [
      id('followers', 'account_id', r.account_id),
      id('followers', 'follower_account_id', r.follower_account_id),
    ],
    byDefault: true,
  },
  {
    name: 'following',
    aliases: [],
    key: ['id'],
    keyType: 'number',
    select: ['id', 'account_id', 'following_account_id'],
    columns: ['account_id', 'following_account_id'],
    row: (r) => [
      id('following', 'account_id', r.account_id),
      id('following', 'following_account_id', r.following_account_id),
    ],
    byDefault: true,
  },
  {
    name: 'mentioned_users',
    aliases: ['mentions'],
    key: ['user_id'],
    keyType: 'text',
    select: ['user_id', 'name', 'screen_name', 'updated_at'],
    columns: ['user_id', 'name', 'screen_name', 'updated_at'],
    row: (r) => [id('mentioned_users', 'user_id', r.user_id), text(r.name), text(r.screen_name), time(r.updated_at)],
    byDefault: true,
  },
  {
    name: 'tweets',
    aliases: [],
    key: ['tweet_id'],
    keyType: 'text',
    select: [
      'tweet_id',
      'account_id',
      'created_at',
      'full_text',
      'retweet_count',
      'favorite_count',
      'reply_to_tweet_id',
      'reply_to_user_id',
      'reply_to_username',
      'archive_upload_id',
    ],
    columns: [
      'tweet_id',
      'account_id',
      'created_at',
      'full_text',
      'retweet_count',
      'favorite_count',
      'reply_to_tweet_id',
      'reply_to_user_id',
      'reply_to_username',
      'archive_upload_id',
    ],
    row: (r) => [
      id('tweets', 'tweet_id', r.tweet_id),
      optionalId(r.account_id),
      time(r.created_at),
      text(r.full_text),
      count(r.retweet_count),
      count(r.favorite_count),
      optionalId(r.reply_to_tweet_id),
      optionalId(r.reply_to_user_id),
      text(r.reply_to_username),
      optionalId(r.archive_upload_id),
    ],
    byDefault: false,
  },
  {
    name: 'likes',
    aliases: [],
    key: ['id'],
    keyType: 'number',
    select: ['id', 'account_id', 'liked_tweet_id'],
    columns: ['account_id', 'liked_tweet_id'],
    row: (r) => [id('likes', 'account_id', r.account_id), id('likes', 'liked_tweet_id', r.liked_tweet_id)],
    byDefault: false,
  },
  // The tables below feed rest_interactions only (docs/DATA-MODEL.md, "Interactions").
  {
    name: 'user_mentions',
    aliases: [],
    key: ['id'],
    keyType: 'number',
    select: ['id', 'tweet_id', 'mentioned_user_id'],
    columns: ['tweet_id', 'mentioned_user_id'],
    row: (r) => [
      id('user_mentions', 'tweet_id', r.tweet_id),
      id('user_mentions', 'mentioned_user_id', r.mentioned_user_id),
    ],
    byDefault: false,
  },
  {
    name: 'quote_tweets',
    aliases: ['quotes'],
    // No column of its own is unique: the key is the pair.
    key: ['tweet_id', 'quoted_tweet_id'],
    keyType: 'text',
    select: ['tweet_id', 'quoted_tweet_id'],
    columns: ['tweet_id', 'quoted_tweet_id'],
    row: (r) => [id('quote_tweets', 'tweet_id', r.tweet_id), id('quote_tweets', 'quoted_tweet_id', r.quoted_tweet_id)],
    byDefault: false,
  },
  {
    name: 'retweets',
    aliases: [],
    key: ['tweet_id'],
    keyType: 'text',
    select: ['tweet_id', 'retweeted_tweet_id'],
    columns: ['tweet_id', 'retweeted_tweet_id'],
    row: (r) => [id('retweets', 'tweet_id', r.tweet_id), optionalId(r.retweeted_tweet_id)],
    byDefault: false,
  },
  {
    // Never full_text (withheld upstream since 2026) nor fts: only who wrote the liked tweet.
    name: 'liked_tweets',
    aliases: [],
    key: ['tweet_id'],
    keyType: 'text',
    select: ['tweet_id', 'author_account_id'],
    columns: ['tweet_id', 'author_account_id'],
    row: (r) => [id('liked_tweets', 'tweet_id', r.tweet_id), optionalId(r.author_account_id)],
    byDefault: false,
  },
];

export const DEFAULT_SYNC_TABLES = SYNC_TABLES.filter((table) => table.byDefault).map((table) => table.name);

export class UnknownTableError extends TpotError {
  constructor(names: string[]) {
    super(
      'usage',
      `Unknown table${names.length > 1 ? 's' : ''} ${names.map((n) => `'${n}'`).join(', ')}: ` +
        `choose from ${SYNC_TABLES.map((t) => t.name).join(', ')}.`,
    );
  }
}

/** `--tables a,b,c` to table specs, in the order given; aliases accepted, duplicates dropped. */
export function selectTables(names: readonly string[] | undefined): SyncTable[] {
  if (!names || names.length === 0) return SYNC_TABLES.filter((table) => table.byDefault);
  const unknown: string[] = [];
  const chosen = new Set<SyncTable>();
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    const table = SYNC_TABLES.find((t) => t.name === name || t.aliases.includes(name));
    if (table) chosen.add(table);
    else unknown.push(raw);
  }
  if (unknown.length > 0) throw new UnknownTableError(unknown);
  return [...chosen];
}
