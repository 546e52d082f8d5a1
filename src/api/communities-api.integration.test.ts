/**
 * The communities and curation endpoints over real HTTP on 127.0.0.1 (docs/API.md, "Communities" and
 * "Curation"): every write goes through the real curation store into the database and its history, bad input is a
 * 400 naming the field with nothing changed, and the server's own writes keep the graph caches while another
 * connection's commit drops them.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommunityStore } from '../db/community-store.js';
import { openDatabase, type Db } from '../db/database.js';
import { saveRun, type AccountMembership } from '../db/membership-store.js';
import { testMembership as membership, testRun } from '../testing/stored-runs.js';
import { createApiFixture, startFixtureServer, type ApiFixture } from '../testing/api-fixture.js';
import { tempDir } from '../testing/fixtures.js';
import type { RunningServer } from './serve.js';
import type {
  AccountCurationPayload,
  CommunitiesPayload,
  CommunityCandidatesPayload,
  CommunityMembersPayload,
  CommunityPagePayload,
  CommunityPayload,
  ErrorPayload,
  GraphDataPayload,
  HistoryEntryPayload,
  RestorePayload,
  VersionPayload,
} from './wire.js';

interface Answer<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: T;
}

async function call<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>> {
  const response = await request(`${base}${path}`, {
    method: method as 'GET',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, json: JSON.parse(text) as T };
}

describe('the communities API', () => {
  let dir: ReturnType<typeof tempDir>;
  let fixture: ApiFixture;
  let server: RunningServer;
  /** Another connection, as `tpot communities` or a propagation would be. */
  let other: Db;
  let ids: string[];
  let handles: string[];
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(server.url, method, path, body);
  const history = async () =>
    (await api<{ entries: HistoryEntryPayload[] }>('GET', '/api/curation/history?limit=500')).json.entries;

  beforeAll(async () => {
    dir = tempDir();
    fixture = await createApiFixture(dir.path);
    server = await startFixtureServer(fixture);
    other = openDatabase(fixture.dbPath);
    ids = fixture.demo.accounts.map((a) => a.accountId);
    handles = fixture.demo.accounts.map((a) => a.username);
  });
  afterAll(async () => {
    other?.close();
    await server?.close();
    dir.remove();
  });

  let rat: CommunityPayload;
  let build: CommunityPayload;

  it('creates communities, each write recorded in the history as the API', async () => {
    const created = await api<CommunityPayload>('POST', '/api/communities', {
      short: 'rat',
      name: 'Rationalists',
      color: '#4E79A7',
    });
    expect(created.status).toBe(201);
    rat = created.json;
    expect(rat).toMatchObject({ short: 'rat', name: 'Rationalists', color: '#4e79a7', seed_count: 0, members: null });
    build = (await api<CommunityPayload>('POST', '/api/communities', { short: 'build', name: 'Builders' })).json;
    expect(build.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(build.color).not.toBe(rat.color);

    const list = await api<CommunitiesPayload>('GET', '/api/communities');
    expect(list.json.run).toBeNull();
    expect(list.json.communities.map((c) => c.short)).toEqual(['build', 'rat']);
    const rows = await history();
    expect(rows.map((r) => [r.action, r.actor, r.community_id])).toEqual([
      ['community.add', 'api', build.id],
      ['community.add', 'api', rat.id],
    ]);
  });

  it('refuses bad input with a 400 naming the field (or the value at fault) and changes nothing', async () => {
    const before = await history();
    const cases: [string, string, unknown, string | null][] = [
      ['POST', '/api/communities', { short: '1abc', name: 'X' }, 'short'],
      ['POST', '/api/communities', { short: 'ok', name: '' }, 'name'],
      ['POST', '/api/communities', { short: 'ok', name: 'Ok', color: 'red' }, 'color'],
      ['POST', '/api/communities', { short: 'ok', name: 'Ok', extra: 1 }, 'extra'],
      ['POST', '/api/communities', { short: 'rat', name: 'Another' }, null],
      ['PATCH', `/api/communities/${rat.id}`, {}, 'body'],
      ['PATCH', '/api/communities/rat', { description: 'x'.repeat(2001) }, 'description'],
      ['POST', '/api/communities/rat/seeds', { accounts: [] }, 'accounts'],
      ['POST', '/api/communities/rat/seeds', { accounts: ['not a handle!'] }, 'accounts.0'],
      ['POST', '/api/communities/rat/seeds', { accounts: [handles[0], 'nobodyknowsme'] }, null],
      ['POST', '/api/curation/versions', { name: '../etc' }, 'name'],
      ['POST', `/api/accounts/${ids[0]}/tags`, { add: ['Not A Tag'] }, 'add.0'],
      ['POST', `/api/accounts/${ids[0]}/tags`, {}, 'add'],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await api<ErrorPayload>(method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      if (field) expect(answer.json.field).toBe(field);
      else expect(answer.json.error).toMatch(/taken|Not in the graph: nobodyknowsme/);
    }
    expect(await history()).toEqual(before);
    expect((await api<CommunityPagePayload>('GET', '/api/communities/rat')).json.seeds).toEqual([]);
  });

  it('answers 404 for a community or version that does not exist', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/communities/nope', undefined],
      ['GET', '/api/communities/999/members', undefined],
      ['PATCH', '/api/communities/nope', { name: 'X' }],
      ['DELETE', '/api/communities/nope', undefined],
      ['POST', '/api/curation/versions/never-saved/restore', undefined],
    ] as const) {
      const answer = await api<ErrorPayload>(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.json.error).toMatch(/Unknown (community|version)/);
    }
  });

  it('adds seeds by handle or id and removes one; a seed of another community is refused', async () => {
    const added = await api<{ added: string[]; skipped: string[]; community: CommunityPayload }>(
      'POST',
      '/api/communities/rat/seeds',
      { accounts: [`@${handles[0]}`, ids[1]], note: 'core' },
    );
    expect(added.status).toBe(200);
    expect(added.json.added).toEqual([ids[0], ids[1]]);
    expect(added.json.community.seed_count).toBe(2);
    const again = await api<{ added: string[]; skipped: string[] }>('POST', `/api/communities/${rat.id}/seeds`, {
      accounts: [ids[0]],
    });
    expect(again.json).toMatchObject({ added: [], skipped: [ids[0]] });
    const elsewhere = await api<ErrorPayload>('POST', '/api/communities/build/seeds', { accounts: [ids[0]] });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.error).toMatch(/already a seed of rat/);
    await api('POST', '/api/communities/build/seeds', { accounts: [ids[2], ids[3]] });

    const page = await api<CommunityPagePayload>('GET', '/api/communities/rat');
    expect(page.json.seeds.map((s) => [s.id, s.username, s.in_graph, s.note, s.added_by])).toEqual(
      [
        [ids[0], handles[0], true, 'core', 'api'],
        [ids[1], handles[1], true, 'core', 'api'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );

    const removed = await api<{ removed: string[] }>('DELETE', `/api/communities/build/seeds/${handles[3]}`);
    expect(removed.json.removed).toEqual([ids[3]]);
    const notSeed = await api<ErrorPayload>('DELETE', `/api/communities/build/seeds/${ids[3]}`);
    expect(notSeed.status).toBe(400);
    expect(notSeed.json.error).toMatch(/is not a seed of build/);
  });

  it("keeps the graph caches on the server's own writes, and drops them on another connection's commit", async () => {
    const first = await api<GraphDataPayload>('GET', '/api/graph-data');
    await api('GET', '/api/graph-data');
    const patched = await api<CommunityPayload>('PATCH', '/api/communities/rat', {
      description: 'Reasoning in public',
    });
    expect(patched.json.description).toBe('Reasoning in public');
    const after = await api<GraphDataPayload>('GET', '/api/graph-data');
    expect(after.headers['x-cache-status']).toBe('HIT');
    expect(after.json.version).toBe(first.json.version);

    new CommunityStore(other, 'cli').describe('build', 'Making things');
    const changed = await api<GraphDataPayload>('GET', '/api/graph-data');
    expect(changed.headers['x-cache-status']).toBe('MISS');
    expect(changed.json.version).not.toBe(first.json.version);
    // And the list shows the other connection's write at once.
    const list = await api<CommunitiesPayload>('GET', '/api/communities');
    expect(list.json.communities.find((c) => c.short === 'build')?.description).toBe('Making things');
  });

  it('renames, recolours and describes in one request, a history row for each change', async () => {
    const before = (await history()).length;
    const answer = await api<CommunityPayload>('PATCH', `/api/communities/${rat.id}`, {
      name: 'Rationalist Diaspora',
      short: 'ratdi',
      color: '#112233',
      description: 'Reasoning in public, still',
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: rat.id, short: 'ratdi', name: 'Rationalist Diaspora', color: '#112233' });
    const rows = await history();
    expect(rows.slice(0, rows.length - before).map((r) => r.action)).toEqual([
      'community.describe',
      'community.recolor',
      'community.rename',
    ]);
    expect((await api('GET', '/api/communities/rat')).status).toBe(404);
    expect((await api<CommunityPagePayload>('GET', '/api/communities/ratdi')).json.community.id).toBe(rat.id);
  });

  it("lists a community's members of the latest run: filtered, sorted and paged", async () => {
    const communities = [
      { id: rat.id, short: 'ratdi', name: 'Rationalist Diaspora', color: '#112233' },
      { id: build.id, short: 'build', name: 'Builders', color: build.color },
    ];
    // Accounts 0–11 in ratdi (bands by position), 12–19 in build, 20–23 unclassified; 12–15 lean towards ratdi.
    const rows: AccountMembership[] = [];
    const bands = ['exemplar', 'specialist', 'bridge', 'frontier'] as const;
    for (let i = 0; i < 24; i++) {
      if (i < 12) rows.push(membership(ids[i]!, rat.id, bands[i % 4]!, { [rat.id]: 0.95 - i * 0.05 }));
      else if (i < 20)
        rows.push(
          membership(ids[i]!, build.id, 'specialist', {
            [build.id]: 0.7,
            ...(i < 16 ? { [rat.id]: [0.1, 0.15, 0.2, 0.25][i - 12]! } : {}),
          }),
        );
      else rows.push(membership(ids[i]!, null, 'unclassified', { [rat.id]: 0.01 }));
    }
    const runId = saveRun(other, testRun('2026-03-01 10:00:00', communities), rows);

    const list = await api<CommunitiesPayload>('GET', '/api/communities');
    expect(list.json.run?.run_id).toBe(runId);
    expect(list.json.unclassified).toBe(4);
    expect(list.json.communities.find((c) => c.id === rat.id)?.members).toEqual({
      exemplar: 3,
      specialist: 3,
      bridge: 3,
      frontier: 3,
    });

    const members = (query: string) =>
      api<CommunityMembersPayload>('GET', `/api/communities/ratdi/members${query}`).then((a) => a.json);
    const all = await members('');
    expect(all.total).toBe(12);
    expect(all.members.map((m) => m.id)).toEqual(ids.slice(0, 12));
    expect(all.members.filter((m) => m.seed).map((m) => m.id)).toEqual([ids[0], ids[1]]);
    expect(all.members[0]).toMatchObject({ band: 'exemplar', confidence: 0.95, in_graph: true, username: handles[0] });

    const page = await members('?limit=5&offset=5');
    expect(page.members.map((m) => m.id)).toEqual(ids.slice(5, 10));
    expect((await members('?band=bridge')).members.map((m) => m.id)).toEqual([ids[2], ids[6], ids[10]]);
    const byFollowers = await members('?sort=followers');
    const followers = byFollowers.members.map((m) => m.num_followers!);
    expect(followers).toEqual([...followers].sort((a, b) => b - a));
    const byHandle = await members('?sort=username');
    const names = byHandle.members.map((m) => m.username!);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect((await members(`?q=${handles[3]!.toUpperCase()}`)).members.map((m) => m.id)).toContain(ids[3]);
    expect((await members('?seeds_only=true')).total).toBe(2);
    const bad = await api<ErrorPayload>('GET', '/api/communities/ratdi/members?band=none&limit=0');
    expect(bad.status).toBe(400);

    const candidates = await api<CommunityCandidatesPayload>('GET', '/api/communities/ratdi/candidates?limit=3');
    expect(candidates.json.candidates.map((c) => [c.id, c.weight, c.top])).toEqual([
      [ids[15], 0.25, 'build'],
      [ids[14], 0.2, 'build'],
      [ids[13], 0.15, 'build'],
    ]);
  });

  it('saves, lists, diffs and restores versions; a restore saves the state before it first', async () => {
    const saved = await api<VersionPayload>('POST', '/api/curation/versions', { name: 'v1', note: 'first cut' });
    expect(saved.status).toBe(201);
    expect(saved.json).toMatchObject({ name: 'v1', community_count: 2, seed_count: 3, current: true, actor: 'api' });
    expect((await api<ErrorPayload>('POST', '/api/curation/versions', { name: 'v1' })).status).toBe(400);

    await api('PATCH', '/api/communities/build', { name: 'Makers' });
    await api('POST', '/api/communities/build/seeds', { accounts: [ids[4]] });
    const diff = await api<{
      communities: { changed: { short: string; changes: { field: string; before: string; after: string }[] }[] };
      seeds: { added: { account_id: string; community: { short: string } }[] };
    }>('GET', '/api/curation/diff?from=v1');
    expect(diff.json.communities.changed).toEqual([
      { id: build.id, short: 'build', changes: [{ field: 'name', before: 'Builders', after: 'Makers' }] },
    ]);
    expect(diff.json.seeds.added).toEqual([{ account_id: ids[4], community: { id: build.id, short: 'build' } }]);

    const restored = await api<RestorePayload>('POST', '/api/curation/versions/v1/restore');
    expect(restored.json).toMatchObject({ restored: 'v1', newly_saved: true });
    expect(restored.json.saved_as).toMatch(/^auto-before-restore-/);
    const page = await api<CommunityPagePayload>('GET', '/api/communities/build');
    expect(page.json.community.name).toBe('Builders');
    expect(page.json.seeds.map((s) => s.id)).toEqual([ids[2]]);
    const versions = await api<{ versions: VersionPayload[] }>('GET', '/api/curation/versions');
    expect(versions.json.versions.map((v) => [v.name, v.current])).toEqual([
      ['v1', true],
      [restored.json.saved_as, false],
    ]);
  });

  it("sets an account's note and tags, by id or handle", async () => {
    const note = await api<AccountCurationPayload>('PUT', `/api/accounts/@${handles[5]}/note`, {
      note: 'Met at a meetup',
    });
    expect(note.json).toMatchObject({ account_id: ids[5], note: 'Met at a meetup', tags: [] });
    const tags = await api<AccountCurationPayload>('POST', `/api/accounts/${ids[5]}/tags`, {
      add: ['Meditation', 'art'],
    });
    expect(tags.json.tags).toEqual(['art', 'meditation']);
    const fewer = await api<AccountCurationPayload>('POST', `/api/accounts/${ids[5]}/tags`, { remove: ['art'] });
    expect(fewer.json.tags).toEqual(['meditation']);
    const missing = await api<ErrorPayload>('POST', `/api/accounts/${ids[5]}/tags`, { remove: ['art'] });
    expect(missing.status).toBe(400);
    const cleared = await api<AccountCurationPayload>('PUT', `/api/accounts/${ids[5]}/note`, { note: null });
    expect(cleared.json.note).toBeNull();
    const read = await api<AccountCurationPayload>('GET', `/api/accounts/${handles[5]}/curation`);
    expect(read.json).toMatchObject({ account_id: ids[5], note: null, tags: ['meditation'] });
    const actions = (await history()).slice(0, 4).map((r) => [r.action, r.account_id]);
    expect(actions).toEqual([
      ['note.set', ids[5]],
      ['tag.remove', ids[5]],
      ['tag.add', ids[5]],
      ['note.set', ids[5]],
    ]);
  });

  it('deletes a community with its seeds; its history row keeps both', async () => {
    const removed = await api<{ removed: CommunityPayload; seeds: string[] }>('DELETE', '/api/communities/build');
    expect(removed.json.removed.short).toBe('build');
    expect(removed.json.seeds).toEqual([ids[2]]);
    const row = (await history())[0]!;
    expect(row.action).toBe('community.remove');
    expect(JSON.stringify(row.detail)).toContain(ids[2]);
    expect((await api<CommunitiesPayload>('GET', '/api/communities')).json.communities.map((c) => c.short)).toEqual([
      'ratdi',
    ]);
  });

  it('requires the token for every write when one is set, and changes nothing without it', async () => {
    const guarded = await startFixtureServer(fixture, { apiToken: 's3cret-token' });
    try {
      const before = await call<{ entries: HistoryEntryPayload[] }>(guarded.url, 'GET', '/api/curation/history');
      for (const [method, path, body] of [
        ['POST', '/api/communities', { short: 'zz', name: 'Zed' }],
        ['PATCH', '/api/communities/ratdi', { name: 'Changed' }],
        ['DELETE', '/api/communities/ratdi', undefined],
        ['POST', '/api/communities/ratdi/seeds', { accounts: [ids[9]] }],
        ['POST', '/api/curation/versions', { name: 'sneaky' }],
        ['PUT', `/api/accounts/${ids[9]}/note`, { note: 'x' }],
      ] as const) {
        const answer = await call<ErrorPayload>(guarded.url, method, path, body);
        expect(answer.status, `${method} ${path}`).toBe(401);
      }
      const after = await call<{ entries: HistoryEntryPayload[] }>(guarded.url, 'GET', '/api/curation/history');
      expect(after.json).toEqual(before.json);
      const allowed = await call<CommunityPayload>(
        guarded.url,
        'PATCH',
        '/api/communities/ratdi',
        { name: 'With the token' },
        's3cret-token',
      );
      expect(allowed.json.name).toBe('With the token');
    } finally {
      await guarded.close();
    }
  });
});
