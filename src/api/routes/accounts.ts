/**
 * Accounts (docs/API.md):
 * - `GET /api/accounts/search?q&limit` — handle or display-name prefix, case-insensitive, over the
 *   default graph: an exact handle first, archive accounts before shadow ones, then by followers.
 * - `GET /api/accounts/:id` — one account by id, `shadow:<handle>` or handle: profile, counts,
 *   metrics under the saved seeds and settings, community, provenance, its place in the latest
 *   propagation run (named community, band, every weight, whether it seeds one), and its followers
 *   and followings inside the graph (the highest-ranked first).
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { readAccountProfile } from '../../db/account-profile.js';
import { CommunityStore } from '../../db/community-store.js';
import type { Db } from '../../db/database.js';
import { membershipOf } from '../../db/membership-store.js';
import { handleIndex, seedMetrics } from '../../graph/analysis.js';
import type { NodeInfo, Provenance } from '../../graph/build.js';
import { inDegree } from '../../graph/graph.js';
import { analysisFrom, metricsRequest, settings, type ApiContext } from '../context.js';
import type { AnalysedGraph } from '../graph-service.js';
import { isValidUsername } from '../../usernames.js';
import { HttpError } from '../http-error.js';
import { graphFilterQuery, queryInteger } from '../validation.js';
import type { AccountNamedCommunityPayload, AccountPayload, AccountSummaryPayload, SearchPayload } from '../wire.js';
import { seedReferenceSchema } from '../../graph/param-schemas.js';

const searchQuery = z.strictObject({
  q: z.string().max(50, 'at most 50 characters').optional(),
  limit: queryInteger(z.number().min(1).max(50)).optional(),
  ...graphFilterQuery,
});
const accountParams = z.strictObject({ id: seedReferenceSchema });
const accountQuery = z.strictObject({
  neighbours: queryInteger(z.number().min(0).max(500)).optional(),
  ...graphFilterQuery,
});

const PROVENANCE_ORDER: Record<Provenance, number> = { archive: 0, shadow: 1, mentioned: 2, id: 3 };

function followers(graph: AnalysedGraph, i: number): number {
  return graph.built.nodes[i]!.numFollowers ?? inDegree(graph.built.graph, i);
}

function summary(graph: AnalysedGraph, i: number): AccountSummaryPayload {
  const node: NodeInfo = graph.built.nodes[i]!;
  return {
    id: node.accountId,
    username: node.username,
    display_name: node.displayName,
    num_followers: followers(graph, i),
    provenance: node.provenance,
    shadow: node.provenance === 'shadow',
  };
}

/**
 * The account's row in the run the graph's named view came from (the latest when the graph was
 * analysed; the graph cache is dropped when the database changes), or null without one.
 */
function namedCommunity(db: Db, graph: AnalysedGraph, accountId: string): AccountNamedCommunityPayload | null {
  if (!graph.named) return null;
  const row = membershipOf(db, graph.named.runId, accountId);
  if (!row) return null;
  const byId = new Map(graph.named.communities.map((c) => [String(c.id), c]));
  const top =
    row.band === 'unclassified' || row.topCommunityId === null ? undefined : byId.get(String(row.topCommunityId));
  const memberships = Object.entries(row.weights)
    .flatMap(([id, weight]) => {
      const c = byId.get(id);
      return c ? [{ short: c.short, name: c.name, weight }] : [];
    })
    .sort((a, b) => b.weight - a.weight || (a.short < b.short ? -1 : 1));
  return {
    short: top?.short ?? null,
    name: top?.name ?? null,
    color: top?.color ?? null,
    confidence: row.confidence,
    band: row.band,
    uncertainty: row.uncertainty,
    memberships,
    seed_of: new CommunityStore(db).seedOf(accountId)?.community.short ?? null,
  };
}

export const accountRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  app.get('/api/accounts/search', { schema: { querystring: searchQuery } }, async (request) => {
    const { q, limit, ...given } = request.query as z.infer<typeof searchQuery>;
    const needle = (q ?? '').trim().replace(/^@/, '').toLowerCase();
    if (needle === '') return { query: '', results: [] } satisfies SearchPayload;
    const { graph } = await context.graphs.analysed(analysisFrom(given, settings(context)));
    const matches: { i: number; exact: boolean; byHandle: boolean }[] = [];
    graph.built.nodes.forEach((node, i) => {
      const handle = node.username?.toLowerCase();
      if (handle?.startsWith(needle)) matches.push({ i, exact: handle === needle, byHandle: true });
      else if (node.displayName?.toLowerCase().startsWith(needle)) matches.push({ i, exact: false, byHandle: false });
    });
    const nodes = graph.built.nodes;
    matches.sort(
      (a, b) =>
        Number(b.exact) - Number(a.exact) ||
        PROVENANCE_ORDER[nodes[a.i]!.provenance] - PROVENANCE_ORDER[nodes[b.i]!.provenance] ||
        Number(b.byHandle) - Number(a.byHandle) ||
        followers(graph, b.i) - followers(graph, a.i) ||
        (nodes[a.i]!.accountId < nodes[b.i]!.accountId ? -1 : 1),
    );
    return {
      query: needle,
      results: matches.slice(0, limit ?? 10).map(({ i }) => summary(graph, i)),
    } satisfies SearchPayload;
  });

  app.get(
    '/api/accounts/:id',
    { schema: { params: accountParams, querystring: accountQuery } },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof accountParams>;
      const { neighbours = 50, ...given } = request.query as z.infer<typeof accountQuery>;
      const wanted = metricsRequest(context, given);
      const { graph } = await context.graphs.analysed(wanted.analysis);
      const g = graph.built.graph;
      const i = g.index.get(id) ?? handleIndex(graph.built).get(id.replace(/^@/, '').toLowerCase());
      if (i === undefined) throw new HttpError(404, `No account ${id} in the graph (with these filters).`, 'id');
      const key = {
        seeds: wanted.seeds,
        alpha: wanted.alpha,
        weights: wanted.weights,
        analysis: wanted.analysis,
        version: graph.version,
      };
      const { value, status } = await context.graphs.graphCache.getOrCompute('seed_metrics', key, () => {
        const seeded = seedMetrics(graph.built, graph.base, {
          seeds: wanted.seeds,
          alpha: wanted.alpha,
          weights: wanted.weights,
        });
        return {
          pagerank: seeded.pagerank,
          composite: seeded.composite,
          resolved: seeded.seeds.resolved,
          approxBytes: g.nodeCount * 16,
        };
      });
      const seeded = value as { pagerank: Float64Array; composite: Float64Array; resolved: string[] };
      const rank = (scores: Float64Array) => {
        let above = 0;
        for (const score of scores) if (score > scores[i]!) above++;
        return above + 1;
      };
      const byComposite = (a: number, b: number) => seeded.composite[b]! - seeded.composite[a]!;
      const list = (from: Int32Array, offsets: Int32Array) => {
        const all = Array.from(from.subarray(offsets[i], offsets[i + 1]));
        return {
          total: all.length,
          accounts: all
            .sort(byComposite)
            .slice(0, neighbours)
            .map((j) => summary(graph, j)),
        };
      };
      const node = graph.built.nodes[i]!;
      const db = context.database.require();
      reply.header('X-Cache-Status', status);
      return {
        ...summary(graph, i),
        num_following: node.numFollowing,
        num_tweets: node.numTweets,
        num_likes: node.numLikes,
        profile: readAccountProfile(db, node.accountId),
        // Usernames are checked before they become URLs.
        x_url: node.username && isValidUsername(node.username) ? `https://x.com/${node.username}` : null,
        community: graph.base.communities.membership[i]!,
        named_community: namedCommunity(db, graph, node.accountId),
        metrics: {
          pagerank: seeded.pagerank[i]!,
          betweenness: graph.base.betweenness.scores[i]!,
          engagement: graph.base.engagement[i]!,
          composite: seeded.composite[i]!,
          composite_rank: rank(seeded.composite),
          pagerank_rank: rank(seeded.pagerank),
        },
        seeds: wanted.seeds,
        resolved_seeds: seeded.resolved,
        is_seed: seeded.resolved.includes(node.accountId),
        followers_in_graph: list(g.inSources, g.inOffsets),
        following_in_graph: list(g.outTargets, g.outOffsets),
        graph_version: graph.version,
      } satisfies AccountPayload;
    },
  );
};
