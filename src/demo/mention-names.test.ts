/**
 * The default demo community (what `tpot start` loads) imported through the real importer: its
 * members' tweets name most of the accounts the archives know only by id, on the same follow graph
 * and archive contents as the figures docs/DATA-MODEL.md and docs/API.md show; and `tpot status`'s
 * count of names (db/summary.ts) is the graph builder's.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveImporter } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import { openDatabase, type Db } from '../db/database.js';
import { graphNameCounts, rowCounts } from '../db/summary.js';
import { buildGraph } from '../graph/build.js';
import { tempDir } from '../testing/fixtures.js';
import { namesOfBuiltGraph } from '../testing/graph-names.js';
import { writeDemoCommunity } from './generator.js';
import { DEFAULT_DEMO_ACCOUNTS } from './options.js';

describe('the default demo community, imported', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeAll(async () => {
    dir = tempDir();
    await writeDemoCommunity(join(dir.path, 'demo'), { accounts: DEFAULT_DEMO_ACCOUNTS });
    db = openDatabase(join(dir.path, 'cache.db'));
    const source = new DirectoryArchiveSource(join(dir.path, 'demo'));
    expect((await new ArchiveImporter({ db, source, parsers: 0 }).importAll()).imported).toBe(DEFAULT_DEMO_ACCOUNTS);
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  it('keeps its follow graph and archive contents', () => {
    expect(rowCounts(db, ['archive_following', 'archive_followers', 'archive_tweets', 'archive_likes'])).toEqual({
      archive_following: 17_502,
      archive_followers: 19_544,
      archive_tweets: 2_411,
      archive_likes: 7_553,
    });
  });

  it('names most accounts known only by id through mentions, the same count as the graph built', () => {
    const counts = graphNameCounts(db, { includeShadow: true });
    expect(counts).toEqual({ nodes: 3_000, archive: 120, rest: 0, mention: 2_524, shadow: 0, unnamed: 356 });
    expect(counts.mention / (counts.nodes - counts.archive)).toBeGreaterThan(0.8);
    const built = buildGraph(db);
    expect(namesOfBuiltGraph(db, built)).toEqual(counts);
    expect(built.nodes.filter((n) => n.provenance === 'mentioned')).toHaveLength(counts.mention);
  });
});
