/**
 * Communities by Louvain modularity optimisation (V. D. Blondel, J.-L. Guillaume, R. Lambiotte,
 * E. Lefebvre, "Fast unfolding of communities in large networks", J. Stat. Mech. 2008), through
 * graphology-communities-louvain on the undirected view. The random generator is
 * seeded, so the same graph always gives the same partition; communities are numbered by size,
 * largest first, so the numbers are stable too.
 */
import louvainModule from 'graphology-communities-louvain';
import { createRng } from '../rng.js';
import type { UndirectedView } from './graph.js';
import { GRAPH_DEFAULTS } from './params.js';
import { toGraphology } from './graphology.js';

// The package is CommonJS: under Node's ESM loader its default import is the function itself,
// while its typings describe it as `.default`.
type Louvain = (typeof louvainModule)['default'];
const louvain: Louvain =
  (louvainModule as unknown as { default?: Louvain }).default ?? (louvainModule as unknown as Louvain);

/** Louvain's random seed: the same graph gives the same partition. */
export const LOUVAIN_SEED = 42;

export interface CommunityResult {
  /** Community number per node, 0 = the largest. */
  membership: Int32Array;
  count: number;
  modularity: number;
}

export function communities(
  view: UndirectedView,
  options: { resolution?: number; seed?: number } = {},
): CommunityResult {
  const resolution = options.resolution ?? GRAPH_DEFAULTS.resolution;
  if (!(resolution > 0)) throw new Error(`resolution must be a number above 0, got ${resolution}`);
  const n = view.nodeCount;
  const graph = toGraphology(view);
  const rng = createRng(options.seed ?? LOUVAIN_SEED);
  const result = louvain.detailed(graph, { resolution, rng: () => rng.next(), getEdgeWeight: null });

  // Renumber by size (then by smallest member) so numbering does not depend on Louvain's labels.
  const raw = Int32Array.from({ length: n }, (_, i) => result.communities[i]!);
  const sizes = new Map<number, { size: number; first: number }>();
  raw.forEach((label, node) => {
    const entry = sizes.get(label);
    if (entry) entry.size++;
    else sizes.set(label, { size: 1, first: node });
  });
  const order = [...sizes.entries()].sort((a, b) => b[1].size - a[1].size || a[1].first - b[1].first);
  const renumber = new Map(order.map(([label], rank) => [label, rank]));
  return { membership: raw.map((label) => renumber.get(label)!), count: order.length, modularity: result.modularity };
}
