/**
 * graphNameCounts: the graph's accounts by the source of their names, counted in SQL, on a cache
 * that has every case buildGraph handles — and the same figures as the graph buildGraph builds.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/build.js';
import { tempDir } from '../testing/fixtures.js';
import { namesOfBuiltGraph } from '../testing/graph-names.js';
import { openDatabase, type Db } from './database.js';
import { graphNameCounts } from './summary.js';

const ALICE = '1700000000000000001'; // archive owner
const BOB = '1700000000000000002'; // archive owner, also in the REST account table
const CAROL = '1700000000000000003'; // REST account only
const DAN = '1700000000000000004'; // REST account without a handle
const X = '1700000000000000010'; // followed, named by nothing
const MIA = '1700000000000000011'; // followed, named by mentioned_users
const NORA = '1700000000000000012'; // followed, named by a mention in an archive
const PIA = '1700000000000000013'; // followed, named by both: mentioned_users ranks first
const QUIN = '1700000000000000014'; // mentioned_users without a handle; named by a mention
const TESS = '1700000000000000015'; // shadow account an archive follows, also mentioned
const UMA = '1700000000000000016'; // shadow account an archive follows, never mentioned
const SAM = '1700000000000000017'; // shadow account reached only by shadow follows
const LONER = '1700000000000000018'; // only in a self-follow: not an account of the graph

describe('graphNameCounts', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeAll(() => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'cache.db'));
    const now = "'2025-01-01 00:00:00'";
    db.exec(`
      INSERT INTO archive_profiles (account_id, username, imported_at) VALUES ('${ALICE}', 'alice', ${now}),
        ('${BOB}', 'bob', ${now});
      INSERT INTO account (account_id, username) VALUES ('${BOB}', 'bob'), ('${CAROL}', 'carol'), ('${DAN}', NULL);
      INSERT INTO archive_following (account_id, following_account_id, imported_at) VALUES
        ('${ALICE}', '${X}', ${now}), ('${ALICE}', '${MIA}', ${now}), ('${ALICE}', '${NORA}', ${now}),
        ('${ALICE}', '${PIA}', ${now}), ('${ALICE}', '${QUIN}', ${now}), ('${ALICE}', '${TESS}', ${now}),
        ('${ALICE}', '${UMA}', ${now});
      INSERT INTO archive_followers (account_id, follower_account_id, imported_at)
        VALUES ('${ALICE}', '${ALICE}', ${now});
      INSERT INTO followers (account_id, follower_account_id) VALUES ('${CAROL}', '${BOB}'), ('${LONER}', '${LONER}');
      INSERT INTO mentioned_users (user_id, name, screen_name) VALUES ('${MIA}', 'Mia', 'mia'),
        ('${PIA}', 'Pia', 'pia'), ('${QUIN}', 'Quin', NULL), ('${LONER}', 'Loner', 'loner');
      INSERT INTO mention_names (account_id, username, display_name, seen_at) VALUES
        ('${NORA}', 'nora', 'Nora', ${now}), ('${PIA}', 'pia_old', 'Pia', ${now}), ('${QUIN}', 'quin', 'Quin', ${now}),
        ('${TESS}', 'tess_mentioned', 'Tess', ${now});
      INSERT INTO shadow_account (account_id, username, source_channel, fetched_at) VALUES
        ('${SAM}', 'sam', 'browser', ${now}), ('${TESS}', 'tess', 'browser', ${now}),
        ('${UMA}', 'uma', 'browser', ${now}),
        ('shadow:alice', 'alice', 'browser', ${now}), ('shadow:zed', 'zed', 'browser', ${now});
      INSERT INTO shadow_edge (source_id, target_id, direction, source_channel, fetched_at) VALUES
        ('${SAM}', '${ALICE}', 'inbound', 'browser', ${now}),
        ('shadow:alice', '${SAM}', 'outbound', 'browser', ${now}),
        ('shadow:alice', '${ALICE}', 'outbound', 'browser', ${now}),
        ('shadow:zed', '${BOB}', 'inbound', 'browser', ${now}),
        ('shadow:ghost', '${X}', 'outbound', 'browser', ${now});
    `);
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  it('with the shadow graph: placeholders merged or kept, self-follows reaching nobody, mentions ranked', () => {
    const counts = graphNameCounts(db, { includeShadow: true });
    // archive: alice, bob; REST: carol, mia, pia; mention: nora, quin; shadow: sam, tess, uma, zed;
    // unnamed: dan, X, shadow:ghost. Not the loner, nor a second alice.
    expect(counts).toEqual({ nodes: 14, archive: 2, rest: 3, mention: 2, shadow: 4, unnamed: 3 });
    expect(namesOfBuiltGraph(db, buildGraph(db, { includeShadow: true }))).toEqual(counts);
  });

  it("without it: a shadow account reached by a follow is known by id, named by X's name only if mentioned", () => {
    const counts = graphNameCounts(db, { includeShadow: false });
    // shadow: tess (mentioned, and the shadow name ranks first); unnamed: dan, X, uma. No sam, zed or ghost.
    expect(counts).toEqual({ nodes: 11, archive: 2, rest: 3, mention: 2, shadow: 1, unnamed: 3 });
    const built = buildGraph(db, { includeShadow: false });
    expect(namesOfBuiltGraph(db, built)).toEqual(counts);
    expect(built.nodes.find((n) => n.accountId === TESS)).toMatchObject({ username: 'tess', provenance: 'mentioned' });
    expect(built.nodes.find((n) => n.accountId === UMA)).toMatchObject({ username: null, provenance: 'id' });
  });

  it('an empty cache has no accounts', () => {
    const empty = openDatabase(join(dir.path, 'empty.db'));
    expect(graphNameCounts(empty, { includeShadow: true })).toEqual({
      nodes: 0,
      archive: 0,
      rest: 0,
      mention: 0,
      shadow: 0,
      unnamed: 0,
    });
    empty.close();
  });
});
