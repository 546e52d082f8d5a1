/**
 * Deterministic demo community generator (SPEC §9).
 *
 * Writes synthetic Community Archive uploads in the real archive.json format described in
 * /work/shared/reference/community-archive-format.md: §2 (top-level keys, `{"tweet": …}` item
 * wrappers, numbers and ids as strings, `created_at` like "Wed Oct 10 20:19:24 +0000 2018",
 * snowflake ids whose timestamp matches `created_at`, note-tweets matched by time and text) and
 * §5 (the quirks a robust importer must survive). Everything is a pure function of the options:
 * the same options give byte-identical files.
 *
 * Shape of the data:
 * - a population of accounts split into communities; the first `accounts` of them have archives;
 * - archive accounts follow mostly inside their community, with Zipf popularity so that a few
 *   hubs collect most follows; non-archive accounts follow archive accounts with the same bias;
 * - follower/following lists between archive accounts are mutually consistent;
 * - tweets, likes and profiles with realistic text (Unicode, HTML entities, replies, retweets…);
 * - quirks spread over accounts by index (see `plannedQuirks`); index 0 is always clean.
 *
 * Files are streamed in ~1 MB chunks, so neither a 250 MB archive nor a 300-archive community is
 * ever held in memory.
 */
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRng, hashUnit, mix32, type Rng } from './rng.js';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface DemoOptions {
  /** Number of archive accounts (each gets one archive.json); >= 1. */
  accounts: number;
  /** Total accounts in the network including archive ones; default max(accounts * 25, 500). */
  population?: number;
  /** Default clamp(round(accounts / 12), 3, 12), never more than accounts. */
  communities?: number;
  /** Default 42. */
  seed?: number;
  /** Mean tweets per archive; default 40. */
  tweetsPerAccount?: number;
  /** Mean likes per archive; default 60. */
  likesPerAccount?: number;
  /** Mean following-list length of an archive account; default 150 (capped by population - 1). */
  meanFollowing?: number;
}

export interface DemoAccount {
  username: string;
  accountId: string;
  displayName: string;
  community: number;
  /** Unique follower ids written (after de-duplication, excluding self). */
  followers: number;
  /** Unique following ids written (excluding self). */
  following: number;
  /** Unique tweets in `tweets`. */
  tweets: number;
  /** Tweets in `community-tweet`. */
  communityTweets: number;
  /** Unique likes (by tweetId). */
  likes: number;
  quirks: Quirk[];
}

export interface DemoManifest {
  seed: number;
  population: number;
  communities: number;
  accounts: DemoAccount[];
  /** Total bytes of all archive.json files (manifest excluded). */
  bytes: number;
}

export interface SingleArchiveOptions {
  username: string;
  accountId: string;
  tweets: number;
  likes: number;
  followers: number;
  following: number;
  seed?: number;
}

/** The archive quirks of format doc §5, by the names recorded in `DemoAccount.quirks`. */
export type Quirk =
  | 'numeric-counts' // favorite/retweet counts and indices as JS numbers, some retweet_count null
  | 'no-upload-options' // older or admin uploads
  | 'duplicate-parts' // every item of tweets/follower/following/like twice (macOS zip bug)
  | 'unwrapped-tweets' // pre-2020 export: bare tweet objects, no edit_info
  | 'email-present' // admin upload script keeps account.email
  | 'no-like-section' // `like` key absent
  | 'self-follow' // own id in follower and following
  | 'html-entities' // &amp; &lt; &gt; in tweet or like text
  | 'note-tweet' // `note-tweet` section + the truncated tweets it belongs to
  | 'community-tweet' // `community-tweet` section
  | 'alt-date-format' // one tweet with created_at "2023-03-01 10:00:00 +0000"
  | 'no-header-media' // profile without headerMediaUrl
  | 'empty-profile-strings' // "" for bio, website or location
  | 'no-created-via'; // account without createdVia

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const SNOWFLAKE_EPOCH_MS = 1288834974657;
/** The low 22 snowflake bits (worker + sequence) serve as a collision-free per-archive counter. */
const LOW_BITS = 22;
const LOW_MASK = (1 << LOW_BITS) - 1;
/** Item counts and the population are limited so that counters fit the low snowflake bits. */
export const MAX_ITEMS = 1 << LOW_BITS;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const FIRST_TWEET_MS = Date.UTC(2011, 0, 1); // tweet ids before late 2010 were not snowflakes
const NOTE_TWEETS_LAUNCH_MS = Date.UTC(2023, 1, 9);
const COMMUNITIES_LAUNCH_MS = Date.UTC(2021, 8, 8);
const TWEET_WRAPPER_CHANGE_MS = Date.UTC(2019, 11, 31); // exports after Jan 2020 wrap tweets
const LATEST_EXPORT_MS = Date.UTC(2024, 11, 1, 9, 30);
/** Old short account ids (8–10 digits) map linearly onto 2007–2012 sign-ups. */
const SHORT_ID_BASE = 10_000_000;
const SHORT_ID_FROM_MS = Date.UTC(2007, 2, 1);
const SHORT_ID_TO_MS = Date.UTC(2012, 5, 1);
const SNOWFLAKE_ACCOUNT_FROM_MS = Date.UTC(2013, 0, 1);
const ARCHIVE_ACCOUNT_TO_MS = Date.UTC(2018, 11, 31); // archive owners are older accounts
const POPULATION_ACCOUNT_TO_MS = Date.UTC(2023, 5, 30);
const SHORT_ID_SHARE = 0.22;

const CHUNK_CHARS = 1 << 20;
const USERNAME_RE = /^[A-Za-z0-9_]{1,15}$/;

// Graph shape.
/** Archive owners get fitness keys in [0, ARCHIVE_FITNESS): they are the community's core. */
const ARCHIVE_FITNESS = 0.05;
const IN_COMMUNITY_FOLLOW = 0.8;
const FOLLOW_ZIPF = 0.9;
const FOLLOWER_SHARE_OF_TOP_HUB = 0.45;
const FOLLOWER_DECAY = 0.75;
const IN_COMMUNITY_FOLLOWER = 0.7;
const FOLLOW_BACK = 0.35;
const SIZE_SIGMA = 0.9;

// Content shape.
const NOTE_RATE = 0.04;
const ENTITY_RATE = 0.15;
const UNICODE_RATE = 0.12;
const FULL_TEXT_SHARE = 0.85;

// ---------------------------------------------------------------------------------------------
// Word banks (invented; TPOT-flavoured so the demo reads plausibly)
// ---------------------------------------------------------------------------------------------

const words = (s: string): readonly string[] => s.split(' ');
const ADJECTIVES = words(
  'quiet soft feral cosmic tender lucid liminal gentle sharp strange hidden golden sleepy mythic wild honest small vast warm noisy patient curious rested earnest weird brave bright slow',
);
const NOUNS = words(
  'fern moth frame vibe garden river signal ghost meadow lantern circuit harbor sparrow orchard tundra comet kettle thread meme pattern mirror ritual forest prism cipher beacon shrine hearth nomad otter',
);
const FIRST_NAMES = words('ada ben cleo dev eli fatima gus hana ivo june kai lena milo nadia omar priya quinn rosa sam tomas uma vik wren yara zoe');
const TOPICS: readonly string[] = (
  'jhanas|the discourse|postrationalism|embodiment|meditation|group chats|shape rotation|vibecamp|the timeline|attention|sleep|' +
  'gardening|kindness|memetics|status games|legibility|therapy|attachment styles|long walks|moloch|frames|world models|agency|' +
  'play|taste|community|writing|poasting|the simulacrum|fermentation'
).split('|');
const TEMPLATES = [
  'hot take: {t} is just {t} with extra steps',
  'i keep coming back to {t}',
  'the older i get the more i think {t} matters',
  '{t} is underrated. {t} is overrated',
  'someone should write the definitive thread on {t}',
  "genuinely can't stop thinking about {t}",
  'every group chat eventually becomes about {t}',
  'reminder that {t} is a skill, not a trait',
  'what if {t} but for {t}',
  'the real {t} was the friends we made along the way',
  'unironically {t} fixed my life',
  'ok {t} discourse is back',
  'nobody talks about how {t} and {t} are the same thing',
  'my {t} take is that it depends on {t}',
  'spent the morning on {t} and feel {a}',
  "there's a {a} version of {t} that nobody tries",
  'a {a} {n} is worth more than a perfect plan',
];
const REPLY_TEMPLATES = [
  'yes exactly',
  'this is so real',
  'strong agree',
  'wait say more',
  'lol',
  'counterpoint: {t}',
  'i think this is right but {t} complicates it',
  'this is the way',
  'ok but have you tried {t}',
  'saving this for later',
];
const FOREIGN = [
  { text: 'おはようございます ☀️ 今日も{t}', lang: 'ja' },
  { text: 'buenos días a todos, hoy toca {t}', lang: 'es' },
  { text: 'صباح الخير يا أصدقاء', lang: 'ar' },
  { text: 'Guten Morgen, heute geht es um {t}', lang: 'de' },
];
/** ZWJ sequences, RTL scripts, astral-plane letters: JS length != code points. */
const UNICODE_SNIPPETS = [
  '🏳️‍🌈',
  '👩🏽‍💻',
  '👨‍👩‍👧‍👦',
  '🧑‍🌾',
  '❤️‍🔥',
  '🫠',
  '✨',
  '🌱',
  'مرحبا بالعالم',
  'שלום עולם',
  '𝕳𝖊𝖑𝖑𝖔',
  '𝓿𝓲𝓫𝓮𝓼',
  '日本語のテキスト',
  '𓂀',
  'naïve café',
  '∀x ∃y',
];
/** Already HTML-escaped, as `full_text` is in real exports. */
const ENTITY_SNIPPETS = ['{t} &amp; {t}', 'x &lt; y', '-&gt; {t}', '&lt;3', 'cost &gt; benefit', 'R&amp;D', '&lt;/thread&gt;'];
const HASHTAGS = words('tpot vibecamp postrat buildinpublic MeditationMonday 日本語 100DaysOfCode gardening AI WritingCommunity');
const LINK_DOMAINS = words('example.com substack.com arxiv.org github.com youtu.be en.wikipedia.org');
const LOCATIONS = ['the internet', 'SF', 'Berlin', 'London', 'Toronto, Ontario', 'Brooklyn, NY', '東京', '🌍', 'somewhere in the woods', 'Austin, TX'];
const BIO_TEMPLATES = ['{a} {n} enjoyer', 'thinking about {t} | {t}', 'writing about {t} ✨', '{t} and {t}. dms open', 'building {a} things 🌱', 'ex-{n}, now {t}'];
const SOURCES = [
  { html: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>', weight: 5 },
  { html: '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>', weight: 4 },
  { html: '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>', weight: 2 },
  { html: '<a href="https://about.twitter.com/products/tweetdeck" rel="nofollow">TweetDeck</a>', weight: 1 },
];
const SOURCE_WEIGHTS = SOURCES.map((s) => s.weight);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MONTHS = words('Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec');
const WEEKDAYS = words('Sun Mon Tue Wed Thu Fri Sat');

// ---------------------------------------------------------------------------------------------
// Ids and dates
// ---------------------------------------------------------------------------------------------

/** A snowflake id as a decimal string: (ms - epoch) << 22 | low. Exceeds 2^53, hence BigInt. */
export function snowflakeId(ms: number, low: number): string {
  return ((BigInt(ms - SNOWFLAKE_EPOCH_MS) << BigInt(LOW_BITS)) | BigInt(low & LOW_MASK)).toString();
}

/** Millisecond timestamp encoded in a snowflake id. */
export function snowflakeTimeMs(id: string): number {
  return Number(BigInt(id) >> BigInt(LOW_BITS)) + SNOWFLAKE_EPOCH_MS;
}

/** Bijection on [0, 2^22): distinct counters give distinct low snowflake bits. */
function scramble22(i: number, salt: number): number {
  let x = (i ^ salt) & LOW_MASK;
  x = Math.imul(x, 0x9e3779b1) & LOW_MASK; // odd multipliers are invertible mod 2^22
  x ^= x >>> 11;
  x = Math.imul(x, 0x85ebca6b) & LOW_MASK;
  return x ^ (x >>> 9);
}

/** Bijection on 32-bit integers, for old short account ids. */
function scramble32(i: number, salt: number): number {
  let x = (i ^ salt) >>> 0;
  x = Math.imul(x, 0x9e3779b1) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
}

/** "Wed Oct 10 20:19:24 +0000 2018", the tweets' `created_at` format. */
export function formatTwitterDate(ms: number): string {
  const d = new Date(ms);
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

/** "2023-03-01 10:00:00 +0000", the alternative format of CA's mock fixtures (format doc §5.5). */
export function formatAltDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

interface AccountIdentity {
  id: string;
  createdMs: number;
}

/**
 * Id and sign-up time of population member p: a pure function of (p, salt), unique over p in
 * [0, 2^22). Most ids are snowflakes above 2^53 (sign-ups from 2013); about a fifth are old
 * short ids whose value grows with the 2007–2012 sign-up date, as on the real site.
 */
export function accountIdentity(p: number, salt: number, latestSignupMs = POPULATION_ACCOUNT_TO_MS): AccountIdentity {
  if (hashUnit(salt, p, 1) < SHORT_ID_SHARE) {
    const n = scramble32(p, salt);
    return { id: String(SHORT_ID_BASE + n), createdMs: Math.floor(SHORT_ID_FROM_MS + (n / 2 ** 32) * (SHORT_ID_TO_MS - SHORT_ID_FROM_MS)) };
  }
  const createdMs = Math.floor(SNOWFLAKE_ACCOUNT_FROM_MS + hashUnit(salt, p, 2) * (latestSignupMs - SNOWFLAKE_ACCOUNT_FROM_MS));
  return { id: snowflakeId(createdMs, scramble22(p, salt)), createdMs };
}

/** Sign-up time implied by an account id (snowflake timestamp, or the short-id mapping). */
function signupFromId(id: string): number {
  const n = BigInt(id);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return Math.min(snowflakeTimeMs(id), LATEST_EXPORT_MS - 365 * DAY_MS);
  const share = Math.min(1, Math.max(0, (Number(n) - SHORT_ID_BASE) / 2 ** 32));
  return Math.floor(SHORT_ID_FROM_MS + share * (SHORT_ID_TO_MS - SHORT_ID_FROM_MS));
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function fill(template: string, rng: Rng): string {
  return template.replace(/\{([tan])\}/g, (_, slot: string) => rng.pick(slot === 't' ? TOPICS : slot === 'a' ? ADJECTIVES : NOUNS));
}

/**
 * A handle matching ^[A-Za-z0-9_]{1,15}$ in one of the common styles (lowercase, CamelCase,
 * snake_case, trailing digits). `taken` holds lower-cased handles already used; the result is
 * added to it, so handles stay unique case-insensitively.
 */
export function demoUsername(rng: Rng, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const adj = rng.pick(ADJECTIVES);
    const noun = rng.pick(NOUNS);
    const styles = [
      () => adj + noun,
      () => capitalize(adj) + capitalize(noun),
      () => `${adj}_${noun}`,
      () => `${noun}${rng.int(1, 9999)}`,
      () => `${rng.pick(FIRST_NAMES)}_${noun}`,
      () => `_${adj}${noun}`,
      () => `${capitalize(rng.pick(FIRST_NAMES))}${capitalize(noun)}${rng.int(0, 99)}`,
      () => `${noun.toUpperCase()}_${rng.pick(['OS', 'HQ', 'AI', 'XO'])}`,
    ];
    let handle = rng.pick(styles)().slice(0, 15);
    // After a few collisions, a base-36 counter suffix guarantees progress.
    if (attempt >= 8) {
      const suffix = (taken.size + attempt).toString(36);
      handle = handle.slice(0, 15 - suffix.length) + suffix;
    }
    const key = handle.toLowerCase();
    if (!taken.has(key)) {
      taken.add(key);
      return handle;
    }
  }
}

/** A display name: mostly plain words, sometimes with emoji, a tagline or non-Latin script. */
export function demoDisplayName(rng: Rng, username: string): string {
  const base = username
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
  const r = rng.next();
  if (r < 0.45) return base.split(/\s+/).map(capitalize).join(' ') || username;
  if (r < 0.65) return `${base.toLowerCase()} ${rng.pick(['🌱', '✨', '🦋', '🏳️‍🌈', '🧘', '🌊'])}`;
  if (r < 0.8) return `${capitalize(rng.pick(FIRST_NAMES))} | ${fill('{t}', rng)}`;
  if (r < 0.88) return rng.pick(['مريم', 'יונתן', '山田 花子', 'Zoë Ångström', '𝖖𝖚𝖎𝖊𝖙 𝖋𝖊𝖗𝖓', 'Дмитрий Иванов']);
  return base.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

interface ResolvedOptions {
  accounts: number;
  population: number;
  communities: number;
  seed: number;
  tweetsPerAccount: number;
  likesPerAccount: number;
  meanFollowing: number;
}

function requireInt(name: string, value: number, min: number, max = MAX_ITEMS): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  return value;
}

function requireMean(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}

export function resolveDemoOptions(options: DemoOptions): ResolvedOptions {
  const accounts = requireInt('accounts', options.accounts, 1);
  const population = requireInt('population', options.population ?? Math.max(accounts * 25, 500), accounts);
  const defaultCommunities = Math.min(12, Math.max(3, Math.round(accounts / 12)));
  const communities = Math.min(accounts, requireInt('communities', options.communities ?? defaultCommunities, 1));
  return {
    accounts,
    population,
    communities,
    seed: requireInt('seed', options.seed ?? 42, 0, 2 ** 32 - 1),
    tweetsPerAccount: requireMean('tweetsPerAccount', options.tweetsPerAccount ?? 40),
    likesPerAccount: requireMean('likesPerAccount', options.likesPerAccount ?? 60),
    meanFollowing: Math.min(population - 1, requireMean('meanFollowing', options.meanFollowing ?? 150)),
  };
}

// ---------------------------------------------------------------------------------------------
// Quirk plan
// ---------------------------------------------------------------------------------------------

const QUIRK_ORDER: readonly Quirk[] = [
  'numeric-counts',
  'no-upload-options',
  'duplicate-parts',
  'unwrapped-tweets',
  'email-present',
  'no-like-section',
  'self-follow',
  'html-entities',
  'note-tweet',
  'community-tweet',
  'alt-date-format',
  'no-header-media',
  'empty-profile-strings',
  'no-created-via',
];

/** Quirks carried by exactly one archive, by account index. */
const SINGLE_QUIRKS: Readonly<Record<number, readonly Quirk[]>> = {
  1: ['numeric-counts'],
  2: ['no-like-section', 'no-upload-options'], // a third-party converter's output
  3: ['duplicate-parts'],
  4: ['unwrapped-tweets'],
  5: ['email-present', 'no-upload-options'], // the admin upload script keeps email, adds no options
  6: ['self-follow'],
  7: ['community-tweet'],
  8: ['alt-date-format'],
  9: ['empty-profile-strings', 'no-header-media'],
};

/**
 * Quirks planned for the archive at `index`: one-off quirks on indices 1–9, recurring ones on
 * residues (so every size >= 12 shows all of them), and none on index 0. Data-dependent quirks
 * (html-entities, note-tweet, …) are recorded in the manifest only if the archive really shows them.
 */
export function plannedQuirks(index: number): Quirk[] {
  if (index === 0) return [];
  const quirks = new Set<Quirk>(SINGLE_QUIRKS[index] ?? []);
  if (index % 3 === 1) quirks.add('html-entities');
  // Long posts exist only since 2023, unwrapped tweets only before 2020.
  if (index % 4 === 3 && !quirks.has('unwrapped-tweets')) quirks.add('note-tweet');
  if (index % 10 === 0) quirks.add('no-upload-options');
  if (index % 6 === 5) quirks.add('no-header-media');
  if (index % 11 === 10) quirks.add('no-created-via');
  if (index % 7 === 6) quirks.add('empty-profile-strings');
  return QUIRK_ORDER.filter((q) => quirks.has(q));
}

// ---------------------------------------------------------------------------------------------
// The network: population, communities, follow graph
// ---------------------------------------------------------------------------------------------

interface Person {
  id: string;
  username: string;
  name: string;
  createdMs: number;
  community: number;
}

interface Network {
  people: Person[];
  /** Population indices followed by archive account a (no self, no duplicates). */
  following: number[][];
  /** Population indices following archive account a (no self, no duplicates). */
  followers: number[][];
}

function buildPeople(o: ResolvedOptions, rng: Rng): Person[] {
  const salt = mix32(o.seed, 0x1d);
  const communityWeights = Array.from({ length: o.communities }, (_, c) => 1 / Math.sqrt(c + 1));
  // The first `communities` archive accounts seed one community each, so none is empty.
  const firstCommunities = rng.shuffle(Array.from({ length: o.communities }, (_, c) => c));
  const taken = new Set<string>();
  const people: Person[] = [];
  for (let p = 0; p < o.population; p++) {
    const isArchive = p < o.accounts;
    const identity = accountIdentity(p, salt, isArchive ? ARCHIVE_ACCOUNT_TO_MS : POPULATION_ACCOUNT_TO_MS);
    const username = demoUsername(rng, taken);
    people.push({
      ...identity,
      username,
      name: demoDisplayName(rng, username),
      community: p < o.communities ? firstCommunities[p]! : rng.weighted(communityWeights),
    });
  }
  return people;
}

interface Popularity {
  /** All population indices, most popular first. */
  global: number[];
  /** Per community, members most popular first. */
  byCommunity: number[][];
  /** Per community, non-archive members. */
  nonArchiveByCommunity: number[][];
  /** Rank of each archive account among archive accounts (0 = biggest hub). */
  archiveRank: number[];
}

/** Random fitness ranking; archive owners rank near the top, as the communities' core members. */
function rankPopularity(o: ResolvedOptions, people: Person[], rng: Rng): Popularity {
  const fitness = people.map((_, p) => rng.next() * (p < o.accounts ? ARCHIVE_FITNESS : 1));
  const global = people.map((_, p) => p).sort((a, b) => fitness[a]! - fitness[b]! || a - b);
  const byCommunity = Array.from({ length: o.communities }, (): number[] => []);
  const nonArchiveByCommunity = Array.from({ length: o.communities }, (): number[] => []);
  const archiveRank = new Array<number>(o.accounts).fill(0);
  let rank = 0;
  for (const p of global) {
    const c = people[p]!.community;
    byCommunity[c]!.push(p);
    if (p < o.accounts) archiveRank[p] = rank++;
    else nonArchiveByCommunity[c]!.push(p);
  }
  return { global, byCommunity, nonArchiveByCommunity, archiveRank };
}

/**
 * `count` distinct values from `draw()` (excluding `exclude`). Rejection sampling keeps the drawn
 * distribution; when it stalls (a small pool nearly used up) a sweep over `sweep` from a random
 * start fills the rest, so the result always has exactly `count` values if the pool allows it.
 */
function sampleDistinct(rng: Rng, count: number, draw: () => number, exclude: number, sweep: readonly number[]): Set<number> {
  const chosen = new Set<number>();
  for (let attempts = count * 8 + 64; chosen.size < count && attempts > 0; attempts--) {
    const p = draw();
    if (p !== exclude) chosen.add(p);
  }
  const start = sweep.length > 0 ? rng.int(0, sweep.length - 1) : 0;
  for (let j = 0; chosen.size < count && j < sweep.length; j++) {
    const p = sweep[(start + j) % sweep.length]!;
    if (p !== exclude) chosen.add(p);
  }
  return chosen;
}

/** A heavy-tailed (log-normal) size with the given mean; at least 1 when the mean is positive. */
function sizeAround(rng: Rng, mean: number, max: number): number {
  if (mean <= 0) return 0;
  const x = mean * Math.exp(SIZE_SIGMA * rng.normal() - (SIZE_SIGMA * SIZE_SIGMA) / 2);
  return Math.min(max, Math.max(1, Math.round(Math.min(x, mean * 10))));
}

function buildNetwork(o: ResolvedOptions): Network {
  const rng = createRng(mix32(o.seed, 0x6a));
  const people = buildPeople(o, rng);
  const pop = rankPopularity(o, people, rng);
  const following = Array.from({ length: o.accounts }, (_, a) => {
    const own = pop.byCommunity[people[a]!.community]!;
    const draw = (): number => {
      const pool = rng.chance(IN_COMMUNITY_FOLLOW) ? own : pop.global;
      return pool[rng.zipf(pool.length, FOLLOW_ZIPF)]!;
    };
    return sampleDistinct(rng, sizeAround(rng, o.meanFollowing, o.population - 1), draw, a, pop.global);
  });
  const followers = following.map(() => new Set<number>());
  following.forEach((targets, a) => {
    for (const t of targets) if (t < o.accounts) followers[t]!.add(a);
  });
  addPopulationFollowers(o, people, pop, following, followers, rng);
  return {
    people,
    following: following.map((s) => rng.shuffle([...s])),
    followers: followers.map((s) => rng.shuffle([...s])),
  };
}

/**
 * Non-archive accounts following archive accounts: the count falls off as a power of the archive
 * account's popularity rank (preferential attachment: hubs get thousands at larger populations),
 * followers come mostly from the same community, and some followed accounts follow back.
 */
function addPopulationFollowers(o: ResolvedOptions, people: Person[], pop: Popularity, following: Set<number>[], followers: Set<number>[], rng: Rng): void {
  const nonArchive = pop.global.filter((p) => p >= o.accounts);
  if (nonArchive.length === 0) return;
  for (let a = 0; a < o.accounts; a++) {
    const share = (FOLLOWER_SHARE_OF_TOP_HUB * (0.7 + 0.6 * rng.next())) / (pop.archiveRank[a]! + 1) ** FOLLOWER_DECAY;
    const count = Math.min(nonArchive.length, Math.round(nonArchive.length * share));
    const own = pop.nonArchiveByCommunity[people[a]!.community]!;
    const draw = (): number => (own.length > 0 && rng.chance(IN_COMMUNITY_FOLLOWER) ? rng.pick(own) : rng.pick(nonArchive));
    const target = followers[a]!;
    for (const p of sampleDistinct(rng, count, draw, a, nonArchive)) target.add(p);
    for (const p of following[a]!) if (p >= o.accounts && rng.chance(FOLLOW_BACK)) target.add(p);
  }
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

const ENTITY_RE = /&(?:amp|lt|gt);/g;

/** Length in code points, the unit of Twitter's `indices`. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** Code points of the unescaped text: `indices` count `&amp;` as one character. */
const visibleLength = (s: string): number => codePointLength(s.includes('&') ? s.replace(ENTITY_RE, '&') : s);
const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const tcoUrl = (rng: Rng): string => `https://t.co/${randomCode(rng, 10)}`;

function randomCode(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[Math.floor(rng.next() * ALNUM.length)];
  return s;
}

interface Identity {
  id: string;
  username: string;
  name: string;
}

interface UrlEntity {
  url: string;
  expanded_url: string;
  display_url: string;
  indices: [number, number];
}

/** Builds a tweet text while recording entity positions in code points of the unescaped text. */
class TextBuilder {
  private readonly parts: string[] = [];
  pos = 0;
  hasEntity = false;
  readonly hashtags: Array<{ text: string; indices: [number, number] }> = [];
  readonly mentions: Array<{ who: Identity; indices: [number, number] }> = [];
  readonly urls: UrlEntity[] = [];

  add(s: string): this {
    this.parts.push(s);
    this.pos += visibleLength(s);
    return this;
  }

  entitySnippet(s: string): this {
    this.hasEntity = true;
    return this.add(s);
  }

  mention(who: Identity): this {
    const start = this.pos;
    this.add(`@${who.username}`);
    this.mentions.push({ who, indices: [start, this.pos] });
    return this;
  }

  hashtag(tag: string): this {
    const start = this.pos;
    this.add(`#${tag}`);
    this.hashtags.push({ text: tag, indices: [start, this.pos] });
    return this;
  }

  /** Appends a t.co link standing for `expanded`; returns the short URL. */
  url(rng: Rng, expanded: string): string {
    const url = tcoUrl(rng);
    const start = this.pos;
    this.add(url);
    const bare = expanded.replace(/^https?:\/\//, '');
    this.urls.push({ url, expanded_url: expanded, display_url: bare.length > 26 ? `${bare.slice(0, 26)}…` : bare, indices: [start, this.pos] });
    return url;
  }

  toString(): string {
    return this.parts.join('');
  }
}

interface BodyStyle {
  entities: boolean;
  unicode: boolean;
  hashtags: boolean;
  mention?: (rng: Rng) => Identity;
}

/** One or two sentences with occasional hashtag, mention, Unicode snippet or HTML entity. */
function writeBody(rng: Rng, tb: TextBuilder, style: BodyStyle, templates: readonly string[] = TEMPLATES): void {
  tb.add(fill(rng.pick(templates), rng));
  if (rng.chance(0.35)) tb.add(`. ${fill(rng.pick(TEMPLATES), rng)}`);
  if (style.entities && rng.chance(ENTITY_RATE)) tb.add(' ').entitySnippet(fill(rng.pick(ENTITY_SNIPPETS), rng));
  if (style.unicode && rng.chance(UNICODE_RATE)) tb.add(` ${rng.pick(UNICODE_SNIPPETS)}`);
  if (style.mention && rng.chance(0.08)) tb.add(' cc ').mention(style.mention(rng));
  if (style.hashtags && rng.chance(0.1)) tb.add(' ').hashtag(rng.pick(HASHTAGS));
}

/** Heavy-tailed engagement: most tweets get a few likes, a few get thousands. */
function engagement(rng: Rng): { favorites: number; retweets: number } {
  const favorites = Math.min(250_000, Math.floor(3 * (rng.pareto(1.16) - 1)));
  return { favorites, retweets: Math.floor(favorites * rng.next() * 0.25) };
}

// ---------------------------------------------------------------------------------------------
// Tweets, likes, notes
// ---------------------------------------------------------------------------------------------

interface ContentStyle {
  owner: Identity;
  /** Someone this account would mention, reply to or retweet. */
  mention: (rng: Rng) => Identity;
  entities: boolean;
  numericCounts: boolean;
  wrapped: boolean;
  editInfo: boolean;
}

type Json = Record<string, unknown>;

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
class TweetSeries {
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

class TweetFactory {
  constructor(
    private readonly style: ContentStyle,
    private readonly series: TweetSeries,
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
    writeBody(rng, tb, { entities: this.style.entities, unicode: true, hashtags: true, mention: this.style.mention }, templates);
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
    d.tb.add(' ').url(rng, `https://twitter.com/${author.username}/status/${snowflakeId(d.ms - rng.int(MINUTE_MS, 30 * DAY_MS), rng.int(0, LOW_MASK))}`);
    d.hasLink = true;
  }

  private link(rng: Rng, d: TweetDraft): void {
    this.body(rng, d.tb);
    d.tb.add(' ').url(rng, `https://${rng.pick(LINK_DOMAINS)}/${rng.pick(NOUNS)}-${rng.pick(NOUNS)}-${rng.int(1, 999)}`);
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
    // Some notes carry raw '&', which the tweet copy escapes: CA's prefix rule then misses (§2.9).
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
      tweet.edit_info = { initial: { editTweetIds: [d.id], editableUntil: iso(d.ms + 30 * MINUTE_MS), editsRemaining: '5', isEditEligible: false } };
    }
    tweet.retweeted = false;
    tweet.source = SOURCES[rng.weighted(SOURCE_WEIGHTS)]!.html;
    const entities: Json = {
      hashtags: d.tb.hashtags.map((h) => ({ text: h.text, indices: pair(h.indices) })),
      symbols: [],
      user_mentions: d.tb.mentions.map((m) => ({ name: m.who.name, screen_name: m.who.username, indices: pair(m.indices), id_str: m.who.id, id: m.who.id })),
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
    // Fixtures sometimes carry a null retweet_count (format doc §5.4).
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
    if (d.media) tweet.extended_entities = { media: d.media.map((m) => ({ ...m, indices: pair(m.indices as [number, number]) })) };
    return tweet;
  }
}

function withoutVideoInfo(media: Json, pair: (x: [number, number]) => Array<string | number>): Json {
  const { video_info: _videoInfo, ...rest } = media;
  return { ...rest, indices: pair(media.indices as [number, number]) };
}

/** 1–4 photos, or one video / animated GIF; sizes as strings (format doc §2.6). */
function makeMedia(rng: Rng, owner: Identity, d: TweetDraft, url: string, indices: [number, number]): Json[] {
  const kind = rng.weighted([8, 1, 1]);
  const type = kind === 0 ? 'photo' : kind === 1 ? 'video' : 'animated_gif';
  const count = type === 'photo' ? rng.weighted([6, 2, 1, 1]) + 1 : 1;
  const tail = `pic.twitter.com/${randomCode(rng, 10)}`;
  const media: Json[] = [];
  for (let k = 0; k < count; k++) {
    const mediaId = snowflakeId(d.ms - rng.int(1000, 10 * MINUTE_MS), rng.int(0, LOW_MASK));
    const code = randomCode(rng, 15);
    const path = type === 'photo' ? `media/${code}.jpg` : type === 'video' ? `ext_tw_video_thumb/${mediaId}/pu/img/${code}.jpg` : `tweet_video_thumb/${code}.jpg`;
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
  const base = type === 'video' ? `https://video.twimg.com/ext_tw_video/${mediaId}/pu/vid` : 'https://video.twimg.com/tweet_video';
  if (type === 'animated_gif') {
    return { aspect_ratio: ['1', '1'], variants: [{ bitrate: '0', content_type: 'video/mp4', url: `${base}/${randomCode(rng, 15)}.mp4` }] };
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
class NoteSink {
  readonly notes: Json[] = [];

  /** Is this tweet a long post? The first tweet always is, so a 'note-tweet' archive shows one. */
  wants(rng: Rng, ms: number): boolean {
    return this.notes.length === 0 || (ms >= NOTE_TWEETS_LAUNCH_MS && rng.chance(NOTE_RATE));
  }

  add(note: Json): void {
    this.notes.push(note);
  }
}

/** A liked tweet: id whose time is spread like like-times, text usually present (format doc §2.7). */
function makeLike(rng: Rng, i: number, series: TweetSeries, salt: number, style: ContentStyle): { item: string; entity: boolean } {
  const recent = series.timeAt(i) - rng.int(0, 2 * DAY_MS);
  const ms = rng.chance(0.15) ? rng.int(FIRST_TWEET_MS, Math.max(FIRST_TWEET_MS, recent)) : Math.max(FIRST_TWEET_MS, recent);
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

// ---------------------------------------------------------------------------------------------
// Profile, account, upload options
// ---------------------------------------------------------------------------------------------

/** Profile with bio, t.co website and location; the 'empty-profile-strings' quirk blanks some (website always). */
function makeProfile(rng: Rng, owner: Identity, quirks: ReadonlySet<Quirk>): Json {
  const blank = quirks.has('empty-profile-strings');
  const bio = fill(rng.pick(BIO_TEMPLATES), rng);
  const website = tcoUrl(rng);
  const location = rng.pick(LOCATIONS);
  const profile: Json = {
    description: {
      bio: blank && rng.chance(0.5) ? '' : bio,
      website: blank ? '' : website,
      location: blank && rng.chance(0.5) ? '' : location,
    },
    avatarMediaUrl: `https://pbs.twimg.com/profile_images/${snowflakeId(LATEST_EXPORT_MS - rng.int(30, 2000) * DAY_MS, rng.int(0, LOW_MASK))}/${randomCode(rng, 8)}.jpg`,
  };
  if (!quirks.has('no-header-media')) {
    profile.headerMediaUrl = `https://pbs.twimg.com/profile_banners/${owner.id}/${Math.floor(LATEST_EXPORT_MS / 1000) - rng.int(30, 2000) * 86_400}`;
  }
  return { profile };
}

function makeAccount(owner: Identity, createdMs: number, quirks: ReadonlySet<Quirk>): Json {
  const account: Json = {};
  if (!quirks.has('no-created-via')) account.createdVia = 'web';
  Object.assign(account, { username: owner.username, accountId: owner.id, createdAt: iso(createdMs), accountDisplayName: owner.name });
  if (quirks.has('email-present')) account.email = `${owner.username.toLowerCase()}@example.invalid`;
  return { account };
}

// ---------------------------------------------------------------------------------------------
// Streaming writer
// ---------------------------------------------------------------------------------------------

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
    for (let off = 0; off < buf.length; ) off += (await this.file.write(buf, off)).bytesWritten;
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

/** The macOS double-part bug repeats the whole list (format doc §5.6). */
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

interface ArchiveSpec {
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
  quirks: ReadonlySet<Quirk>;
}

interface ArchiveResult {
  bytes: number;
  tweets: number;
  communityTweets: number;
  likes: number;
  /** Planned quirks that the written file really shows. */
  quirks: Quirk[];
}

/** Streams one archive.json; the file is closed even when writing fails. */
async function writeArchive(path: string, spec: ArchiveSpec): Promise<ArchiveResult> {
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

/** Key order of format doc §2.2: upload-options, profile, account, tweets, follower, following, note-tweet, like, community-tweet. */
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
    const range = spec.tweets > 0 ? { startDate: iso(series.timeAt(spec.tweets - 1)), endDate: iso(series.timeAt(0)) } : { startDate: iso(spec.createdMs), endDate: iso(spec.exportMs) };
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
  await writeSection(w, 'follower', repeated(times, () => edgeItems('follower', self, spec.followerIds())));
  await writeSection(w, 'following', repeated(times, () => edgeItems('following', self, spec.followingIds())));
  const notes = sinks[0]?.notes ?? [];
  if (notes.length > 0) await writeSection(w, 'note-tweet', notes.map((n) => JSON.stringify(n)));
  const likes = q.has('no-like-section') ? 0 : spec.likes;
  if (!q.has('no-like-section')) {
    const likeSeries = new TweetSeries(likes, mix32(spec.seed, 0x52), series.timeAt(Math.max(0, spec.tweets - 1)), spec.exportMs);
    await writeSection(w, 'like', repeated(times, () => likeItems(spec, style, likeSeries, seen)));
  }
  const communityTweets = q.has('community-tweet') ? createRng(mix32(spec.seed, 0x53)).int(1, 5) : 0;
  if (communityTweets > 0) await writeSection(w, 'community-tweet', communityItems(spec, style, communityTweets, endMs));
  w.push('}');

  const shown = (x: Quirk): boolean =>
    ALWAYS_APPLIED.has(x) || (TWEET_QUIRKS.has(x) && spec.tweets > 0) || (x === 'note-tweet' && notes.length > 0) || (x === 'html-entities' && seen.entity);
  return { tweets: spec.tweets, communityTweets, likes, quirks: QUIRK_ORDER.filter((x) => q.has(x) && shown(x)) };
}

function* tweetItems(spec: ArchiveSpec, style: ContentStyle, series: TweetSeries, notes: NoteSink | null, seen: { entity: boolean }): Generator<string> {
  const rng = createRng(mix32(spec.seed, 0x54));
  const factory = new TweetFactory(style, series);
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

function* likeItems(spec: ArchiveSpec, style: ContentStyle, series: TweetSeries, flags: { entity: boolean }): Generator<string> {
  const rng = createRng(mix32(spec.seed, 0x55));
  const salt = mix32(spec.seed, 0x56);
  for (let i = 0; i < series.count; i++) {
    const { item, entity } = makeLike(rng, i, series, salt, style);
    if (entity) flags.entity = true;
    yield item;
  }
}

/** Community tweets: tweet objects plus community_id and scopes (format doc §2.10). */
function* communityItems(spec: ArchiveSpec, style: ContentStyle, count: number, endMs: number): Generator<string> {
  const rng = createRng(mix32(spec.seed, 0x57));
  const communityId = snowflakeId(COMMUNITIES_LAUNCH_MS + rng.int(0, 400) * DAY_MS, rng.int(0, LOW_MASK));
  const series = new TweetSeries(count, mix32(spec.seed, 0x58), Math.max(COMMUNITIES_LAUNCH_MS, endMs - 365 * DAY_MS), endMs);
  const factory = new TweetFactory(style, series);
  for (let i = 0; i < count; i++) {
    const d = factory.draft(rng, i, null);
    d.extra = { community_id: communityId, community_id_str: communityId, scopes: { followers: false } };
    yield JSON.stringify({ tweet: factory.build(rng, d, formatTwitterDate(d.ms)) });
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** The manifest's file name: not a valid username, so never read as an archive. */
export const DEMO_MANIFEST_FILE = 'demo-manifest.json';

/**
 * Writes <outDir>/<lower-case username>/archive.json for every archive account and
 * <outDir>/demo-manifest.json (the DemoManifest, pretty JSON; the '-' keeps it from being taken
 * for a `<username>.json` archive by the directory source). Creates outDir. Deterministic: the same
 * options give byte-identical files.
 */
export async function writeDemoCommunity(outDir: string, options: DemoOptions): Promise<DemoManifest> {
  const o = resolveDemoOptions(options);
  const net = buildNetwork(o);
  await mkdir(outDir, { recursive: true });
  const accounts: DemoAccount[] = [];
  let bytes = 0;
  for (let a = 0; a < o.accounts; a++) {
    const spec = communityArchiveSpec(o, net, a);
    const result = await writeArchive(join(outDir, spec.owner.username.toLowerCase(), 'archive.json'), spec);
    bytes += result.bytes;
    const person = net.people[a]!;
    accounts.push({
      username: person.username,
      accountId: person.id,
      displayName: person.name,
      community: person.community,
      followers: net.followers[a]!.length,
      following: net.following[a]!.length,
      tweets: result.tweets,
      communityTweets: result.communityTweets,
      likes: result.likes,
      quirks: result.quirks,
    });
  }
  const manifest: DemoManifest = { seed: o.seed, population: o.population, communities: o.communities, accounts, bytes };
  await writeFile(join(outDir, DEMO_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function communityArchiveSpec(o: ResolvedOptions, net: Network, a: number): ArchiveSpec {
  const seed = mix32(o.seed, 0xa7, a);
  const rng = createRng(seed);
  const person = net.people[a]!;
  const quirks = new Set(plannedQuirks(a));
  const following = net.following[a]!;
  const idsOf = (list: readonly number[]) => () => list.map((p) => net.people[p]!.id);
  const exportMs = quirks.has('unwrapped-tweets') ? TWEET_WRAPPER_CHANGE_MS - rng.int(1, 300) * DAY_MS : LATEST_EXPORT_MS - rng.int(0, 540) * DAY_MS;
  return {
    owner: person,
    createdMs: person.createdMs,
    seed,
    exportMs,
    tweets: sizeAround(rng, o.tweetsPerAccount, MAX_ITEMS),
    likes: sizeAround(rng, o.likesPerAccount, MAX_ITEMS),
    followerIds: idsOf(net.followers[a]!),
    followingIds: idsOf(following),
    // People mention mostly accounts they follow, which also names those accounts for importers.
    mention: (r) => {
      const p = following.length > 0 && r.chance(0.7) ? r.pick(following) : r.int(0, net.people.length - 1);
      return net.people[p === a && net.people.length > 1 ? (p + 1) % net.people.length : p]!;
    },
    quirks,
  };
}

/**
 * One clean archive with exactly the requested counts, for benchmarks (e.g. 250 MB). Streams to
 * `path` without ever holding the whole file in memory. Returns bytes written.
 */
export async function writeSingleArchive(path: string, options: SingleArchiveOptions): Promise<number> {
  if (!USERNAME_RE.test(options.username)) throw new RangeError(`invalid username: ${options.username}`);
  if (!/^[1-9]\d{0,19}$/.test(options.accountId)) throw new RangeError(`accountId must be a decimal string, got ${options.accountId}`);
  for (const key of ['tweets', 'likes', 'followers', 'following'] as const) requireInt(key, options[key], 0);
  const seed = requireInt('seed', options.seed ?? 42, 0, 2 ** 32 - 1);
  // Follower and following ids are population indices, which must stay below MAX_ITEMS to be unique.
  const followingStart = Math.floor(options.followers * 0.7);
  requireInt('followers * 0.7 + following', followingStart + options.following + 1, 0);
  const rng = createRng(mix32(seed, 0x5e));
  const owner: Identity = { id: options.accountId, username: options.username, name: demoDisplayName(rng, options.username) };
  const idSalt = mix32(seed, 0x1d);
  // Followers are population members 0…, following starts at 70 % of them: the overlap are mutuals.
  const pool = mentionPool(rng, idSalt, followingStart, Math.max(1, Math.min(options.following, 500)), owner.id);
  const result = await writeArchive(path, {
    owner,
    createdMs: signupFromId(options.accountId),
    seed: mix32(seed, 0x5f),
    exportMs: LATEST_EXPORT_MS,
    tweets: options.tweets,
    likes: options.likes,
    followerIds: () => distinctIds(0, options.followers, idSalt, owner.id),
    followingIds: () => distinctIds(followingStart, options.following, idSalt, owner.id),
    mention: (r) => r.pick(pool),
    quirks: new Set(),
  });
  return result.bytes;
}

/** `count` distinct population ids from index `start` on, skipping `exclude` (the owner). */
function* distinctIds(start: number, count: number, salt: number, exclude: string): Generator<string> {
  for (let p = start, n = 0; n < count; p++) {
    const { id } = accountIdentity(p, salt);
    if (id !== exclude) {
      n++;
      yield id;
    }
  }
}

function mentionPool(rng: Rng, salt: number, start: number, size: number, exclude: string): Identity[] {
  const taken = new Set<string>();
  return Array.from(distinctIds(start, size, salt, exclude), (id) => {
    const username = demoUsername(rng, taken);
    return { id, username, name: demoDisplayName(rng, username) };
  });
}
