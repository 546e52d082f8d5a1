/**
 * Betweenness centrality on the undirected view of the follow graph, by Brandes'
 * algorithm (U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25(2),
 * 2001): one breadth-first search per source, dependencies accumulated in reverse order.
 *
 * Normalised as networkx's `betweenness_centrality(G, normalized=True)` for undirected graphs:
 * each pair is counted from both ends and scaled by 1/((n-1)(n-2)). Above a size threshold the
 * sources are a sample of k nodes drawn by a seeded generator (networkx's `k`, scaled by n/k), so
 * the same graph always gives the same values.
 */
import { createRng } from '../rng.js';
import { METRIC_DEFAULTS } from './defaults.js';
import type { UndirectedView } from './graph.js';

export interface BetweennessOptions {
  /** Exact when the graph has at most this many nodes, sampled otherwise. */
  exactMaxNodes?: number;
  /** Sources when sampling. */
  samples?: number;
  seed?: number;
}

export interface BetweennessResult {
  scores: Float64Array;
  mode: 'exact' | 'sampled';
  /** Sources used (n when exact). */
  sources: number;
}

export function betweenness(view: UndirectedView, options: BetweennessOptions = {}): BetweennessResult {
  const n = view.nodeCount;
  const exactMax = options.exactMaxNodes ?? METRIC_DEFAULTS.exactBetweennessMaxNodes;
  const samples = Math.min(n, options.samples ?? METRIC_DEFAULTS.betweennessSamples);
  const exact = n <= exactMax || samples >= n;
  const sources = exact
    ? Array.from({ length: n }, (_, i) => i)
    : sampleSources(n, samples, options.seed ?? METRIC_DEFAULTS.betweennessSeed);

  const scores = new Float64Array(n);
  const sigma = new Float64Array(n);
  const distance = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n); // nodes in BFS order; read backwards to accumulate
  for (const s of sources) {
    sigma.fill(0);
    distance.fill(-1);
    delta.fill(0);
    sigma[s] = 1;
    distance[s] = 0;
    order[0] = s;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const v = order[head++]!;
      for (let k = view.offsets[v]!, end = view.offsets[v + 1]!; k < end; k++) {
        const w = view.neighbours[k]!;
        if (distance[w] === -1) {
          distance[w] = distance[v]! + 1;
          order[tail++] = w;
        }
        if (distance[w] === distance[v]! + 1) sigma[w]! += sigma[v]!;
      }
    }
    // Predecessors of w are its neighbours one step closer to s: no lists needed.
    for (let i = tail - 1; i > 0; i--) {
      const w = order[i]!;
      const coefficient = (1 + delta[w]!) / sigma[w]!;
      for (let k = view.offsets[w]!, end = view.offsets[w + 1]!; k < end; k++) {
        const v = view.neighbours[k]!;
        if (distance[v] === distance[w]! - 1) delta[v]! += sigma[v]! * coefficient;
      }
      scores[w]! += delta[w]!;
    }
  }

  if (n > 2) {
    const scale = (1 / ((n - 1) * (n - 2))) * (exact ? 1 : n / sources.length);
    for (let i = 0; i < n; i++) scores[i]! *= scale;
  } else {
    scores.fill(0);
  }
  return { scores, mode: exact ? 'exact' : 'sampled', sources: sources.length };
}

/** k distinct node indexes from a seeded generator (partial Fisher–Yates shuffle). */
export function sampleSources(n: number, k: number, seed: number): number[] {
  const nodes = Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, n - 1);
    [nodes[i], nodes[j]] = [nodes[j]!, nodes[i]!];
  }
  return Array.from(nodes.subarray(0, k)).sort((a, b) => a - b);
}
