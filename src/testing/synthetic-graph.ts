/**
 * A synthetic cache with the shape of the original's largest graph (docs/BENCHMARKS.md, "Graph
 * engine": 95,000 accounts, 322,000 follows): a few hundred archive accounts whose follow lists
 * reach a large shadow population, and shadow-to-shadow follows as the enricher records them.
 * Popularity follows a Zipf law, so a few accounts are followed by thousands. Written straight
 * into the cache tables (the import path has its own benchmark); deterministic for a seed. Used by
 * the benchmarks and the API's tests at scale.
 */
import { BulkInsert } from '../db/bulk-insert.js';
import { CommunityStore } from '../db/community-store.js';
import type { Db } from '../db/database.js';
import { createRng } from '../rng.js';

export interface SyntheticGraphOptions {
  archives: number;
  accounts: number;
  edges: number;
  seed?: number;
}

const BASE = 1_700_000_000_000_000_000n;
const NOW = '2025-06-01 00:00:00';

export function writeSyntheticGraph(db: Db, options: SyntheticGraphOptions): { accounts: number; edges: number } {
  const rng = createRng(options.seed ?? 95_000);
  const id = (i: number) => String(BASE + BigInt(i));
  const edges = new Set<number>(); // u * accounts + v
  const { accounts, archives } = options;
  // Half the follows come from archive lists (both directions), half from shadow lists.
  while (edges.size < options.edges) {
    const fromArchive = rng.chance(0.5);
    const popular = rng.zipf(accounts, 1.1); // a popular account, by rank
    const other = fromArchive ? rng.int(0, archives - 1) : rng.int(0, accounts - 1);
    const [u, v] = rng.chance(0.5) ? [other, popular] : [popular, other];
    if (u !== v) edges.add(u * accounts + v);
  }
  db.transaction(() => {
    const profiles = new BulkInsert(
      db,
      'INSERT INTO archive_profiles (account_id, username, num_followers, num_tweets, num_likes, imported_at)',
      6,
    );
    profiles.run(
      Array.from({ length: archives }, (_, i) => [
        id(i),
        `archive_${i}`,
        rng.int(10, 50_000),
        rng.int(0, 60_000),
        rng.int(0, 300_000),
        NOW,
      ]).flat(),
    );
    const shadows = new BulkInsert(
      db,
      'INSERT INTO shadow_account (account_id, username, followers_count, following_count, source_channel, fetched_at)',
      6,
    );
    const shadowRows: unknown[] = [];
    for (let i = archives; i < accounts; i++)
      shadowRows.push(id(i), `shadow_${i}`, rng.int(0, 20_000), rng.int(0, 5_000), 'synthetic', NOW);
    shadows.run(shadowRows);
    const following = new BulkInsert(
      db,
      'INSERT OR IGNORE INTO archive_following (account_id, following_account_id, imported_at)',
      3,
    );
    const followers = new BulkInsert(
      db,
      'INSERT OR IGNORE INTO archive_followers (account_id, follower_account_id, imported_at)',
      3,
    );
    const shadowEdges = new BulkInsert(
      db,
      'INSERT OR IGNORE INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at)',
      5,
    );
    const rows = { following: [] as unknown[], followers: [] as unknown[], shadow: [] as unknown[] };
    for (const key of edges) {
      const u = Math.floor(key / accounts);
      const v = key % accounts;
      if (u < archives) rows.following.push(id(u), id(v), NOW);
      else if (v < archives) rows.followers.push(id(v), id(u), NOW);
      else rows.shadow.push(id(u), id(v), 'outbound', 'synthetic', NOW);
    }
    following.run(rows.following);
    followers.run(rows.followers);
    shadowEdges.run(rows.shadow);
  }).immediate();
  return { accounts, edges: edges.size };
}

/**
 * Names `count` communities over a synthetic graph and gives each `seedsPer` seeds: the most followed accounts
 * (the lowest indexes), dealt round-robin, so every community starts from hubs and propagation reaches everyone.
 * The graph has no planted structure: this is for measuring speed at scale, not quality. Returns the short names.
 */
export function nameSyntheticCommunities(db: Db, count: number, seedsPer: number): string[] {
  const store = new CommunityStore(db, 'bench');
  const shorts = Array.from({ length: count }, (_, c) => `c${c + 1}`);
  db.transaction(() => {
    for (const [c, short] of shorts.entries()) {
      store.add({ short, name: `Community ${c + 1}` });
      const seeds = Array.from({ length: seedsPer }, (_, k) => String(BASE + BigInt(k * count + c)));
      store.addSeeds(short, seeds);
    }
  })();
  return shorts;
}
