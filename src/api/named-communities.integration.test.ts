/**
 * Named communities in the API over real HTTP on 127.0.0.1 (docs/API.md, "Named communities"):
 * graph-data's named columns and an account's membership come from the database's latest
 * propagation run, written here by another connection through the real stores while the server
 * runs — as `tpot communities propagate` does — and show on the next request without a restart.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANDS } from '../communities/types.js';
import { CommunityStore } from '../db/community-store.js';
import { openDatabase, type Db } from '../db/database.js';
import { saveRun } from '../db/membership-store.js';
import { testMembership as membership, testRun } from '../testing/stored-runs.js';
import { createApiFixture, startFixtureServer, type ApiFixture } from '../testing/api-fixture.js';
import { tempDir } from '../testing/fixtures.js';
import type { RunningServer } from './serve.js';
import type { AccountPayload, GraphDataPayload } from './wire.js';

async function getJson<T>(url: string): Promise<{ status: number; cache: string | undefined; json: T }> {
  const response = await request(url);
  const text = await response.body.text();
  const cache = response.headers['x-cache-status'];
  return {
    status: response.statusCode,
    cache: typeof cache === 'string' ? cache : undefined,
    json: JSON.parse(text) as T,
  };
}

describe('named communities in the API', () => {
  let dir: ReturnType<typeof tempDir>;
  let fixture: ApiFixture;
  let server: RunningServer;
  /** The curator's connection: another process's, as far as the server can tell. */
  let writer: Db;
  let ids: string[];
  const url = (path: string) => `${server.url}${path}`;
  const graphData = () => getJson<GraphDataPayload>(url('/api/graph-data'));
  const account = (id: string) => getJson<AccountPayload>(url(`/api/accounts/${id}?neighbours=0`));

  beforeAll(async () => {
    dir = tempDir();
    fixture = await createApiFixture(dir.path);
    server = await startFixtureServer(fixture);
    writer = openDatabase(fixture.dbPath);
    ids = fixture.demo.accounts.map((a) => a.accountId);
  });
  afterAll(async () => {
    writer?.close();
    await server?.close();
    dir.remove();
  });

  it('with no run stored, graph-data and the account answer say null and everything else is there', async () => {
    const data = await graphData();
    expect(data.status).toBe(200);
    expect(data.json.named_communities).toBeNull();
    expect(data.json.bands).toEqual(BANDS);
    expect(data.json.nodes).toMatchObject({ named_community: null, community_confidence: null, community_band: null });
    expect(data.json.nodes.community).toHaveLength(data.json.directed_nodes);
    const answer = await account(ids[0]!);
    expect(answer.status).toBe(200);
    expect(answer.json.named_community).toBeNull();
    expect(answer.json.id).toBe(ids[0]);
  });

  let runId: number;
  let communities: { id: number; short: string; name: string; color: string }[];

  it('shows a run stored while the server runs on the next graph-data, lined up with the node ids', async () => {
    const before = await graphData();
    const store = new CommunityStore(writer, 'test');
    const rationalists = store.add({ short: 'rat', name: 'Rationalists', color: '#4e79a7' });
    const builders = store.add({ short: 'build', name: 'Builders', color: '#f28e2b' });
    store.addSeeds('rat', [ids[0]!]);
    communities = [rationalists, builders].map(({ id, short, name, color }) => ({ id, short, name, color }));
    runId = saveRun(writer, testRun('2026-02-01 10:00:00', communities), [
      membership(ids[0]!, rationalists.id, 'exemplar', { [rationalists.id]: 0.9876 }),
      membership(ids[1]!, builders.id, 'bridge', { [rationalists.id]: 0.41, [builders.id]: 0.45 }, 0.12),
      membership(ids[2]!, rationalists.id, 'frontier', { [rationalists.id]: 0.2 }),
      membership(ids[3]!, null, 'unclassified', {}),
      // An account this graph does not hold: left out.
      membership('4242', builders.id, 'exemplar', { [builders.id]: 1 }),
    ]);

    const after = await graphData();
    expect(after.cache).toBe('MISS');
    expect(after.json.version).not.toBe(before.json.version);
    // The snapshot still serves the graph (the run changes no graph table); the names come from the database.
    expect(after.json.source).toBe('snapshot');
    expect(after.json.named_communities).toEqual({
      run_id: runId,
      engine: 'harmonic',
      started_at: '2026-02-01 10:00:00',
      communities: [
        { ...communities[0], members: { exemplar: 1, specialist: 0, bridge: 0, frontier: 1 } },
        { ...communities[1], members: { exemplar: 0, specialist: 0, bridge: 1, frontier: 0 } },
      ],
    });
    const { nodes } = after.json;
    const n = after.json.directed_nodes;
    for (const column of [nodes.named_community, nodes.community_confidence, nodes.community_band])
      expect(column).toHaveLength(n);
    const at = (id: string) => {
      const i = nodes.id.indexOf(id);
      expect(i).toBeGreaterThanOrEqual(0);
      return [nodes.named_community![i], nodes.community_confidence![i], after.json.bands[nodes.community_band![i]!]];
    };
    expect(at(ids[0]!)).toEqual([0, 0.988, 'exemplar']);
    expect(at(ids[1]!)).toEqual([1, 0.45, 'bridge']);
    expect(at(ids[2]!)).toEqual([0, 0.2, 'frontier']);
    expect(at(ids[3]!)).toEqual([-1, 0, 'unclassified']);
    // Accounts the run did not see are unplaced.
    expect(at(ids[4]!)).toEqual([-1, 0, 'unclassified']);
    expect(nodes.named_community!.filter((k) => k >= 0)).toHaveLength(3);
    expect((await graphData()).cache).toBe('HIT');
  });

  it("gives an account's membership: its top community, band, every weight (highest first) and its seed", async () => {
    const bridge = (await account(ids[1]!)).json.named_community;
    expect(bridge).toEqual({
      short: 'build',
      name: 'Builders',
      color: '#f28e2b',
      confidence: 0.45,
      band: 'bridge',
      uncertainty: 0.12,
      memberships: [
        { short: 'build', name: 'Builders', weight: 0.45 },
        { short: 'rat', name: 'Rationalists', weight: 0.41 },
      ],
      seed_of: null,
    });
    expect((await account(ids[0]!)).json.named_community).toMatchObject({
      short: 'rat',
      band: 'exemplar',
      confidence: 0.9876,
      seed_of: 'rat',
    });
    // A handle finds the same account.
    const handle = fixture.demo.accounts[0]!.username;
    expect((await account(handle)).json.named_community?.seed_of).toBe('rat');
    expect((await account(ids[3]!)).json.named_community).toMatchObject({
      short: null,
      name: null,
      color: null,
      band: 'unclassified',
      memberships: [],
    });
    expect((await account(ids[4]!)).json.named_community).toBeNull();
  });

  it('shows the next run on the next request, without a restart', async () => {
    const [rationalists, builders] = communities;
    const next = saveRun(writer, testRun('2026-02-02 10:00:00', communities), [
      membership(ids[1]!, rationalists!.id, 'specialist', { [rationalists!.id]: 0.7, [builders!.id]: 0.1 }),
      membership(ids[4]!, builders!.id, 'exemplar', { [builders!.id]: 0.95 }),
    ]);
    expect(next).toBeGreaterThan(runId);
    const data = (await graphData()).json;
    expect(data.named_communities).toMatchObject({ run_id: next, started_at: '2026-02-02 10:00:00' });
    expect(data.named_communities!.communities.map((c) => c.members)).toEqual([
      { exemplar: 0, specialist: 1, bridge: 0, frontier: 0 },
      { exemplar: 1, specialist: 0, bridge: 0, frontier: 0 },
    ]);
    const i = data.nodes.id.indexOf(ids[0]!);
    expect(data.nodes.named_community![i]).toBe(-1);
    expect(data.nodes.named_community![data.nodes.id.indexOf(ids[4]!)]).toBe(1);
    expect((await account(ids[1]!)).json.named_community).toMatchObject({ short: 'rat', band: 'specialist' });
    expect((await account(ids[0]!)).json.named_community).toBeNull();
  });

  it('carries the named columns on a live build too (other filters than the snapshot)', async () => {
    const live = (await getJson<GraphDataPayload>(url('/api/graph-data?include_shadow=false'))).json;
    expect(live.source).toBe('live_build');
    const i = live.nodes.id.indexOf(ids[4]!);
    expect(live.named_communities?.communities[live.nodes.named_community![i]!]?.short).toBe('build');
    expect(live.nodes.community_band!.every((b) => b >= 0 && b < BANDS.length)).toBe(true);
  });
});
