/**
 * An account the archives know only as a follow target gets its handle and display name from a
 * mention in an archive's tweet: in the graph built, in the snapshot and the live build that
 * GET /api/graph-data serves, in the search the explorer's search box asks (GET
 * /api/accounts/search), and in the names `tpot status` counts (GET /api/status).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveImporter } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import { openDatabase } from '../db/database.js';
import { buildGraph } from '../graph/build.js';
import { GRAPH_DEFAULTS } from '../graph/params.js';
import { refreshSnapshot } from '../graph/refresh.js';
import type { SystemStatus } from '../ops/status.js';
import { startFixtureServer } from '../testing/api-fixture.js';
import { buildArchive, tempDir, twitterDate } from '../testing/fixtures.js';
import type { RunningServer } from './serve.js';
import type { GraphDataPayload, SearchPayload } from './wire.js';

const OWNER = '1610000000000000001';
/** Followed by the owner and mentioned in one of its tweets. */
const FRIEND = '1610000000000000002';
/** Followed by the owner and never mentioned: stays known by id only. */
const STRANGER = '1610000000000000003';

/** The owner's archive: it follows both, and one tweet mentions the friend. */
function ownerArchive(): Buffer {
  const archive = JSON.parse(
    buildArchive({ accountId: OWNER, username: 'owner', following: [FRIEND, STRANGER] }).toString('utf8'),
  ) as Record<string, unknown>;
  archive.tweets = [
    {
      tweet: {
        id_str: '1700000000000000001',
        full_text: 'thinking about this with @quiet_gardener',
        created_at: twitterDate(new Date(Date.UTC(2024, 2, 1, 12))),
        favorite_count: '3',
        retweet_count: '0',
        entities: {
          hashtags: [],
          symbols: [],
          urls: [],
          user_mentions: [
            { id_str: FRIEND, screen_name: 'quiet_gardener', name: 'Quiet Gardener', indices: ['25', '40'] },
          ],
        },
      },
    },
  ];
  return Buffer.from(JSON.stringify(archive));
}

async function getJson<T>(url: string): Promise<T> {
  const response = await request(url);
  expect(response.statusCode).toBe(200);
  return (await response.body.json()) as T;
}

describe('an account known only as a follow target, named by a mention', () => {
  let dir: ReturnType<typeof tempDir>;
  let server: RunningServer;
  beforeAll(async () => {
    dir = tempDir();
    const dataDir = join(dir.path, 'data');
    mkdirSync(join(dir.path, 'config'), { recursive: true });
    mkdirSync(join(dir.path, 'archives', 'owner'), { recursive: true });
    writeFileSync(join(dir.path, 'archives', 'owner', 'archive.json'), ownerArchive());
    mkdirSync(dataDir, { recursive: true });
    const db = openDatabase(join(dataDir, 'cache.db'));
    try {
      const source = new DirectoryArchiveSource(join(dir.path, 'archives'));
      expect((await new ArchiveImporter({ db, source, parsers: 0 }).importAll()).imported).toBe(1);
      refreshSnapshot(db, dataDir, { ...GRAPH_DEFAULTS, seeds: [], layoutIterations: 20 });
    } finally {
      db.close();
    }
    server = await startFixtureServer({ root: dir.path, dataDir });
  });
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });

  it('is named in the graph built, the other one stays known by id only', () => {
    const db = openDatabase(join(dir.path, 'data', 'cache.db'), { readonly: true });
    try {
      const nodes = buildGraph(db).nodes.map((n) => [n.accountId, n.username, n.displayName, n.provenance]);
      expect(nodes.sort()).toEqual(
        [
          [OWNER, 'owner', 'OWNER', 'archive'],
          [FRIEND, 'quiet_gardener', 'Quiet Gardener', 'mentioned'],
          [STRANGER, null, null, 'id'],
        ].sort(),
      );
    } finally {
      db.close();
    }
  });

  it('is named in /api/graph-data, from the snapshot and from a live build', async () => {
    for (const [path, source] of [
      ['/api/graph-data', 'snapshot'],
      ['/api/graph-data?force_rebuild=true', 'live_build'],
    ] as const) {
      const data = await getJson<GraphDataPayload>(`${server.url}${path}`);
      expect(data.source).toBe(source);
      const row = (id: string) => {
        const i = data.nodes.id.indexOf(id);
        return [data.nodes.username[i], data.nodes.display_name[i], data.provenances[data.nodes.provenance[i]!]];
      };
      expect(row(FRIEND)).toEqual(['quiet_gardener', 'Quiet Gardener', 'mentioned']);
      expect(row(STRANGER)).toEqual([null, null, 'id']);
    }
  });

  it("is found by the explorer's search, by handle and by display name", async () => {
    for (const q of ['quiet_g', '@Quiet_Gardener', 'quiet gard']) {
      const found = await getJson<SearchPayload>(`${server.url}/api/accounts/search?q=${encodeURIComponent(q)}`);
      expect(found.results.map((r) => [r.id, r.username, r.provenance])).toEqual([
        [FRIEND, 'quiet_gardener', 'mentioned'],
      ]);
    }
  });

  it('is counted as named by a mention in /api/status', async () => {
    const status = await getJson<SystemStatus>(`${server.url}/api/status`);
    expect(status.graph_names).toEqual({ nodes: 3, archive: 1, rest: 0, mention: 1, shadow: 0, unnamed: 1 });
  });
});
