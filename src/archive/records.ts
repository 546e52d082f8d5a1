/**
 * From raw archive items to typed records (docs/FORMATS.md, "Archives"; "Quirks").
 *
 * Pure functions. They tolerate what real archives contain — counts as strings, numbers or null,
 * missing optional keys, pre-2020 tweets without the `tweet` wrapper, HTML entities — and reject
 * what would corrupt the data: an item that is not an object, an id that is not a string of digits.
 * Ids stay strings end to end; `parseItem` quotes integer literals too long for a JS number before
 * `JSON.parse` sees them, so an id written as a bare number still survives byte for byte.
 */
import { parseArchiveDate } from '../time.js';
import { USERNAME_PATTERN } from '../usernames.js';
import { ArchiveFormatError } from './json-sections.js';
import { errorMessage } from '../errors.js';

export interface UploadOptions {
  keepPrivate: boolean;
  uploadLikes: boolean;
  /** End of the user's date range: the best guess of the upload date when there is no Last-Modified. */
  endDate: string | null;
}

export interface AccountRecord {
  accountId: string;
  username: string | null;
  displayName: string | null;
  createdAt: string | null;
  createdVia: string | null;
}

export interface ProfileRecord {
  bio: string | null;
  website: string | null;
  location: string | null;
  avatarMediaUrl: string | null;
  headerMediaUrl: string | null;
}

export interface TweetRecord {
  tweetId: string;
  fullText: string | null;
  createdAt: string | null;
  favoriteCount: number | null;
  retweetCount: number | null;
  lang: string | null;
  replyToTweetId: string | null;
  replyToUserId: string | null;
  replyToUsername: string | null;
  /** The accounts it mentions (`entities.user_mentions`), as the archive names them. */
  mentions: readonly MentionRecord[];
  /** The tweets it quotes: status links in `entities.urls`, by the quoted account's handle. */
  quotes: readonly QuoteRecord[];
  /** Mention and status-link entities that could not be read (a malformed id or handle): skipped, counted. */
  unreadableEntities: number;
}

export interface MentionRecord {
  accountId: string;
  username: string;
  displayName: string | null;
}

export interface QuoteRecord {
  username: string;
  tweetId: string;
}

export interface LikeRecord {
  tweetId: string;
  fullText: string | null;
  expandedUrl: string | null;
}

export interface NoteTweetRecord {
  noteTweetId: string;
  createdAt: string | null;
  text: string;
}

/** The section names of archive.json, with the aliases third-party tools write (docs/FORMATS.md, "Archives"). */
const SECTION_NAMES: Record<string, ArchiveSection> = {
  'upload-options': 'upload-options',
  profile: 'profile',
  account: 'account',
  tweets: 'tweets',
  tweet: 'tweets',
  follower: 'follower',
  following: 'following',
  like: 'like',
  likes: 'like',
  'note-tweet': 'note-tweet',
  note_tweets: 'note-tweet',
  'community-tweet': 'community-tweet',
  community_tweets: 'community-tweet',
};

export type ArchiveSection =
  | 'upload-options'
  | 'profile'
  | 'account'
  | 'tweets'
  | 'follower'
  | 'following'
  | 'like'
  | 'note-tweet'
  | 'community-tweet';

/** The canonical name of a section, or null for sections this tool does not read. */
export function canonicalSection(name: string): ArchiveSection | null {
  return SECTION_NAMES[name] ?? null;
}

const DIGITS = /^\d{1,25}$/;
// A JSON string, or an integer literal of 16+ digits outside any string (it would lose precision).
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(-?\d{16,})(?![\d.eE])/g;

/**
 * `JSON.parse` for one item, keeping long integer literals as strings. The scanner tells whether
 * the item has such a literal outside a string (`mayHaveLongIntegers`); real archives write ids as
 * strings, so the rewriting pass almost never runs. Falls back once, like the Community Archive
 * uploader, to stripping raw control characters that make the text invalid JSON.
 */
export function parseItem(text: string, where: string, mayHaveLongIntegers = true): unknown {
  const safe = mayHaveLongIntegers
    ? text.replace(STRING_OR_LONG_INTEGER, (match, long: string | undefined) => (long ? `"${long}"` : match))
    : text;
  try {
    return JSON.parse(safe);
  } catch (error) {
    const cleaned = safe.replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\r' || c === '\t' ? ' ' : ''));
    if (cleaned !== safe) {
      try {
        return JSON.parse(cleaned);
      } catch {
        // fall through to the original error
      }
    }
    throw new ArchiveFormatError(`${where} is not valid JSON (${errorMessage(error)})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The item's payload: `{ "<wrapper>": {...} }`, or the bare object for old unwrapped items. */
function unwrap(item: unknown, wrapper: string, where: string): Record<string, unknown> {
  if (!isObject(item)) throw new ArchiveFormatError(`${where} must be an object, found ${typeName(item)}`);
  const inner = item[wrapper];
  if (inner === undefined) return item;
  if (!isObject(inner)) throw new ArchiveFormatError(`${where}.${wrapper} must be an object, found ${typeName(inner)}`);
  return inner;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** An id: a string of digits (a bare integer is accepted; parseItem kept long ones as strings). */
export function toId(value: unknown, where: string): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof text !== 'string' || !DIGITS.test(text)) {
    const shown = typeof value === 'string' ? ` ${JSON.stringify(value.slice(0, 30))}` : '';
    throw new ArchiveFormatError(`${where} must be an id made of digits, found ${typeName(value)}${shown}`);
  }
  return text;
}

function optionalId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return typeof value === 'string' && DIGITS.test(value) ? value : null;
}

/** Counts arrive as "12", 12, null or "" (docs/FORMATS.md, "Quirks"); anything else non-numeric becomes null. */
export function toCount(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(number) ? Math.trunc(number) : null;
}

/** Text fields: strings kept as they are, empty strings and other types become null. */
function toText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Tweet texts are HTML-escaped in archives (docs/FORMATS.md, "Quirks"); stored text is what the author wrote. */
export function unescapeHtml(text: string): string {
  return text.includes('&') ? text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!) : text;
}

export function toUploadOptions(value: unknown): UploadOptions {
  if (!isObject(value)) throw new ArchiveFormatError(`upload-options must be an object, found ${typeName(value)}`);
  return {
    keepPrivate: value.keepPrivate === true,
    uploadLikes: value.uploadLikes !== false,
    endDate: parseArchiveDate(value.endDate),
  };
}

export function toAccount(item: unknown, where: string): AccountRecord {
  const account = unwrap(item, 'account', where);
  // `email` may be present in admin uploads: it is deliberately never read.
  return {
    accountId: toId(account.accountId, `${where}.accountId`),
    username: toText(account.username),
    displayName: toText(account.accountDisplayName),
    createdAt: parseArchiveDate(account.createdAt),
    createdVia: toText(account.createdVia),
  };
}

export function toProfile(item: unknown, where: string): ProfileRecord {
  const profile = unwrap(item, 'profile', where);
  const description = isObject(profile.description) ? profile.description : {};
  return {
    bio: toText(description.bio),
    website: toText(description.website),
    location: toText(description.location),
    avatarMediaUrl: toText(profile.avatarMediaUrl),
    headerMediaUrl: toText(profile.headerMediaUrl),
  };
}

export function toTweet(item: unknown, where: string): TweetRecord {
  const tweet = unwrap(item, 'tweet', where);
  const text = toText(tweet.full_text) ?? toText(tweet.text);
  return {
    tweetId: toId(tweet.id_str ?? tweet.id, `${where}.id_str`),
    fullText: text === null ? null : unescapeHtml(text),
    createdAt: parseArchiveDate(tweet.created_at),
    favoriteCount: toCount(tweet.favorite_count),
    retweetCount: toCount(tweet.retweet_count),
    lang: toText(tweet.lang),
    replyToTweetId: optionalId(tweet.in_reply_to_status_id_str ?? tweet.in_reply_to_status_id),
    replyToUserId: optionalId(tweet.in_reply_to_user_id_str ?? tweet.in_reply_to_user_id),
    replyToUsername: toText(tweet.in_reply_to_screen_name),
    ...toEntities(tweet.entities),
  };
}

/** A link to a tweet: twitter.com/<handle>/status/<id> (or x.com, mobile., /statuses/, and /i/web/ with no handle). */
const STATUS_LINK = /^https?:\/\/(?:www\.|mobile\.)?(?:twitter|x)\.com\/(i\/web|[^/?#]+)\/status(?:es)?\/([^/?#]*)/i;

/**
 * Mentions and quoted tweets (docs/FORMATS.md, "Interactions"). Archives omit entity arrays at times, so each is
 * optional; an entry that is there but unreadable is counted, never fatal. A link that is not to a tweet is an
 * ordinary link, not an unreadable quote; a link to /i/web/status/ names no account and cannot be used.
 */
function toEntities(value: unknown): Pick<TweetRecord, 'mentions' | 'quotes' | 'unreadableEntities'> {
  const entities = isObject(value) ? value : {};
  const mentions: MentionRecord[] = [];
  const quotes: QuoteRecord[] = [];
  let unreadableEntities = 0;
  for (const mention of Array.isArray(entities.user_mentions) ? (entities.user_mentions as unknown[]) : []) {
    const accountId = isObject(mention) ? optionalId(mention.id_str ?? mention.id) : null;
    const username = isObject(mention) ? toText(mention.screen_name) : null;
    if (accountId === null || username === null || !USERNAME_PATTERN.test(username)) {
      unreadableEntities++;
      continue;
    }
    mentions.push({ accountId, username, displayName: isObject(mention) ? toText(mention.name) : null });
  }
  for (const url of Array.isArray(entities.urls) ? (entities.urls as unknown[]) : []) {
    const link = isObject(url) ? toText(url.expanded_url) : null;
    const match = link === null ? null : STATUS_LINK.exec(link);
    if (!match) continue;
    const [, username = '', tweetId = ''] = match;
    if (USERNAME_PATTERN.test(username) && username.toLowerCase() !== 'i' && DIGITS.test(tweetId))
      quotes.push({ username, tweetId });
    else unreadableEntities++;
  }
  return { mentions, quotes, unreadableEntities };
}

export function toLike(item: unknown, where: string): LikeRecord {
  const like = unwrap(item, 'like', where);
  const text = toText(like.fullText);
  return {
    tweetId: toId(like.tweetId, `${where}.tweetId`),
    fullText: text === null ? null : unescapeHtml(text),
    expandedUrl: toText(like.expandedUrl),
  };
}

/** `follower[i].follower.accountId` / `following[i].following.accountId` (docs/FORMATS.md, "Archives"). */
export function toEdgeAccountId(item: unknown, wrapper: 'follower' | 'following', where: string): string {
  return toId(unwrap(item, wrapper, where).accountId, `${where}.accountId`);
}

export function toNoteTweet(item: unknown, where: string): NoteTweetRecord | null {
  const note = unwrap(item, 'noteTweet', where);
  const core = isObject(note.core) ? note.core : {};
  const text = toText(core.text);
  if (text === null) return null;
  return {
    noteTweetId: toId(note.noteTweetId, `${where}.noteTweetId`),
    createdAt: parseArchiveDate(note.createdAt),
    text,
  };
}
