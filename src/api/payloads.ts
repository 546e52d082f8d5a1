/**
 * The large JSON bodies of the API, written as text directly (docs/API.md):
 *
 * - `/api/graph-data` is column-oriented: `nodes` is an object of equal-length arrays (one entry
 *   per node, in the graph's index order) and edges are numeric indexes into that node table — no
 *   repeated per-node or per-edge objects, so 95,000 nodes and 322,000 edges stay a few MB.
 * - `/api/metrics/compute` keeps the original's shape, maps keyed by account id. The three
 *   seed-independent maps are written (and deflated, see send-json.ts) once per graph version and
 *   spliced in, so a request only writes PageRank and the composite.
 * - Metric values carry 8 significant digits (relative error < 1e-8, far inside the 1e-6 the
 *   engine is held to): `toPrecision(8)` is faster than the shortest round-trip form and shorter.
 * - `/api/metrics/base` gives plain arrays aligned with graph-data's node table, for re-weighting
 *   in the browser.
 * - graph-data's named-community columns are indexes too: into `named_communities.communities`
 *   and into `bands`, with the confidence at 3 decimals.
 */
import { BANDS } from '../communities/types.js';
import type { NamedView } from '../communities/named-view.js';
import type { SeedMetrics } from '../graph/analysis.js';
import type { Provenance } from '../graph/build.js';
import { INTERACTION_KINDS } from '../db/graph-store.js';
import { hasEdge, inDegree } from '../graph/graph.js';
import { pairColumns, type InteractionLayer } from '../graph/interactions.js';
import { toWire } from '../graph/params.js';
import type { AnalysedGraph } from './graph-service.js';
import type { ComputePayload, GraphDataPayload, NamedCommunitiesPayload, SeedsHead } from './wire.js';
import { preparePiece, type BodyPiece, type PreparedPiece } from './send-json.js';

export const PROVENANCES: readonly Provenance[] = ['archive', 'shadow', 'mentioned', 'id'];

/** A metric value as JSON: 8 significant digits, null for NaN and infinities. */
function metric(value: number): string {
  if (value === 0) return '0';
  return Number.isFinite(value) ? value.toPrecision(8) : 'null';
}

/** `[v0,v1,…]` of metric values. */
export function metricArrayJson(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = metric(values[i]!);
  return `[${parts.join(',')}]`;
}

/** `[v0,v1,…]` of whole numbers (indexes, counts, flags). */
function integerArrayJson(values: ArrayLike<number>): string {
  return `[${Array.prototype.join.call(values, ',')}]`;
}

/** Per analysed graph, the pieces every metrics response repeats, prepared once. */
interface Fragments {
  /** `"<id>":` per node. */
  keys: string[];
  maps: { betweenness: PreparedPiece; engagement: PreparedPiece; communities: PreparedPiece };
  arrays: { betweenness: PreparedPiece; engagement: PreparedPiece; communities: PreparedPiece };
}

const fragmentsOf = new WeakMap<AnalysedGraph, Promise<Fragments>>();

/** Prepares (once per graph) the pieces metrics responses share; the server warms them at start. */
export function fragments(graph: AnalysedGraph): Promise<Fragments> {
  let found = fragmentsOf.get(graph);
  if (!found) {
    found = (async () => {
      const keys = graph.built.graph.ids.map((id) => `${JSON.stringify(id)}:`);
      const { betweenness, engagement, communities } = graph.base;
      const [mapB, mapE, mapC, arrB, arrE, arrC] = await Promise.all([
        preparePiece(idMapJson(keys, betweenness.scores, metric)),
        preparePiece(idMapJson(keys, engagement, metric)),
        preparePiece(idMapJson(keys, communities.membership, String)),
        preparePiece(metricArrayJson(betweenness.scores)),
        preparePiece(metricArrayJson(engagement)),
        preparePiece(integerArrayJson(communities.membership)),
      ]);
      return {
        keys,
        maps: { betweenness: mapB, engagement: mapE, communities: mapC },
        arrays: { betweenness: arrB, engagement: arrE, communities: arrC },
      };
    })();
    fragmentsOf.set(graph, found);
    found.catch(() => fragmentsOf.delete(graph));
  }
  return found;
}

function idMapJson(keys: readonly string[], values: ArrayLike<number>, format: (value: number) => string): string {
  const parts = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) parts[i] = keys[i]! + format(values[i]!);
  return `{${parts.join(',')}}`;
}

/** `[v0,v1,…]` of values in [0, 1] at 3 decimals. */
function fractionArrayJson(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = String(Math.round(values[i]! * 1000) / 1000);
  return `[${parts.join(',')}]`;
}

function namedCommunities(named: NamedView | null): NamedCommunitiesPayload | null {
  if (!named) return null;
  return {
    run_id: named.runId,
    engine: named.engine,
    started_at: named.startedAt,
    communities: named.communities.map(({ id, short, name, color }, k) => {
      const { exemplar, specialist, bridge, frontier } = named.bandCounts[k]!;
      return { id, short, name, color, members: { exemplar, specialist, bridge, frontier } };
    }),
  };
}

function round2(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : null;
}

/** The interaction layer's pairs as columns (the lower index first), weights to 3 decimals; `null` without a layer. */
function interactionsJson(layer: InteractionLayer | null): string {
  if (!layer) return 'null';
  const { sources, targets, weights, kinds } = pairColumns(layer);
  return (
    `{"source":${integerArrayJson(sources)},"target":${integerArrayJson(targets)},` +
    `"weight":${fractionArrayJson(weights)},"kinds":${integerArrayJson(kinds)}}`
  );
}

export function graphDataBody(graph: AnalysedGraph): BodyPiece[] {
  const { built, base, positions, named } = graph;
  const g = built.graph;
  const nodes = built.nodes;
  const provenanceIndex = new Map(PROVENANCES.map((p, i) => [p, i]));
  const inDegrees = new Int32Array(g.nodeCount);
  const outDegrees = new Int32Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) {
    inDegrees[i] = inDegree(g, i);
    outDegrees[i] = g.outOffsets[i + 1]! - g.outOffsets[i]!;
  }
  const sources = new Int32Array(g.edgeCount);
  const mutual = new Uint8Array(g.edgeCount);
  for (let u = 0; u < g.nodeCount; u++) {
    for (let k = g.outOffsets[u]!; k < g.outOffsets[u + 1]!; k++) {
      sources[k] = u;
      mutual[k] = hasEdge(g, g.outTargets[k]!, u) ? 1 : 0;
    }
  }
  const column = <T>(pick: (i: number) => T) => JSON.stringify(nodes.map((_, i) => pick(i)));
  const head = {
    version: graph.version,
    source: graph.source,
    snapshot_generated_at: graph.snapshotGeneratedAt,
    filters: toWire(graph.analysis),
    directed_nodes: g.nodeCount,
    directed_edges: g.edgeCount,
    undirected_edges: base.undirectedEdges,
    communities: base.communities.count,
    provenances: PROVENANCES,
    has_layout: positions !== null,
    named_communities: namedCommunities(named),
    bands: BANDS,
    interaction_kinds: INTERACTION_KINDS,
  } satisfies Omit<GraphDataPayload, 'nodes' | 'edges' | 'interactions'>;
  const nodeColumns = [
    `"id":${JSON.stringify(g.ids)}`,
    `"username":${column((i) => nodes[i]!.username)}`,
    `"display_name":${column((i) => nodes[i]!.displayName)}`,
    `"num_followers":${column((i) => nodes[i]!.numFollowers)}`,
    `"num_following":${column((i) => nodes[i]!.numFollowing)}`,
    `"num_tweets":${column((i) => nodes[i]!.numTweets)}`,
    `"num_likes":${column((i) => nodes[i]!.numLikes)}`,
    `"provenance":${column((i) => provenanceIndex.get(nodes[i]!.provenance) ?? PROVENANCES.length - 1)}`,
    `"shadow":${column((i) => (nodes[i]!.provenance === 'shadow' ? 1 : 0))}`,
    `"community":${integerArrayJson(base.communities.membership)}`,
    `"in_degree":${integerArrayJson(inDegrees)}`,
    `"out_degree":${integerArrayJson(outDegrees)}`,
    `"x":${positions ? column((i) => round2(positions.x[i]!)) : 'null'}`,
    `"y":${positions ? column((i) => round2(positions.y[i]!)) : 'null'}`,
    `"named_community":${named ? integerArrayJson(named.community) : 'null'}`,
    `"community_confidence":${named ? fractionArrayJson(named.confidence) : 'null'}`,
    `"community_band":${named ? integerArrayJson(named.band) : 'null'}`,
  ];
  const edgeColumns = [
    `"source":${integerArrayJson(sources)}`,
    `"target":${integerArrayJson(g.outTargets)}`,
    `"mutual":${integerArrayJson(mutual)}`,
    `"shadow":${integerArrayJson(built.edgeShadow)}`,
  ];
  const headJson = JSON.stringify(head);
  // One piece per column, so they are compressed in parallel.
  return [
    `${headJson.slice(0, -1)},"nodes":{`,
    ...nodeColumns.map((c, i) => (i ? `,${c}` : c)),
    '},"edges":{',
    ...edgeColumns.map((c, i) => (i ? `,${c}` : c)),
    `},"interactions":${interactionsJson(built.interactions)}}`,
  ];
}

export interface SeedPart {
  seeds: string[];
  seeded: SeedMetrics;
}

function seedsHead(graph: AnalysedGraph, { seeds, seeded }: SeedPart): string {
  return JSON.stringify({
    seeds,
    resolved_seeds: seeded.seeds.resolved,
    unknown_seeds: seeded.seeds.unknown,
    graph_version: graph.version,
    source: graph.source,
  } satisfies SeedsHead).slice(1, -1);
}

export async function computeBody(
  graph: AnalysedGraph,
  part: SeedPart,
  top: { pagerank: unknown; betweenness: unknown; composite: unknown },
): Promise<BodyPiece[]> {
  const f = await fragments(graph);
  const g = graph.built.graph;
  const stats = JSON.stringify({
    graph: {
      nodes: g.nodeCount,
      edges: graph.base.undirectedEdges,
      directed_nodes: g.nodeCount,
      directed_edges: g.edgeCount,
    },
    pagerank_iterations: part.seeded.pagerankIterations,
  } satisfies Pick<ComputePayload, 'graph' | 'pagerank_iterations'>).slice(1, -1);
  return [
    `{${seedsHead(graph, part)},"metrics":{"pagerank":`,
    idMapJson(f.keys, part.seeded.pagerank, metric),
    ',"betweenness":',
    f.maps.betweenness,
    ',"engagement":',
    f.maps.engagement,
    ',"composite":',
    idMapJson(f.keys, part.seeded.composite, metric),
    ',"communities":',
    f.maps.communities,
    `},"top":${JSON.stringify(top)},${stats}}`,
  ];
}

export async function baseBody(graph: AnalysedGraph, part: SeedPart): Promise<BodyPiece[]> {
  const f = await fragments(graph);
  const mode = JSON.stringify(graph.base.betweenness.mode);
  return [
    `{${seedsHead(graph, part)},"node_count":${graph.built.graph.nodeCount},"betweenness_mode":${mode},"metrics":{`,
    `"pagerank":${metricArrayJson(part.seeded.pagerank)},"betweenness":`,
    f.arrays.betweenness,
    ',"engagement":',
    f.arrays.engagement,
    ',"communities":',
    f.arrays.communities,
    '}}',
  ];
}
