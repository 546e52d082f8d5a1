/** buildGraph on a small cache that exercises every rule of buildGraph. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/database.js';
import { tempDir } from '../testing/fixtures.js';
import { buildGraph, type BuiltGraph } from './build.js';
import { forEachPair, kindNames } from './interactions.js';

const A = '1700000000000000001'; // alice: archive
const B = '1700000000000000002'; // bob: archive and REST
const C = '1700000000000000003'; // carol: REST only
const M = '1700000000000000055'; // mia: known only from mentioned_users
const X = '1700000000000000099'; // known only by its id: nobody names it
const S = '1700000000000000077'; // sam: shadow account

function edgesOf(built: BuiltGraph, only: 'all' | 'shadow' = 'all'): string[] {
  const { graph, nodes } = built;
  const name = (i: number) => nodes[i]!.username ?? nodes[i]!.accountId;
  const edges: string[] = [];
  for (let u = 0; u < graph.nodeCount; u++) {
    for (let k = graph.outOffsets[u]!; k < graph.outOffsets[u + 1]!; k++) {
      if (only === 'all' || built.edgeShadow[k] === 1) edges.push(`${name(u)}>${name(graph.outTargets[k]!)}`);
    }
  }
  return edges.sort();
}

describe('buildGraph', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeAll(() => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'cache.db'));
    const now = "'2025-01-01 00:00:00'";
    db.exec(`
      INSERT INTO archive_profiles (account_id, username, num_followers, num_tweets, num_likes, imported_at)
        VALUES ('${A}', 'alice', 10, 5, 15, ${now}), ('${B}', 'bob', NULL, 1, 1, ${now});
      INSERT INTO account (account_id, username, num_followers) VALUES ('${B}', 'bob', 20), ('${C}', 'carol', 3);
      INSERT INTO archive_following (account_id, following_account_id, imported_at) VALUES ('${A}', '${B}', ${now}),
      ('${A}', '${C}', ${now}), ('${A}', '${X}', ${now}), ('${A}', '${M}', ${now});
      INSERT INTO archive_followers (account_id, follower_account_id, imported_at) VALUES ('${A}', '${B}', ${now}),
      ('${A}', '${A}', ${now});
      INSERT INTO followers (account_id, follower_account_id) VALUES ('${C}', '${B}');
      INSERT INTO following (account_id, following_account_id) VALUES ('${A}', '${B}');
      INSERT INTO mentioned_users (user_id, name, screen_name) VALUES ('${M}', 'Mia', 'mia');
      INSERT INTO shadow_account (account_id, username, source_channel, fetched_at) VALUES
        ('${S}', 'sam', 'browser', ${now}), ('shadow:alice', 'alice', 'browser', ${now}),
        ('shadow:zed', 'zed', 'browser', ${now});
      INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at) VALUES
        ('${S}', '${A}', 'inbound', 'browser', ${now}), ('shadow:alice', '${S}', 'outbound', 'browser', ${now}),
        ('shadow:zed', '${B}', 'inbound', 'browser', ${now});
      INSERT INTO archive_interactions (account_id, target_account_id, kind, count, last_at) VALUES
        ('${A}', '${B}', 'mention', 2, ${now}), ('${A}', '${X}', 'reply', 1, ${now});
      INSERT INTO rest_interactions (account_id, target_account_id, kind, count, last_at) VALUES
        ('${A}', '${C}', 'mention', 5, ${now}), ('${A}', '${B}', 'like', 3, NULL), ('${C}', '${B}', 'reply', 1, ${now}),
        ('${B}', '${C}', 'quote', 4, ${now}), ('${C}', '999', 'mention', 1, ${now});
    `);
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  it('keeps every follow, naming id-only accounts through mentioned_users; drops self-loops, repeats', () => {
    const built = buildGraph(db, { includeShadow: false });
    expect(built.nodes.map((n) => [n.username ?? n.accountId, n.provenance])).toEqual([
      ['alice', 'archive'],
      ['bob', 'archive'],
      ['carol', 'archive'],
      ['mia', 'mentioned'],
      [X, 'id'],
    ]);
    expect(edgesOf(built)).toEqual(
      ['alice>bob', 'alice>carol', `alice>${X}`, 'alice>mia', 'bob>alice', 'bob>carol'].sort(),
    );
    expect(built.dropped).toEqual({ selfLoops: 1, interactionsOutside: 0 });
    // The archive's own counts win; the REST table fills what the archive lacks.
    expect(built.nodes.find((n) => n.username === 'bob')).toMatchObject({ numFollowers: 20, numTweets: 1 });
    expect(built.graph.ids.every((id) => typeof id === 'string')).toBe(true);
  });

  it('adds shadow accounts and edges by default, merging shadow:<handle> into the real account', () => {
    const built = buildGraph(db);
    expect(built.nodes.map((n) => n.username ?? n.accountId)).toEqual([
      'alice',
      'bob',
      'carol',
      'sam',
      'zed',
      'mia',
      X,
    ]);
    expect(built.nodes.filter((n) => n.username === 'alice')).toHaveLength(1);
    expect(edgesOf(built)).toEqual(
      [
        'alice>bob',
        'alice>carol',
        `alice>${X}`,
        'alice>mia',
        'alice>sam',
        'bob>alice',
        'bob>carol',
        'sam>alice',
        'zed>bob',
      ].sort(),
    );
    expect(built.nodes.find((n) => n.username === 'zed')).toMatchObject({
      accountId: 'shadow:zed',
      provenance: 'shadow',
    });
    // Edges known only from the shadow graph are flagged; bob>alice is in the archive too.
    expect(edgesOf(built, 'shadow')).toEqual(['alice>sam', 'sam>alice', 'zed>bob']);
    expect(buildGraph(db, { includeShadow: false }).edgeShadow.every((flag) => flag === 0)).toBe(true);
  });

  it('with interactions: archive rows for archive authors, REST rows for the rest and for likes', () => {
    const built = buildGraph(db, { includeShadow: false, includeInteractions: true });
    const name = (i: number) => built.nodes[i]!.username ?? built.nodes[i]!.accountId;
    const pairs: string[] = [];
    forEachPair(built.interactions!, (u, v, _w, bits) =>
      pairs.push(`${name(u)}-${name(v)}:${kindNames(bits).join('+')}`),
    );
    // alice's REST mention of carol and bob's REST quote are left out: both have archives, which hold every tweet.
    expect(pairs.sort()).toEqual(['alice-bob:mention+like', `alice-${X}:reply`, 'bob-carol:reply'].sort());
    expect(built.dropped.interactionsOutside).toBe(1);
    // The layer never adds a node, and the follows are the same as without it.
    const plain = buildGraph(db, { includeShadow: false });
    expect(built.graph.ids).toEqual(plain.graph.ids);
    expect(edgesOf(built)).toEqual(edgesOf(plain));
    expect(plain.interactions).toBeNull();
  });

  it('mutual_only keeps pairs that follow each other; min_followers drops accounts followed by too few', () => {
    expect(edgesOf(buildGraph(db, { includeShadow: false, mutualOnly: true }))).toEqual(['alice>bob', 'bob>alice']);
    const mutual = buildGraph(db, { includeShadow: true, mutualOnly: true });
    expect(edgesOf(mutual)).toEqual(['alice>bob', 'alice>sam', 'bob>alice', 'sam>alice']);
    expect(edgesOf(mutual, 'shadow')).toEqual(['alice>sam', 'sam>alice']);
    // zed is followed by nobody, so min_followers 1 drops it with its edge; the other flags stay in step.
    expect(edgesOf(buildGraph(db, { includeShadow: true, minFollowers: 1 }), 'shadow')).toEqual([
      'alice>sam',
      'sam>alice',
    ]);
    const popular = buildGraph(db, { includeShadow: false, minFollowers: 2 });
    expect(popular.nodes.map((n) => n.username)).toEqual(['carol']);
    expect(popular.graph.edgeCount).toBe(0);
    expect(() => buildGraph(db, { minFollowers: -1 })).toThrow(/minFollowers/);
  });
});
