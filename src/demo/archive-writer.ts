/**
 * Writes one archive.json, streamed in ~1 MB chunks so that neither a 250 MB archive nor a large
 * community is ever held in memory. Sections come in the key order of
 * docs/FORMATS.md, "Archives"; the planned quirks are applied and
 * the ones the written file really shows are reported.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRng, mix32, type Rng } from '../rng.js';
import {
  COMMUNITIES_LAUNCH_MS,
  DAY_MS,
  FIRST_TWEET_MS,
  LOW_MASK,
  TWEET_WRAPPER_CHANGE_MS,
  formatAltDate,
  formatTwitterDate,
  iso,
  snowflakeId,
} from './ids.js';
import { Circle } from './circle.js';
import { ENTITY_SNIPPETS, fill } from './names.js';
import { makeAccount, makeProfile } from './profile.js';
import { QUIRK_ORDER, type Quirk } from './quirks.js';
import type { Identity } from './text.js';
import { NoteSink, TweetFactory, TweetSeries, makeLike, type ContentStyle } from './tweets.js';

// ---------------------------------------------------------------------------------------------
// Streaming writer
// ---------------------------------------------------------------------------------------------

const CHUNK_CHARS = 1 << 20;

/** Accumulates small strings and writes them in ~1 MB chunks, awaiting each write. */
class ChunkedWriter {
  private parts: string[] = [];
  private chars = 0;
  bytes = 0;

  private constructor(private readonly file: FileHandle) {}

  static async open(path: string): Promise<ChunkedWriter> {
    await mkdir(dirname(path), { recursive: true });
    return new ChunkedWriter(await open(path, 'w'));
  }

  push(s: string): void {
    this.parts.push(s);
    this.chars += s.length;
  }

  get full(): boolean {
    return this.chars >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.chars = 0;
    for (let off = 0; off < buf.length;) off += (await this.file.write(buf, off)).bytesWritten;
    this.bytes += buf.length;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
  }
}

/** Writes `"key":[item,item,…]`, flushing whenever a chunk is full. */
async function writeSection(w: ChunkedWriter, key: string, items: Iterable<string>): Promise<void> {
  w.push(`,"${key}":[`);
  let first = true;
  for (const item of items) {
    if (!first) w.push(',');
    w.push(item);
    first = false;
    if (w.full) await w.flush();
  }
  w.push(']');
}

/** The macOS double-part bug repeats the whole list (docs/FORMATS.md, "Quirks"). */
function* repeated<T>(times: number, make: () => Iterable<T>): Generator<T> {
  for (let k = 0; k < times; k++) yield* make();
}

function* edgeItems(key: 'follower' | 'following', self: readonly string[], ids: Iterable<string>): Generator<string> {
  for (const id of self) yield edge(key, id);
  for (const id of ids) yield edge(key, id);
}

function edge(key: 'follower' | 'following', id: string): string {
  return `{"${key}":{"accountId":"${id}","userLink":"https://twitter.com/intent/user?user_id=${id}"}}`;
}

// ---------------------------------------------------------------------------------------------
// One archive
// ---------------------------------------------------------------------------------------------

export interface ArchiveSpec {
  owner: Identity;
  createdMs: number;
  /** Seed of this archive's content streams. */
  seed: number;
  exportMs: number;
  tweets: number;
  likes: number;
  followerIds: () => Iterable<string>;
  followingIds: () => Iterable<string>;
  mention: (rng: Rng) => Identity;
  /** The accounts the owner's tweets name in turn (circle.ts); empty for none. */
  circle: readonly Identity[];
  quirks: ReadonlySet<Quirk>;
}

export interface ArchiveResult {
  bytes: number;
  tweets: number;
  communityTweets: number;
  likes: number;
  /** Planned quirks that the written file really shows. */
  quirks: Quirk[];
}

/** Streams one archive.json; the file is closed even when writing fails. */
export async function writeArchive(path: string, spec: ArchiveSpec): Promise<ArchiveResult> {
  const w = await ChunkedWriter.open(path);
  let content: Omit<ArchiveResult, 'bytes'>;
  try {
    content = await writeArchiveContent(w, spec);
  } finally {
    await w.close();
  }
  return { ...content, bytes: w.bytes };
}

/** Quirks that hold by construction, whatever the sizes. */
const ALWAYS_APPLIED: ReadonlySet<Quirk> = new Set<Quirk>([
  'no-upload-options',
  'duplicate-parts',
  'email-present',
  'no-like-section',
  'self-follow',
  'community-tweet',
  'no-header-media',
  'empty-profile-strings',
  'no-created-via',
]);
/** Quirks visible as soon as the archive has one tweet. */
const TWEET_QUIRKS: ReadonlySet<Quirk> = new Set<Quirk>(['numeric-counts', 'unwrapped-tweets', 'alt-date-format']);

/** Key order: upload-options, profile, account, tweets, follower, following, note-tweet, like, community-tweet. */
async function writeArchiveContent(w: ChunkedWriter, spec: ArchiveSpec): Promise<Omit<ArchiveResult, 'bytes'>> {
  const q = spec.quirks;
  const rng = createRng(mix32(spec.seed, 0x50));
  const unwrapped = q.has('unwrapped-tweets');
  const startMs = Math.max(FIRST_TWEET_MS, spec.createdMs + DAY_MS);
  const endMs = unwrapped ? Math.min(spec.exportMs, TWEET_WRAPPER_CHANGE_MS) : spec.exportMs;
  const series = new TweetSeries(spec.tweets, mix32(spec.seed, 0x51), Math.min(startMs, endMs - 365 * DAY_MS), endMs);
  const style: ContentStyle = {
    owner: spec.owner,
    mention: spec.mention,
    entities: q.has('html-entities'),
    numericCounts: q.has('numeric-counts'),
    wrapped: !unwrapped,
    editInfo: !unwrapped,
  };
  const times = q.has('duplicate-parts') ? 2 : 1;
  const seen = { entity: false };

  w.push('{');
  if (!q.has('no-upload-options')) {
    const range =
      spec.tweets > 0
        ? { startDate: iso(series.timeAt(spec.tweets - 1)), endDate: iso(series.timeAt(0)) }
        : { startDate: iso(spec.createdMs), endDate: iso(spec.exportMs) };
    w.push(`"upload-options":${JSON.stringify({ keepPrivate: false, uploadLikes: true, ...range })},`);
  }
  w.push(`"profile":[${JSON.stringify(makeProfile(rng, spec.owner, q))}]`);
  w.push(`,"account":[${JSON.stringify(makeAccount(spec.owner, spec.createdMs, q))}]`);
  // Every pass replays the same seeded stream with a fresh sink; the first pass's notes are written.
  const sinks: NoteSink[] = [];
  const tweetPass = (): Iterable<string> => {
    const sink = q.has('note-tweet') ? new NoteSink() : null;
    if (sink) sinks.push(sink);
    return tweetItems(spec, style, series, sink, seen);
  };
  await writeSection(w, 'tweets', repeated(times, tweetPass));
  const self = q.has('self-follow') ? [spec.owner.id] : [];
  await writeSection(
    w,
    'follower',
    repeated(times, () => edgeItems('follower', self, spec.followerIds())),
  );
  await writeSection(
    w,
    'following',
    repeated(times, () => edgeItems('following', self, spec.followingIds())),
  );
  const notes = sinks[0]?.notes ?? [];
  if (notes.length > 0)
    await writeSection(
      w,
      'note-tweet',
      notes.map((n) => JSON.stringify(n)),
    );
  const likes = q.has('no-like-section') ? 0 : spec.likes;
  if (!q.has('no-like-section')) {
    const likeSeries = new TweetSeries(
      likes,
      mix32(spec.seed, 0x52),
      series.timeAt(Math.max(0, spec.tweets - 1)),
      spec.exportMs,
    );
    await writeSection(
      w,
      'like',
      repeated(times, () => likeItems(spec, style, likeSeries, seen)),
    );
  }
  const communityTweets = q.has('community-tweet') ? createRng(mix32(spec.seed, 0x53)).int(1, 5) : 0;
  if (communityTweets > 0)
    await writeSection(w, 'community-tweet', communityItems(spec, style, communityTweets, endMs));
  w.push('}');

  const shown = (x: Quirk): boolean =>
    ALWAYS_APPLIED.has(x) ||
    (TWEET_QUIRKS.has(x) && spec.tweets > 0) ||
    (x === 'note-tweet' && notes.length > 0) ||
    (x === 'html-entities' && seen.entity);
  return { tweets: spec.tweets, communityTweets, likes, quirks: QUIRK_ORDER.filter((x) => q.has(x) && shown(x)) };
}

function* tweetItems(
  spec: ArchiveSpec,
  style: ContentStyle,
  series: TweetSeries,
  notes: NoteSink | null,
  seen: { entity: boolean },
): Generator<string> {
  const rng = createRng(mix32(spec.seed, 0x54));
  const factory = new TweetFactory(style, series, new Circle(spec.circle, mix32(spec.seed, 0x59)));
  const altDateIndex = spec.quirks.has('alt-date-format') ? Math.floor(series.count / 2) : -1;
  let entityShown = false;
  for (let i = 0; i < series.count; i++) {
    const d = factory.draft(rng, i, notes);
    // An 'html-entities' archive shows one for sure: the first plain-layout tweet gets one if none came by chance.
    if (style.entities && !entityShown && !d.tb.hasEntity && !d.retweet && d.displayEnd === undefined) {
      d.tb.add(' ').entitySnippet(fill(rng.pick(ENTITY_SNIPPETS), rng));
    }
    entityShown ||= d.tb.hasEntity;
    const tweet = factory.build(rng, d, i === altDateIndex ? formatAltDate(d.ms) : formatTwitterDate(d.ms));
    yield JSON.stringify(style.wrapped ? { tweet } : tweet);
  }
  if (entityShown) seen.entity = true;
}

function* likeItems(
  spec: ArchiveSpec,
  style: ContentStyle,
  series: TweetSeries,
  flags: { entity: boolean },
): Generator<string> {
  const rng = createRng(mix32(spec.seed, 0x55));
  const salt = mix32(spec.seed, 0x56);
  for (let i = 0; i < series.count; i++) {
    const { item, entity } = makeLike(rng, i, series, salt, style);
    if (entity) flags.entity = true;
    yield item;
  }
}

/** Community tweets: tweet objects plus community_id and scopes. */
function* communityItems(spec: ArchiveSpec, style: ContentStyle, count: number, endMs: number): Generator<string> {
  const rng = createRng(mix32(spec.seed, 0x57));
  const communityId = snowflakeId(COMMUNITIES_LAUNCH_MS + rng.int(0, 400) * DAY_MS, rng.int(0, LOW_MASK));
  const series = new TweetSeries(
    count,
    mix32(spec.seed, 0x58),
    Math.max(COMMUNITIES_LAUNCH_MS, endMs - 365 * DAY_MS),
    endMs,
  );
  const factory = new TweetFactory(style, series, new Circle(spec.circle, mix32(spec.seed, 0x5a)));
  for (let i = 0; i < count; i++) {
    const d = factory.draft(rng, i, null);
    d.extra = { community_id: communityId, community_id_str: communityId, scopes: { followers: false } };
    yield JSON.stringify({ tweet: factory.build(rng, d, formatTwitterDate(d.ms)) });
  }
}
