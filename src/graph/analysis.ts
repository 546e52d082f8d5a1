/**
 * A full analysis of a built graph (docs/ARCHITECTURE.md, "Graph engine"): the seed-independent
 * metrics — betweenness, communities, engagement — computed once per graph (`baseMetrics`), and the
 * seed-dependent ones — personalised PageRank and the composite — computed per request
 * (`seedMetrics`). `analysisOutput` gives the original's `analysis_output.json` shape, keyed by
 * account id.
 */
import type { AnalysisOutput } from './analysis-output.js';
import { betweenness, type BetweennessOptions, type BetweennessResult } from './betweenness.js';
import type { BuiltGraph } from './build.js';
import { communities, type CommunityResult } from './communities.js';
import { composite } from './composite.js';
import { engagement } from './engagement.js';
import { undirected } from './graph.js';
import { interactionStrength } from './interactions.js';
import { pagerank } from './pagerank.js';
import { GRAPH_DEFAULTS, type Weights } from './params.js';

export interface BaseMetrics {
  betweenness: BetweennessResult;
  communities: CommunityResult;
  engagement: Float64Array;
  /** Edges of the undirected view (each pair once). */
  undirectedEdges: number;
  seconds: { betweenness: number; communities: number };
}

export interface SeedResolution {
  requested: string[];
  /** Account ids of the seeds found in the graph, in the order asked. */
  resolved: string[];
  /** Seeds that are not in the graph: reported, never silently dropped. */
  unknown: string[];
}

export interface SeedMetrics {
  seeds: SeedResolution;
  pagerank: Float64Array;
  pagerankIterations: number;
  composite: Float64Array;
  seconds: { pagerank: number };
}

export function baseMetrics(
  built: BuiltGraph,
  options: { betweenness?: BetweennessOptions; resolution?: number } = {},
): BaseMetrics {
  const view = undirected(built.graph);
  let started = performance.now();
  const between = betweenness(view, options.betweenness);
  const betweennessSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const parts = communities(view, options.resolution === undefined ? {} : { resolution: options.resolution });
  return {
    betweenness: between,
    communities: parts,
    // With the interaction layer, engagement is what the graph's accounts do with each other, not the
    // account's own counts per follower (docs/ARCHITECTURE.md, "Interaction signals").
    engagement: built.interactions ? interactionStrength(built.interactions) : engagement(built.nodes),
    undirectedEdges: view.neighbours.length / 2,
    seconds: { betweenness: betweennessSeconds, communities: (performance.now() - started) / 1000 },
  };
}

const handleIndexes = new WeakMap<BuiltGraph, ReadonlyMap<string, number>>();

/** Lower-cased handle → node index, built once per graph (the API resolves seeds on every request). */
export function handleIndex(built: BuiltGraph): ReadonlyMap<string, number> {
  let byHandle = handleIndexes.get(built);
  if (!byHandle) {
    const index = new Map<string, number>();
    built.nodes.forEach((node, i) => {
      const handle = node.username?.toLowerCase();
      if (handle !== undefined && !index.has(handle)) index.set(handle, i);
    });
    handleIndexes.set(built, index);
    byHandle = index;
  }
  return byHandle;
}

/** Seeds by account id or by handle (case-insensitive, with or without '@'). */
export function resolveSeeds(built: BuiltGraph, seeds: readonly string[]): SeedResolution {
  const byHandle = handleIndex(built);
  const resolved: string[] = [];
  const unknown: string[] = [];
  for (const seed of seeds) {
    const text = seed.trim().replace(/^@/, '');
    const i = byHandle.get(text.toLowerCase());
    const id = built.graph.index.has(text) ? text : i === undefined ? undefined : built.graph.ids[i];
    if (id === undefined) unknown.push(seed);
    else if (!resolved.includes(id)) resolved.push(id);
  }
  return { requested: [...seeds], resolved, unknown };
}

export function seedMetrics(
  built: BuiltGraph,
  base: BaseMetrics,
  options: { seeds?: readonly string[]; alpha?: number; weights?: Weights } = {},
): SeedMetrics {
  const seeds = resolveSeeds(built, options.seeds ?? []);
  const started = performance.now();
  const ranks = pagerank(built.graph, {
    seeds: seeds.resolved.map((id) => built.graph.index.get(id)!),
    ...(options.alpha === undefined ? {} : { alpha: options.alpha }),
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    seeds,
    pagerank: ranks.scores,
    pagerankIterations: ranks.iterations,
    composite: composite(
      ranks.scores,
      base.betweenness.scores,
      base.engagement,
      options.weights ?? GRAPH_DEFAULTS.weights,
    ),
    seconds: { pagerank: seconds },
  };
}

/** How many accounts each `top` list holds (the original's 20). */
export const TOP_COUNT = 20;

export function analysisOutput(built: BuiltGraph, base: BaseMetrics, seeded: SeedMetrics): AnalysisOutput {
  const ids = built.graph.ids;
  const byId = (values: ArrayLike<number>) => Object.fromEntries(ids.map((id, i) => [id, values[i]!]));
  return {
    seeds: seeded.seeds.requested,
    resolved_seeds: seeded.seeds.resolved,
    unknown_seeds: seeded.seeds.unknown,
    metrics: {
      pagerank: byId(seeded.pagerank),
      betweenness: byId(base.betweenness.scores),
      engagement: byId(base.engagement),
      composite: byId(seeded.composite),
      communities: byId(base.communities.membership),
    },
    top: {
      pagerank: top(ids, seeded.pagerank),
      betweenness: top(ids, base.betweenness.scores),
      composite: top(ids, seeded.composite),
    },
    graph: {
      nodes: built.graph.nodeCount,
      edges: base.undirectedEdges,
      directed_nodes: built.graph.nodeCount,
      directed_edges: built.graph.edgeCount,
    },
  };
}

/**
 * The `count` highest scores as [id, score], ties broken by id for a stable order. One pass that
 * keeps the best `count` in order, instead of sorting every node: the API calls this per request.
 */
export function top(ids: readonly string[], scores: Float64Array, count = TOP_COUNT): [string, number][] {
  const before = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && ids[a]! < ids[b]!);
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (best.length === count && !before(i, best[count - 1]!)) continue;
    let at = best.length === count ? count - 1 : best.length;
    while (at > 0 && before(i, best[at - 1]!)) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }
  return best.map((i) => [ids[i]!, scores[i]!]);
}
