/**
 * The large JSON bodies of the API, written as text directly (SPEC §7.1, §7.3):
 *
 * - `/api/graph-data` is column-oriented: `nodes` is an object of equal-length arrays (one entry
 *   per node, in the graph's index order) and edges are numeric indexes into that node table — no
 *   repeated per-node or per-edge objects, so 95,000 nodes and 322,000 edges stay a few MB.
 * - `/api/metrics/compute` keeps the original's shape, maps keyed by account id. The three
 *   seed-independent maps are written once per graph version and spliced in, so a request only
 *   writes PageRank and the composite.
 * - `/api/metrics/base` gives plain arrays aligned with graph-data's node table, for re-weighting
 *   in the browser.
 */
import type { SeedMetrics } from '../graph/analysis.js';
import type { Provenance } from '../graph/build.js';
import { hasEdge, inDegree } from '../graph/graph.js';
import type { AnalysedGraph } from './graph-service.js';

export const PROVENANCES: readonly Provenance[] = ['archive', 'shadow', 'mentioned', 'id'];

function number(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** `[v0,v1,…]` of a typed array, NaN and infinities as null. */
export function arrayJson(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = number(values[i]!);
  return `[${parts.join(',')}]`;
}

/** Per analysed graph, the pieces every metrics response repeats. */
interface Fragments {
  quotedIds: string[];
  maps: { betweenness: string; engagement: string; communities: string };
  arrays: { betweenness: string; engagement: string; communities: string };
}

const fragmentsOf = new WeakMap<AnalysedGraph, Fragments>();

function fragments(graph: AnalysedGraph): Fragments {
  let found = fragmentsOf.get(graph);
  if (!found) {
    const quotedIds = graph.built.graph.ids.map((id) => JSON.stringify(id));
    const { betweenness, engagement, communities } = graph.base;
    found = {
      quotedIds,
      maps: {
        betweenness: idMapJson(quotedIds, betweenness.scores),
        engagement: idMapJson(quotedIds, engagement),
        communities: idMapJson(quotedIds, communities.membership),
      },
      arrays: { betweenness: arrayJson(betweenness.scores), engagement: arrayJson(engagement), communities: arrayJson(communities.membership) },
    };
    fragmentsOf.set(graph, found);
  }
  return found;
}

function idMapJson(quotedIds: readonly string[], values: ArrayLike<number>): string {
  const parts = new Array<string>(quotedIds.length);
  for (let i = 0; i < quotedIds.length; i++) parts[i] = `${quotedIds[i]}:${number(values[i]!)}`;
  return `{${parts.join(',')}}`;
}

function round2(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : null;
}

export function graphDataJson(graph: AnalysedGraph): string {
  const { built, base, positions } = graph;
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
    filters: graph.filters,
    directed_nodes: g.nodeCount,
    directed_edges: g.edgeCount,
    undirected_edges: base.undirectedEdges,
    communities: base.communities.count,
    provenances: PROVENANCES,
    has_layout: positions !== null,
  };
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
    `"community":${arrayJson(base.communities.membership)}`,
    `"in_degree":${arrayJson(inDegrees)}`,
    `"out_degree":${arrayJson(outDegrees)}`,
    `"x":${positions ? column((i) => round2(positions.x[i]!)) : 'null'}`,
    `"y":${positions ? column((i) => round2(positions.y[i]!)) : 'null'}`,
  ];
  const edgeColumns = [`"source":${arrayJson(sources)}`, `"target":${arrayJson(g.outTargets)}`, `"mutual":${arrayJson(mutual)}`, `"shadow":${arrayJson(built.edgeShadow)}`];
  const headJson = JSON.stringify(head);
  return `${headJson.slice(0, -1)},"nodes":{${nodeColumns.join(',')}},"edges":{${edgeColumns.join(',')}}}`;
}

export interface SeedPart {
  seeds: string[];
  seeded: SeedMetrics;
}

function seedsHead(graph: AnalysedGraph, { seeds, seeded }: SeedPart): string {
  return JSON.stringify({ seeds, resolved_seeds: seeded.seeds.resolved, unknown_seeds: seeded.seeds.unknown, graph_version: graph.version, source: graph.source }).slice(1, -1);
}

export function computeJson(graph: AnalysedGraph, part: SeedPart, top: { pagerank: unknown; betweenness: unknown; composite: unknown }): string {
  const f = fragments(graph);
  const g = graph.built.graph;
  const stats = JSON.stringify({
    graph: { nodes: g.nodeCount, edges: graph.base.undirectedEdges, directed_nodes: g.nodeCount, directed_edges: g.edgeCount },
    pagerank_iterations: part.seeded.pagerankIterations,
  }).slice(1, -1);
  const metrics = [
    `"pagerank":${idMapJson(f.quotedIds, part.seeded.pagerank)}`,
    `"betweenness":${f.maps.betweenness}`,
    `"engagement":${f.maps.engagement}`,
    `"composite":${idMapJson(f.quotedIds, part.seeded.composite)}`,
    `"communities":${f.maps.communities}`,
  ];
  return `{${seedsHead(graph, part)},"metrics":{${metrics.join(',')}},"top":${JSON.stringify(top)},${stats}}`;
}

export function baseJson(graph: AnalysedGraph, part: SeedPart): string {
  const f = fragments(graph);
  const metrics = [
    `"pagerank":${arrayJson(part.seeded.pagerank)}`,
    `"betweenness":${f.arrays.betweenness}`,
    `"engagement":${f.arrays.engagement}`,
    `"communities":${f.arrays.communities}`,
  ];
  return `{${seedsHead(graph, part)},"node_count":${graph.built.graph.nodeCount},"betweenness_mode":${JSON.stringify(graph.base.betweenness.mode)},"metrics":{${metrics.join(',')}}}`;
}
