/**
 * The curated communities over HTTP (docs/API.md, "Communities"): what the explorer's Communities view reads and
 * writes. Names, colours and seeds are read fresh from the curation tables; members and bands are those of the
 * database's latest propagation run; accounts are named from the default graph (the map), else from any table
 * that names the id.
 *
 * - `GET /api/communities` — every community with its seeds and members per band.
 * - `GET /api/communities/:ref` — one community (by id or short name) and its seeds.
 * - `GET /api/communities/:ref/members` — its members, filtered, sorted and paged.
 * - `GET /api/communities/:ref/candidates` — the accounts closest to joining it.
 * - writes, in the write scope: create, update, delete, add seeds, remove a seed. Each is one transaction of the
 *   curation store, which records it in the curation history (actor `api`).
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { AccountNames } from '../../db/account-names.js';
import { CommunityStore, type CommunitySummary } from '../../db/community-store.js';
import {
  COLOR_PATTERN,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  MAX_NOTE_LENGTH,
  SHORT_NAME_PATTERN,
} from '../../communities/curation-limits.js';
import type { Db } from '../../db/database.js';
import {
  bandCounts,
  communityCandidates,
  communityMembers,
  latestRun,
  type StoredRun,
} from '../../db/membership-store.js';
import { resolveSeedAccounts } from '../../communities/curation.js';
import { MAX_SEEDS } from '../../graph/params.js';
import { analysisFrom, settings, type ApiContext } from '../context.js';
import type { AnalysedGraph } from '../graph-service.js';
import { queryInteger } from '../validation.js';
import type {
  BandCountsPayload,
  CommunitiesPayload,
  CommunityAccountPayload,
  CommunityCandidatesPayload,
  CommunityMemberPayload,
  CommunityMembersPayload,
  CommunityPagePayload,
  CommunityPayload,
  CommunityRemovedPayload,
  RunPayload,
  SeedRemovedPayload,
  SeedsAddedPayload,
} from '../wire.js';

/** A community in a path: its numeric id, or its short name (which starts with a letter). */
export const communityRef = z
  .string()
  .regex(/^(\d{1,15}|[A-Za-z][A-Za-z0-9_-]{0,31})$/, 'must be a community id or short name')
  .transform((ref) => (/^\d+$/.test(ref) ? `#${ref}` : ref));
/** An account in a path or a list: a numeric id, or a handle with or without '@'. */
export const accountRef = z
  .string()
  .regex(/^(\d{1,20}|@?[A-Za-z0-9_]{1,15})$/, 'must be an account id or a handle (1–15 letters, digits or _)');

const refParams = z.strictObject({ ref: communityRef });
const seedParams = z.strictObject({ ref: communityRef, account: accountRef });
const BANDS_LISTED = ['exemplar', 'specialist', 'bridge', 'frontier'] as const;
const SORTS = ['confidence', 'followers', 'username', 'uncertainty'] as const;
const membersQuery = z.strictObject({
  band: z.enum(BANDS_LISTED).optional(),
  sort: z.enum(SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  q: z.string().max(50, 'at most 50 characters').optional(),
  seeds_only: z.enum(['true', 'false']).optional(),
  offset: queryInteger(z.number().min(0).max(10_000_000)).optional(),
  limit: queryInteger(z.number().min(1).max(500)).optional(),
});
const candidatesQuery = z.strictObject({ limit: queryInteger(z.number().min(1).max(200)).optional() });

const color = z
  .string()
  .transform((c) => c.toLowerCase())
  .pipe(z.string().regex(COLOR_PATTERN, 'must be a colour as #rrggbb'));
const fields = {
  short: z.string().regex(SHORT_NAME_PATTERN, 'must be 1–32 letters, digits, _ or -, starting with a letter'),
  name: z.string().trim().min(1, 'must not be empty').max(MAX_NAME_LENGTH, `at most ${MAX_NAME_LENGTH} characters`),
  color,
  description: z.string().max(MAX_DESCRIPTION_LENGTH, `at most ${MAX_DESCRIPTION_LENGTH} characters`),
};
const createBody = z.strictObject({
  short: fields.short,
  name: fields.name,
  color: fields.color.optional(),
  description: fields.description.optional(),
});
const updateBody = z
  .strictObject({
    short: fields.short.optional(),
    name: fields.name.optional(),
    color: fields.color.optional(),
    description: fields.description.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give short, name, color or description', path: ['body'] });
const seedsBody = z.strictObject({
  accounts: z.array(accountRef).min(1, 'give at least one account').max(MAX_SEEDS, `at most ${MAX_SEEDS} accounts`),
  note: z.string().max(MAX_NOTE_LENGTH, `at most ${MAX_NOTE_LENGTH} characters`).optional(),
});

export function runPayload(run: StoredRun | null): RunPayload | null {
  if (!run) return null;
  return {
    run_id: run.runId,
    engine: run.engine,
    started_at: run.startedAt,
    node_count: run.nodeCount,
    seed_count: run.seedCount,
    bootstrap_samples: run.bootstrapSamples,
    version_name: run.versionName,
    converged: run.converged,
  };
}

/** The latest run with memberships stored, or null. */
function currentRun(db: Db): StoredRun | null {
  const run = latestRun(db);
  return run?.hasMemberships ? run : null;
}

/** Members per band of each community the run propagated; communities it did not are absent. */
function membersByCommunity(
  db: Db,
  run: StoredRun | null,
): { byCommunity: Map<number, BandCountsPayload>; unclassified: number } {
  const byCommunity = new Map<number, BandCountsPayload>();
  let unclassified = 0;
  if (!run) return { byCommunity, unclassified };
  for (const c of run.communities) byCommunity.set(c.id, { exemplar: 0, specialist: 0, bridge: 0, frontier: 0 });
  for (const { communityId, band, count } of bandCounts(db, run.runId)) {
    const counts = communityId === null ? undefined : byCommunity.get(communityId);
    if (band === 'unclassified' || !counts) unclassified += count;
    else counts[band] += count;
  }
  return { byCommunity, unclassified };
}

export function communityPayload(community: CommunitySummary, members: BandCountsPayload | null): CommunityPayload {
  return {
    id: community.id,
    short: community.short,
    name: community.name,
    color: community.color,
    description: community.description,
    created_at: community.createdAt,
    updated_at: community.updatedAt,
    seed_count: community.seedCount,
    members,
  };
}

/** One community as it is now, with the latest run's members per band. */
function freshCommunity(db: Db, ref: string): CommunityPayload {
  const store = new CommunityStore(db);
  const community = store.get(ref);
  const summary = store.list().find((c) => c.id === community.id)!;
  return communityPayload(summary, membersByCommunity(db, currentRun(db)).byCommunity.get(community.id) ?? null);
}

/** Names accounts from the map's graph first, then from any table that names the id. */
class AccountDirectory {
  private readonly names: Map<string, { username: string; displayName: string | null }>;

  constructor(
    private readonly graph: AnalysedGraph,
    db: Db,
    ids: readonly string[],
  ) {
    const index = graph.built.graph.index;
    this.names = new AccountNames(db).lookup(ids.filter((id) => !index.has(id)));
  }

  account(id: string): CommunityAccountPayload {
    const i = this.graph.built.graph.index.get(id);
    if (i !== undefined) {
      const node = this.graph.built.nodes[i]!;
      return {
        id,
        username: node.username,
        display_name: node.displayName,
        num_followers: node.numFollowers,
        in_graph: true,
      };
    }
    const name = this.names.get(id);
    return {
      id,
      username: name?.username ?? null,
      display_name: name?.displayName ?? null,
      num_followers: null,
      in_graph: false,
    };
  }
}

async function mapGraph(context: ApiContext): Promise<AnalysedGraph> {
  return (await context.graphs.analysed(analysisFrom({}, settings(context)))).graph;
}

/** What a community's member lists read: the map's graph, the database, the community and the latest run. */
async function communityInRun(context: ApiContext, ref: string) {
  const graph = await mapGraph(context);
  const db = context.database.require();
  const store = new CommunityStore(db);
  return { graph, db, store, community: store.get(ref), run: currentRun(db) };
}

type Member = CommunityMemberPayload;
const COMPARE: Record<(typeof SORTS)[number], (a: Member, b: Member) => number> = {
  confidence: (a, b) => a.confidence - b.confidence,
  followers: (a, b) => (a.num_followers ?? -1) - (b.num_followers ?? -1),
  username: (a, b) => (a.username ?? '\uffff').localeCompare(b.username ?? '\uffff'),
  uncertainty: (a, b) => (a.uncertainty ?? -1) - (b.uncertainty ?? -1),
};

export const communityRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/api/communities', async () => {
    context.graphs.checkForChanges();
    const db = context.database.require();
    const run = currentRun(db);
    const { byCommunity, unclassified } = membersByCommunity(db, run);
    return {
      run: runPayload(run),
      communities: new CommunityStore(db).list().map((c) => communityPayload(c, byCommunity.get(c.id) ?? null)),
      unclassified,
    } satisfies CommunitiesPayload;
  });

  app.get('/api/communities/:ref', { schema: { params: refParams } }, async (request) => {
    const { ref } = request.params as z.infer<typeof refParams>;
    const graph = await mapGraph(context);
    const db = context.database.require();
    const community = freshCommunity(db, ref);
    const seeds = new CommunityStore(db).seeds(`#${community.id}`);
    const directory = new AccountDirectory(
      graph,
      db,
      seeds.map((s) => s.accountId),
    );
    return {
      community,
      seeds: seeds.map((s) => ({
        ...directory.account(s.accountId),
        added_by: s.addedBy,
        added_at: s.addedAt,
        note: s.note,
      })),
      run: runPayload(currentRun(db)),
    } satisfies CommunityPagePayload;
  });

  app.get(
    '/api/communities/:ref/members',
    { schema: { params: refParams, querystring: membersQuery } },
    async (request) => {
      const { ref } = request.params as z.infer<typeof refParams>;
      const query = request.query as z.infer<typeof membersQuery>;
      const sort = query.sort ?? 'confidence';
      const order = query.order ?? (sort === 'username' ? 'asc' : 'desc');
      const offset = query.offset ?? 0;
      const limit = query.limit ?? 100;
      const { graph, db, store, community, run } = await communityInRun(context, ref);
      const empty = { run_id: run?.runId ?? null, total: 0, offset, limit, sort, order, members: [] };
      if (!run) return empty satisfies CommunityMembersPayload;
      // Every member is read and then filtered, sorted and paged here: sorting by followers or handle needs the
      // names, and 10,000 members take milliseconds.
      const rows = communityMembers(db, run.runId, community.id, {
        ...(query.band ? { band: query.band } : {}),
        limit: Number.MAX_SAFE_INTEGER,
      });
      const seeds = new Set(store.seeds(`#${community.id}`).map((s) => s.accountId));
      const directory = new AccountDirectory(
        graph,
        db,
        rows.map((r) => r.accountId),
      );
      const needle = query.q?.trim().replace(/^@/, '').toLowerCase() ?? '';
      let members: Member[] = rows.map((row) => ({
        ...directory.account(row.accountId),
        band: row.band,
        confidence: row.confidence,
        uncertainty: row.uncertainty,
        seed: seeds.has(row.accountId),
      }));
      if (query.seeds_only === 'true') members = members.filter((m) => m.seed);
      if (needle)
        members = members.filter(
          (m) =>
            m.id === needle ||
            (m.username?.toLowerCase().includes(needle) ?? false) ||
            (m.display_name?.toLowerCase().includes(needle) ?? false),
        );
      const compare = COMPARE[sort];
      const sign = order === 'asc' ? 1 : -1;
      members.sort((a, b) => sign * compare(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return {
        ...empty,
        total: members.length,
        members: members.slice(offset, offset + limit),
      } satisfies CommunityMembersPayload;
    },
  );

  app.get(
    '/api/communities/:ref/candidates',
    { schema: { params: refParams, querystring: candidatesQuery } },
    async (request) => {
      const { ref } = request.params as z.infer<typeof refParams>;
      const { limit = 20 } = request.query as z.infer<typeof candidatesQuery>;
      const { graph, db, community, run } = await communityInRun(context, ref);
      if (!run) return { run_id: null, candidates: [] } satisfies CommunityCandidatesPayload;
      const rows = communityCandidates(db, run.runId, community.id, limit);
      const shortOf = new Map(run.communities.map((c) => [c.id, c.short]));
      const directory = new AccountDirectory(
        graph,
        db,
        rows.map((r) => r.accountId),
      );
      return {
        run_id: run.runId,
        candidates: rows.map((row) => ({
          ...directory.account(row.accountId),
          weight: row.weight,
          band: row.band,
          top:
            row.band === 'unclassified' || row.topCommunityId === null
              ? null
              : (shortOf.get(row.topCommunityId) ?? null),
        })),
      } satisfies CommunityCandidatesPayload;
    },
  );
};

/** The communities' writes: registered in the server's write scope (the token check). */
export const communityWriteRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const store = (db: Db) => new CommunityStore(db, 'api');

  app.post('/api/communities', { schema: { body: createBody } }, async (request, reply) => {
    const body = request.body as z.infer<typeof createBody>;
    const created = context.graphs.write((db) => {
      const community = store(db).add(body);
      return freshCommunity(db, `#${community.id}`);
    });
    return reply.code(201).send(created satisfies CommunityPayload);
  });

  app.patch('/api/communities/:ref', { schema: { params: refParams, body: updateBody } }, async (request) => {
    const { ref } = request.params as z.infer<typeof refParams>;
    const body = request.body as z.infer<typeof updateBody>;
    return context.graphs.write((db) => {
      const curation = store(db);
      const id = `#${curation.get(ref).id}`;
      // Each change is its own history row (rename, recolour, describe), all in this one transaction.
      if (body.name !== undefined || body.short !== undefined)
        curation.rename(id, {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.short !== undefined ? { short: body.short } : {}),
        });
      if (body.color !== undefined) curation.recolor(id, body.color);
      if (body.description !== undefined) curation.describe(id, body.description);
      return freshCommunity(db, id) satisfies CommunityPayload;
    });
  });

  app.delete('/api/communities/:ref', { schema: { params: refParams } }, async (request) => {
    const { ref } = request.params as z.infer<typeof refParams>;
    return context.graphs.write((db) => {
      const before = freshCommunity(db, ref);
      const { seeds } = store(db).remove(`#${before.id}`);
      return { removed: before, seeds: seeds.map((s) => s.accountId) } satisfies CommunityRemovedPayload;
    });
  });

  app.post('/api/communities/:ref/seeds', { schema: { params: refParams, body: seedsBody } }, async (request) => {
    const { ref } = request.params as z.infer<typeof refParams>;
    const { accounts, note } = request.body as z.infer<typeof seedsBody>;
    return context.graphs.write((db) => {
      const result = store(db).addSeeds(ref, resolveSeedAccounts(db, accounts), note === undefined ? {} : { note });
      return {
        community: freshCommunity(db, `#${result.community.id}`),
        added: result.added,
        skipped: result.skipped,
      } satisfies SeedsAddedPayload;
    });
  });

  app.delete('/api/communities/:ref/seeds/:account', { schema: { params: seedParams } }, async (request) => {
    const { ref, account } = request.params as z.infer<typeof seedParams>;
    return context.graphs.write((db) => {
      const result = store(db).removeSeeds(ref, resolveSeedAccounts(db, [account]));
      return {
        community: freshCommunity(db, `#${result.community.id}`),
        removed: result.removed.map((s) => s.accountId),
      } satisfies SeedRemovedPayload;
    });
  });
};
