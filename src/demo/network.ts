/**
 * The demo network: a population of accounts split into communities, Zipf popularity, and the
 * follow graph of the archive accounts (following lists, and followers among archive and
 * non-archive accounts). A pure function of the resolved options.
 */
import { createRng, mix32, type Rng } from '../rng.js';
import { ARCHIVE_ACCOUNT_TO_MS, POPULATION_ACCOUNT_TO_MS, accountIdentity } from './ids.js';
import { demoDisplayName, demoUsername } from './names.js';
import type { ResolvedOptions } from './options.js';

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

export interface Person {
  id: string;
  username: string;
  name: string;
  createdMs: number;
  community: number;
}

export interface Network {
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
function sampleDistinct(
  rng: Rng,
  count: number,
  draw: () => number,
  exclude: number,
  sweep: readonly number[],
): Set<number> {
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
export function sizeAround(rng: Rng, mean: number, max: number): number {
  if (mean <= 0) return 0;
  const x = mean * Math.exp(SIZE_SIGMA * rng.normal() - (SIZE_SIGMA * SIZE_SIGMA) / 2);
  return Math.min(max, Math.max(1, Math.round(Math.min(x, mean * 10))));
}

export function buildNetwork(o: ResolvedOptions): Network {
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
function addPopulationFollowers(
  o: ResolvedOptions,
  people: Person[],
  pop: Popularity,
  following: Set<number>[],
  followers: Set<number>[],
  rng: Rng,
): void {
  const nonArchive = pop.global.filter((p) => p >= o.accounts);
  if (nonArchive.length === 0) return;
  for (let a = 0; a < o.accounts; a++) {
    const share = (FOLLOWER_SHARE_OF_TOP_HUB * (0.7 + 0.6 * rng.next())) / (pop.archiveRank[a]! + 1) ** FOLLOWER_DECAY;
    const count = Math.min(nonArchive.length, Math.round(nonArchive.length * share));
    const own = pop.nonArchiveByCommunity[people[a]!.community]!;
    const draw = (): number =>
      own.length > 0 && rng.chance(IN_COMMUNITY_FOLLOWER) ? rng.pick(own) : rng.pick(nonArchive);
    const target = followers[a]!;
    for (const p of sampleDistinct(rng, count, draw, a, nonArchive)) target.add(p);
    for (const p of following[a]!) if (p >= o.accounts && rng.chance(FOLLOW_BACK)) target.add(p);
  }
}
