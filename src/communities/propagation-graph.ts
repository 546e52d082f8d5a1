/**
 * The graph communities propagate over (docs/COMMUNITIES.md, "The graph"): the analysis's follow
 * graph, turned into one weighted, symmetric adjacency. A follow in one direction weighs 1; a pair
 * that follows each other weighs `mutualWeight` (a mutual follow is stronger evidence of being in
 * the same part of the network than a one-way follow of a popular account).
 *
 * With the graph's interaction layer, a pair that talks also gains `interactionWeight` × its interaction
 * weight (graph/interactions.ts), and a pair that talks without following becomes a neighbour pair.
 *
 * The directed follows stay available beside it: the ppr-lift engine walks them, and "enriched"
 * (whether we know whom an account follows) is read from them.
 */
import type { FollowGraph } from '../graph/graph.js';
import type { InteractionLayer } from '../graph/interactions.js';

export interface PropagationGraph {
  readonly nodeCount: number;
  /** Symmetric CSR: the neighbours of i are `neighbours[offsets[i] … offsets[i+1])`, sorted. */
  readonly offsets: Int32Array;
  readonly neighbours: Int32Array;
  /** The weight of each neighbour entry (both directions of a pair carry the same weight). */
  readonly weights: Float64Array;
  /** Per entry: FOLLOWS when the row's account follows the neighbour, FOLLOWED_BY when followed by it (or both). */
  readonly relation: Uint8Array;
  /** Per entry: the share of `weights` that comes from interactions (0 without them). */
  readonly interaction: Float64Array;
  /** Weighted degree: the sum of a row's weights. */
  readonly degree: Float64Array;
  /** The directed follow graph it was built from (u → v: u follows v). */
  readonly follows: FollowGraph;
}

/** What the engines read: the numbers, without the follow graph (so it can be shared with worker threads). */
export type SolverGraph = Omit<PropagationGraph, 'follows'>;

/** Bits of `relation`. */
export const FOLLOWS = 1;
export const FOLLOWED_BY = 2;

export interface PropagationGraphOptions {
  mutualWeight: number;
  /** The graph's interaction layer, over the same nodes; null or absent for follows only. */
  interactions?: InteractionLayer | null;
  /** How much an interaction weight counts beside a follow's 1. */
  interactionWeight?: number;
}

export function propagationGraph(follows: FollowGraph, options: PropagationGraphOptions): PropagationGraph {
  const { mutualWeight, interactions = null, interactionWeight = 0 } = options;
  if (!(mutualWeight >= 1)) throw new RangeError(`mutualWeight must be at least 1, got ${mutualWeight}`);
  if (!(interactionWeight >= 0)) throw new RangeError(`interactionWeight must be at least 0, got ${interactionWeight}`);
  const layer = interactionWeight > 0 ? interactions : null;
  const n = follows.nodeCount;
  const capacity = follows.edgeCount * 2 + (layer?.partners.length ?? 0);
  const offsets = new Int32Array(n + 1);
  const neighbours = new Int32Array(capacity);
  const weights = new Float64Array(capacity);
  const relation = new Uint8Array(capacity);
  const interaction = new Float64Array(capacity);
  const degree = new Float64Array(n);
  let write = 0;
  for (let u = 0; u < n; u++) {
    offsets[u] = write;
    // Merge u's sorted out-row, in-row and interaction row: a node in the first two is a mutual follow.
    let a = follows.outOffsets[u]!;
    const aEnd = follows.outOffsets[u + 1]!;
    let b = follows.inOffsets[u]!;
    const bEnd = follows.inOffsets[u + 1]!;
    let c = layer ? layer.offsets[u]! : 0;
    const cEnd = layer ? layer.offsets[u + 1]! : 0;
    while (a < aEnd || b < bEnd || c < cEnd) {
      const x = a < aEnd ? follows.outTargets[a]! : Infinity;
      const y = b < bEnd ? follows.inSources[b]! : Infinity;
      const z = c < cEnd ? layer!.partners[c]! : Infinity;
      const next = Math.min(x, y, z);
      const talk = z === next ? interactionWeight * layer!.weights[c]! : 0;
      const weight = (x === next && y === next ? mutualWeight : x === next || y === next ? 1 : 0) + talk;
      neighbours[write] = next;
      weights[write] = weight;
      relation[write] = (x === next ? FOLLOWS : 0) | (y === next ? FOLLOWED_BY : 0);
      interaction[write] = talk;
      degree[u]! += weight;
      write++;
      if (x === next) a++;
      if (y === next) b++;
      if (z === next) c++;
    }
  }
  offsets[n] = write;
  return {
    nodeCount: n,
    offsets,
    neighbours: neighbours.slice(0, write),
    weights: weights.slice(0, write),
    relation: relation.slice(0, write),
    interaction: interaction.slice(0, write),
    degree,
    follows,
  };
}

/** Whether we know whom the account follows: its own follow list is in the graph. */
export function isEnriched(graph: PropagationGraph, node: number): boolean {
  return graph.follows.outOffsets[node + 1]! > graph.follows.outOffsets[node]!;
}

/**
 * The nodes `include` accepts, in breadth-first order over the graph (through included nodes only), each
 * component from its lowest node: neighbours get nearby numbers, so a solver numbering its vectors this way
 * mostly finds a row's neighbours in the processor's cache.
 */
export function breadthFirstOrder(graph: SolverGraph, include: (node: number) => boolean): Int32Array {
  const { nodeCount: n, offsets, neighbours } = graph;
  const seen = new Uint8Array(n);
  const order: number[] = [];
  for (let start = 0; start < n; start++) {
    if (seen[start] || !include(start)) continue;
    seen[start] = 1;
    order.push(start);
    for (let head = order.length - 1; head < order.length; head++) {
      const i = order[head]!;
      for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++) {
        const j = neighbours[e]!;
        if (!seen[j] && include(j)) {
          seen[j] = 1;
          order.push(j);
        }
      }
    }
  }
  return Int32Array.from(order);
}
