/**
 * Tweet, like and note-tweet items of an archive, with their media, as described in
 * docs/FORMATS.md, "Archives". Tweet times and ids are
 * pure functions of the tweet's index, so repeated passes over a series give identical items.
 */
import { hashUnit, type Rng } from '../rng.js';
import {
  DAY_MS,
  FIRST_TWEET_MS,
  LOW_MASK,
  MINUTE_MS,
  NOTE_TWEETS_LAUNCH_MS,
  iso,
  scramble22,
  snowflakeId,
} from './ids.js';
import {
  FOREIGN,
  LINK_DOMAINS,
  NOUNS,
  REPLY_TEMPLATES,
  SOURCES,
  SOURCE_WEIGHTS,
  TEMPLATES,
  UNICODE_SNIPPETS,
  fill,
} from './names.js';
import { CONVERSATION_WEIGHTS, TAG_WEIGHTS, type Circle } from './circle.js';
import { TextBuilder, escapeHtml, randomCode, tcoUrl, writeBody, type Identity, type Json } from './text.js';

// Content shape.
const NOTE_RATE = 0.04;
const FULL_TEXT_SHARE = 0.85;

/** Heavy-tailed engagement: most tweets get a few likes, a few get thousands. */
function engagement(rng: Rng): { favorites: number; retweets: number } {
  const favorites = Math.min(250_000, Math.floor(3 * (rng.pareto(1.16) - 1)));
  return { favorites, retweets: Math.floor(favorites * rng.next() * 0.25) };
}

export interface ContentStyle {
  owner: Identity;
  /** Someone this account would mention, reply to or retweet. */
  mention: (rng: Rng) => Identity;
  entities: boolean;
  numericCounts: boolean;
  wrapped: boolean;
  editInfo: boolean;
}

interface TweetDraft {
  tb: TextBuilder;
  ms: number;
  id: string;
  displayStart: number;
  displayEnd?: number;
  lang: string;
  reply?: { statusId: string; user: Identity };
  media?: Json[];
  /** Tweets with a link or media carry `possibly_sensitive`. */
  hasLink?: boolean;
  retweet?: boolean;
  /** Extra keys, e.g. community_id for community tweets. */
  extra?: Json;
}

/**
 * The tweets of one archive, newest first. Tweet i's time and id are pure functions of i, so a
 * self-reply can point at tweet i + 1 before it is written, and a second pass (duplicate-parts)
 * reproduces identical items.
 */
export class TweetSeries {
  private readonly step: number;

  constructor(
    readonly count: number,
    private readonly salt: number,
    private readonly startMs: number,
    private readonly endMs: number,
  ) {
    this.step = (endMs - startMs) / Math.max(1, count);
  }

  timeAt(i: number): number {
    return Math.floor(this.endMs - (i + 0.1 + 0.8 * hashUnit(this.salt, i)) * this.step);
  }

  idAt(i: number): string {
    return snowflakeId(this.timeAt(i), scramble22(i, this.salt));
  }
}

export class TweetFactory {
  constructor(
    private readonly style: ContentStyle,
    private readonly series: TweetSeries,
    /** This pass's circle: whom the tweets name in turn. */
    private readonly circle: Circle,
  ) {}

  /** Draft of tweet i: text, entities and reply fields, by kind. */
  draft(rng: Rng, i: number, note: NoteSink | null): TweetDraft {
    const ms = this.series.timeAt(i);
    const d: TweetDraft = { tb: new TextBuilder(), ms, id: this.series.idAt(i), displayStart: 0, lang: 'en' };
    const r = rng.next();
    if (note && note.wants(rng, ms)) this.noteTweet(rng, d, note);
    else if (r < 0.12) this.retweet(rng, d);
    else if (r < 0.42) this.reply(rng, d, i);
    else if (r < 0.5) this.quote(rng, d);
    else if (r < 0.56) this.link(rng, d);
    else if (r < 0.66) this.mediaTweet(rng, d);
    else this.plain(rng, d);
    return d;
  }

  private body(rng: Rng, tb: TextBuilder, templates?: readonly string[]): void {
    writeBody(
      rng,
      tb,
      {
        entities: this.style.entities,
        unicode: true,
        hashtags: true,
        mention: this.style.mention,
        tags: this.circle.next(TAG_WEIGHTS),
      },
      templates,
    );
  }

  private plain(rng: Rng, d: TweetDraft): void {
    if (rng.chance(0.05)) {
      const foreign = rng.pick(FOREIGN);
      d.tb.add(fill(foreign.text, rng));
      d.lang = foreign.lang;
    } else if (rng.chance(0.03)) {
      d.tb.add(`${rng.pick(UNICODE_SNIPPETS)} ${rng.pick(UNICODE_SNIPPETS)}`);
      d.lang = 'und';
    } else {
      this.body(rng, d.tb);
    }
  }

  /** A self-reply continues a thread (tweet i + 1 is older); otherwise it replies to someone. */
  private reply(rng: Rng, d: TweetDraft, i: number): void {
    if (i + 1 < this.series.count && rng.chance(0.3)) {
      d.reply = { statusId: this.series.idAt(i + 1), user: this.style.owner };
      this.body(rng, d.tb);
      return;
    }
    const user = this.style.mention(rng);
    d.tb.mention(user).add(' ');
    if (rng.chance(0.2)) d.tb.mention(this.style.mention(rng)).add(' ');
    // The others in the conversation: a reply names them all before its text.
    for (const who of this.circle.next(CONVERSATION_WEIGHTS)) if (!d.tb.names(who)) d.tb.mention(who).add(' ');
    d.displayStart = d.tb.pos; // reply prefixes are outside the displayed text
    d.reply = { statusId: snowflakeId(d.ms - rng.int(MINUTE_MS, 3 * DAY_MS), rng.int(0, LOW_MASK)), user };
    this.body(rng, d.tb, rng.chance(0.5) ? REPLY_TEMPLATES : TEMPLATES);
  }

  /** "RT @handle: …", cut at 140 characters with "…" like real exports. */
  private retweet(rng: Rng, d: TweetDraft): void {
    const tb = new TextBuilder();
    tb.add('RT ').mention(this.style.mention(rng)).add(': ');
    writeBody(rng, tb, { entities: false, unicode: true, hashtags: false });
    if (rng.chance(0.5)) tb.add(`. ${fill(rng.pick(TEMPLATES), rng)}`);
    const chars = Array.from(tb.toString());
    if (chars.length > 140) {
      const cut = new TextBuilder();
      cut.mentions.push(...tb.mentions);
      d.tb = cut.add(chars.slice(0, 139).join('')).add('…');
    } else d.tb = tb;
    d.retweet = true;
  }

  private quote(rng: Rng, d: TweetDraft): void {
    this.body(rng, d.tb);
    const author = this.style.mention(rng);
    const quoted = snowflakeId(d.ms - rng.int(MINUTE_MS, 30 * DAY_MS), rng.int(0, LOW_MASK));
    d.tb.add(' ').url(rng, `https://twitter.com/${author.username}/status/${quoted}`);
    d.hasLink = true;
  }

  private link(rng: Rng, d: TweetDraft): void {
    this.body(rng, d.tb);
    d.tb
      .add(' ')
      .url(rng, `https://${rng.pick(LINK_DOMAINS)}/${rng.pick(NOUNS)}-${rng.pick(NOUNS)}-${rng.int(1, 999)}`);
    d.hasLink = true;
  }

  /** Media tweets: the t.co link sits after the displayed text; entities.media holds only the first item. */
  private mediaTweet(rng: Rng, d: TweetDraft): void {
    const captioned = rng.chance(0.85);
    if (captioned) {
      this.body(rng, d.tb);
      d.displayEnd = d.tb.pos;
      d.tb.add(' ');
    } else {
      d.displayEnd = 0;
      d.lang = 'zxx';
    }
    const start = d.tb.pos;
    const url = tcoUrl(rng);
    d.tb.add(url);
    d.media = makeMedia(rng, this.style.owner, d, url, [start, d.tb.pos]);
    d.hasLink = true;
  }

  /** A long post: the tweet carries the first ~250 characters, the note-tweet the whole text. */
  private noteTweet(rng: Rng, d: TweetDraft, note: NoteSink): void {
    let text = fill(rng.pick(TEMPLATES), rng);
    while (text.length < 320) text += `. ${fill(rng.pick(TEMPLATES), rng)}`;
    // Some notes carry raw '&', which the tweet copy escapes: CA's prefix rule then misses.
    if (this.style.entities && rng.chance(0.3)) text = text.replace(' and ', ' & ');
    const prefix = text.slice(0, text.lastIndexOf(' ', 260));
    d.tb.add(escapeHtml(prefix)).add(' …');
    d.displayEnd = d.tb.pos;
    d.tb.add(' ').url(rng, `https://twitter.com/i/web/status/${d.id}`);
    if (prefix.includes('&')) d.tb.hasEntity = true;
    const noteMs = d.ms - rng.int(13, 41); // the note id is minted 13–41 ms before the tweet's
    note.add(makeNote(snowflakeId(noteMs, rng.int(0, LOW_MASK)), noteMs, text));
  }

  /** The tweet object with keys in the order of real exports; counts and indices as strings. */
  build(rng: Rng, d: TweetDraft, createdAt: string): Json {
    const n = (x: number): string | number => (this.style.numericCounts ? x : String(x));
    const pair = ([a, b]: [number, number]): Array<string | number> => [n(a), n(b)];
    const { favorites, retweets } = d.retweet ? { favorites: 0, retweets: 0 } : engagement(rng);
    const tweet: Json = {};
    if (this.style.editInfo) {
      tweet.edit_info = {
        initial: {
          editTweetIds: [d.id],
          editableUntil: iso(d.ms + 30 * MINUTE_MS),
          editsRemaining: '5',
          isEditEligible: false,
        },
      };
    }
    tweet.retweeted = false;
    tweet.source = SOURCES[rng.weighted(SOURCE_WEIGHTS)]!.html;
    const entities: Json = {
      hashtags: d.tb.hashtags.map((h) => ({ text: h.text, indices: pair(h.indices) })),
      symbols: [],
      user_mentions: d.tb.mentions.map((m) => ({
        name: m.who.name,
        screen_name: m.who.username,
        indices: pair(m.indices),
        id_str: m.who.id,
        id: m.who.id,
      })),
      urls: d.tb.urls.map((u) => ({ ...u, indices: pair(u.indices) })),
    };
    if (d.media) entities.media = [withoutVideoInfo(d.media[0]!, pair)];
    tweet.entities = entities;
    tweet.display_text_range = pair([d.displayStart, d.displayEnd ?? d.tb.pos]);
    tweet.favorite_count = n(favorites);
    if (d.reply) tweet.in_reply_to_status_id_str = d.reply.statusId;
    tweet.id_str = d.id;
    if (d.reply) tweet.in_reply_to_user_id = d.reply.user.id;
    tweet.truncated = false;
    // Fixtures sometimes carry a null retweet_count (docs/FORMATS.md, "Quirks").
    tweet.retweet_count = this.style.numericCounts && rng.chance(0.15) ? null : n(retweets);
    tweet.id = d.id;
    if (d.reply) tweet.in_reply_to_status_id = d.reply.statusId;
    if (d.hasLink) tweet.possibly_sensitive = false;
    Object.assign(tweet, d.extra);
    tweet.created_at = createdAt;
    tweet.favorited = false;
    tweet.full_text = d.tb.toString();
    tweet.lang = d.lang;
    if (d.reply) {
      tweet.in_reply_to_screen_name = d.reply.user.username;
      tweet.in_reply_to_user_id_str = d.reply.user.id;
    }
    if (d.media)
      tweet.extended_entities = { media: d.media.map((m) => ({ ...m, indices: pair(m.indices as [number, number]) })) };
    return tweet;
  }
}

function withoutVideoInfo(media: Json, pair: (x: [number, number]) => Array<string | number>): Json {
  const { video_info: _videoInfo, ...rest } = media;
  return { ...rest, indices: pair(media.indices as [number, number]) };
}

/** 1–4 photos, or one video / animated GIF; sizes as strings. */
function makeMedia(rng: Rng, owner: Identity, d: TweetDraft, url: string, indices: [number, number]): Json[] {
  const kind = rng.weighted([8, 1, 1]);
  const type = kind === 0 ? 'photo' : kind === 1 ? 'video' : 'animated_gif';
  const count = type === 'photo' ? rng.weighted([6, 2, 1, 1]) + 1 : 1;
  const tail = `pic.twitter.com/${randomCode(rng, 10)}`;
  const media: Json[] = [];
  for (let k = 0; k < count; k++) {
    const mediaId = snowflakeId(d.ms - rng.int(1000, 10 * MINUTE_MS), rng.int(0, LOW_MASK));
    const code = randomCode(rng, 15);
    const path =
      type === 'photo'
        ? `media/${code}.jpg`
        : type === 'video'
          ? `ext_tw_video_thumb/${mediaId}/pu/img/${code}.jpg`
          : `tweet_video_thumb/${code}.jpg`;
    const item: Json = {
      expanded_url: `https://twitter.com/${owner.username}/status/${d.id}/${type === 'photo' ? 'photo' : 'video'}/1`,
      indices,
      url,
      media_url: `http://pbs.twimg.com/${path}`,
      id_str: mediaId,
      id: mediaId,
      media_url_https: `https://pbs.twimg.com/${path}`,
      sizes: mediaSizes(rng),
      type,
      display_url: tail,
    };
    if (type !== 'photo') item.video_info = videoInfo(rng, type, mediaId);
    media.push(item);
  }
  return media;
}

function mediaSizes(rng: Rng): Json {
  const width = rng.int(900, 2048);
  const height = Math.round(width * rng.pick([0.5625, 0.75, 1, 1.25, 1.333]));
  const fit = (max: number): Json => {
    const scale = Math.min(1, max / Math.max(width, height));
    return { w: String(Math.round(width * scale)), h: String(Math.round(height * scale)), resize: 'fit' };
  };
  return { thumb: { w: '150', h: '150', resize: 'crop' }, small: fit(680), medium: fit(1200), large: fit(2048) };
}

function videoInfo(rng: Rng, type: string, mediaId: string): Json {
  const base =
    type === 'video' ? `https://video.twimg.com/ext_tw_video/${mediaId}/pu/vid` : 'https://video.twimg.com/tweet_video';
  if (type === 'animated_gif') {
    return {
      aspect_ratio: ['1', '1'],
      variants: [{ bitrate: '0', content_type: 'video/mp4', url: `${base}/${randomCode(rng, 15)}.mp4` }],
    };
  }
  return {
    aspect_ratio: ['16', '9'],
    duration_millis: String(rng.int(3_000, 140_000)),
    variants: [
      { bitrate: '832000', content_type: 'video/mp4', url: `${base}/640x360/${randomCode(rng, 16)}.mp4` },
      { content_type: 'application/x-mpegURL', url: `${base}/pl/${randomCode(rng, 16)}.m3u8` },
    ],
  };
}

function makeNote(noteTweetId: string, ms: number, text: string): Json {
  return {
    noteTweet: {
      noteTweetId,
      updatedAt: iso(ms),
      lifecycle: { value: '1', name: 'Active', originalName: 'Active', annotations: {} },
      createdAt: iso(ms),
      core: { styletags: [], urls: [], text, mentions: [], cashtags: [], hashtags: [] },
    },
  };
}

/** Collects note-tweets while the tweets stream (they are written after `following`). */
export class NoteSink {
  readonly notes: Json[] = [];

  /** Is this tweet a long post? The first tweet always is, so a 'note-tweet' archive shows one. */
  wants(rng: Rng, ms: number): boolean {
    return this.notes.length === 0 || (ms >= NOTE_TWEETS_LAUNCH_MS && rng.chance(NOTE_RATE));
  }

  add(note: Json): void {
    this.notes.push(note);
  }
}

/** A liked tweet: id whose time is spread like like-times, text usually present. */
export function makeLike(
  rng: Rng,
  i: number,
  series: TweetSeries,
  salt: number,
  style: ContentStyle,
): { item: string; entity: boolean } {
  const recent = series.timeAt(i) - rng.int(0, 2 * DAY_MS);
  const ms = rng.chance(0.15)
    ? rng.int(FIRST_TWEET_MS, Math.max(FIRST_TWEET_MS, recent))
    : Math.max(FIRST_TWEET_MS, recent);
  const tweetId = snowflakeId(ms, scramble22(i, salt)); // distinct low bits: unique per archive
  const like: Json = { tweetId };
  let entity = false;
  if (rng.chance(FULL_TEXT_SHARE)) {
    const tb = new TextBuilder();
    if (rng.chance(0.3)) tb.mention(style.mention(rng)).add(' ');
    writeBody(rng, tb, { entities: style.entities, unicode: true, hashtags: true });
    if (rng.chance(0.2)) tb.add(` ${tcoUrl(rng)}`);
    like.fullText = tb.toString();
    entity = tb.hasEntity;
  }
  like.expandedUrl = `https://twitter.com/i/web/status/${tweetId}`;
  return { item: JSON.stringify({ like }), entity };
}
