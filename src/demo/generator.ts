/**
 * Deterministic demo community generator (docs/ARCHITECTURE.md, "Demo community").
 *
 * Writes synthetic Community Archive uploads in the real archive.json format (docs/FORMATS.md,
 * "Archives": top-level keys, `{"tweet": …}` item wrappers, numbers and ids as strings,
 * `created_at` like "Wed Oct 10 20:19:24 +0000 2018", snowflake ids whose timestamp matches
 * `created_at`, note-tweets matched by time and text) with the quirks a robust importer must
 * survive ("Quirks"). Everything is a pure function of the options: the same options give
 * byte-identical files.
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
 *
 * This file is the entry point and public API; the work is done by:
 * - ids.ts: snowflake ids, dates, account identities;
 * - names.ts: word banks, usernames, display names;
 * - options.ts: `DemoOptions` resolved once into `ResolvedOptions`;
 * - quirks.ts: the quirks and which archive gets which;
 * - network.ts: population, communities, follow graph;
 * - text.ts, tweets.ts, profile.ts: the archive's content items;
 * - archive-writer.ts: streaming one archive.json;
 * - ../rng.ts: the seeded random numbers all of them draw from.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, mix32, type Rng } from '../rng.js';
import { writeArchive, type ArchiveSpec } from './archive-writer.js';
import { DAY_MS, LATEST_EXPORT_MS, MAX_ITEMS, TWEET_WRAPPER_CHANGE_MS, accountIdentity, signupFromId } from './ids.js';
import { USERNAME_RE, demoDisplayName, demoUsername } from './names.js';
import { talkOrder } from './circle.js';
import { buildNetwork, sizeAround, type Network } from './network.js';
import { requireInt, resolveDemoOptions, type DemoOptions, type ResolvedOptions } from './options.js';
import { plannedQuirks, type Quirk } from './quirks.js';
import type { Identity } from './text.js';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

// Everything the single-file generator exported, so importers keep one entry point.
export { MAX_ITEMS, accountIdentity, formatAltDate, formatTwitterDate, snowflakeId, snowflakeTimeMs } from './ids.js';
export { demoDisplayName, demoUsername } from './names.js';
export { resolveDemoOptions, type DemoOptions } from './options.js';
export { plannedQuirks, type Quirk } from './quirks.js';
export { codePointLength } from './text.js';

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

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** The manifest's file name: not a valid username, so never read as an archive. */
export const DEMO_MANIFEST_FILE = 'demo-manifest.json';

/** Whether a directory holds a written demo community (its manifest is there). */
export function isDemoDirectory(dir: string): boolean {
  return existsSync(join(dir, DEMO_MANIFEST_FILE));
}

/**
 * Writes <outDir>/<lower-case username>/archive.json for every archive account and
 * <outDir>/demo-manifest.json (the DemoManifest, pretty JSON; the '-' keeps it from being taken
 * for a `<username>.json` archive by the directory source). Creates outDir. Deterministic: the same
 * options give byte-identical files.
 */
export async function writeDemoCommunity(outDir: string, options: DemoOptions): Promise<DemoManifest> {
  const o = resolveDemoOptions(options);
  const net = buildNetwork(o);
  const talk = talkOrder(net);
  await mkdir(outDir, { recursive: true });
  const accounts: DemoAccount[] = [];
  let bytes = 0;
  for (let a = 0; a < o.accounts; a++) {
    const spec = communityArchiveSpec(o, net, a, talk[a]!);
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
  const manifest: DemoManifest = {
    seed: o.seed,
    population: o.population,
    communities: o.communities,
    accounts,
    bytes,
  };
  await writeFile(join(outDir, DEMO_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** `talk`: the accounts archive account `a` follows, in the order its tweets name them (circle.ts). */
function communityArchiveSpec(o: ResolvedOptions, net: Network, a: number, talk: readonly number[]): ArchiveSpec {
  const seed = mix32(o.seed, 0xa7, a);
  const rng = createRng(seed);
  const person = net.people[a]!;
  const quirks = new Set(plannedQuirks(a));
  const following = net.following[a]!;
  const idsOf = (list: readonly number[]) => () => list.map((p) => net.people[p]!.id);
  const exportMs = quirks.has('unwrapped-tweets')
    ? TWEET_WRAPPER_CHANGE_MS - rng.int(1, 300) * DAY_MS
    : LATEST_EXPORT_MS - rng.int(0, 540) * DAY_MS;
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
    circle: talk.map((p) => net.people[p]!),
    quirks,
  };
}

/**
 * One clean archive with exactly the requested counts, for benchmarks (e.g. 250 MB). Streams to
 * `path` without ever holding the whole file in memory. Returns bytes written.
 */
export async function writeSingleArchive(path: string, options: SingleArchiveOptions): Promise<number> {
  if (!USERNAME_RE.test(options.username)) throw new RangeError(`invalid username: ${options.username}`);
  if (!/^[1-9]\d{0,19}$/.test(options.accountId))
    throw new RangeError(`accountId must be a decimal string, got ${options.accountId}`);
  for (const key of ['tweets', 'likes', 'followers', 'following'] as const) requireInt(key, options[key], 0);
  const seed = requireInt('seed', options.seed ?? 42, 0, 2 ** 32 - 1);
  // Follower and following ids are population indices, which must stay below MAX_ITEMS to be unique.
  const followingStart = Math.floor(options.followers * 0.7);
  requireInt('followers * 0.7 + following', followingStart + options.following + 1, 0);
  const rng = createRng(mix32(seed, 0x5e));
  const owner: Identity = {
    id: options.accountId,
    username: options.username,
    name: demoDisplayName(rng, options.username),
  };
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
    circle: [],
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
