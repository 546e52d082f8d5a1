/**
 * Personalised PageRank (Page, Brin, Motwani & Winograd, "The PageRank Citation Ranking", 1999),
 * computed as networkx's `pagerank` does: with probability `alpha` a walker follows an
 * out-edge chosen uniformly, otherwise it jumps to a seed (to any node when there are no seeds);
 * a node that follows nobody sends its whole mass to the seeds. Power iteration from the uniform
 * vector until the L1 change falls below `tolerance`.
 */
import { METRIC_DEFAULTS } from './defaults.js';
import { GRAPH_DEFAULTS } from './params.js';
import type { FollowGraph } from './graph.js';
import { TpotError } from '../errors.js';

export interface PageRankOptions {
  alpha?: number;
  /** Dense indexes of the seed accounts; empty or absent means plain PageRank. */
  seeds?: readonly number[];
  tolerance?: number;
  maxIterations?: number;
}

export interface PageRankResult {
  scores: Float64Array;
  iterations: number;
  /** The last L1 change. */
  delta: number;
}

export class PageRankError extends TpotError {
  constructor(message: string) {
    super('usage', message);
  }
}

export function pagerank(graph: FollowGraph, options: PageRankOptions = {}): PageRankResult {
  const alpha = options.alpha ?? GRAPH_DEFAULTS.alpha;
  const tolerance = options.tolerance ?? METRIC_DEFAULTS.pagerankTolerance;
  const maxIterations = options.maxIterations ?? METRIC_DEFAULTS.pagerankMaxIterations;
  if (!(alpha > 0 && alpha < 1)) throw new PageRankError(`alpha must be between 0 and 1 (exclusive), got ${alpha}`);
  const n = graph.nodeCount;
  if (n === 0) return { scores: new Float64Array(0), iterations: 0, delta: 0 };

  const teleport = teleportVector(n, options.seeds ?? []);
  const inverseOut = new Float64Array(n);
  const dangling: number[] = [];
  for (let u = 0; u < n; u++) {
    const degree = graph.outOffsets[u + 1]! - graph.outOffsets[u]!;
    if (degree === 0) dangling.push(u);
    else inverseOut[u] = 1 / degree;
  }

  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const share = new Float64Array(n); // x[u] / outdeg(u), computed once per iteration
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    let danglingMass = 0;
    for (const u of dangling) danglingMass += x[u]!;
    for (let u = 0; u < n; u++) share[u] = x[u]! * inverseOut[u]!;
    const jump = alpha * danglingMass + (1 - alpha);
    let delta = 0;
    for (let v = 0; v < n; v++) {
      let incoming = 0;
      for (let k = graph.inOffsets[v]!, end = graph.inOffsets[v + 1]!; k < end; k++)
        incoming += share[graph.inSources[k]!]!;
      const value = alpha * incoming + jump * teleport[v]!;
      next[v] = value;
      delta += Math.abs(value - x[v]!);
    }
    [x, next] = [next, x];
    if (delta < tolerance) return { scores: x, iterations: iteration, delta };
  }
  throw new PageRankError(`PageRank did not converge in ${maxIterations} iterations`);
}

/** Uniform over the seeds (each counted once), or over every node when there are none. */
function teleportVector(n: number, seeds: readonly number[]): Float64Array {
  const teleport = new Float64Array(n);
  const unique = [...new Set(seeds)];
  if (unique.length === 0) return teleport.fill(1 / n);
  for (const seed of unique) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= n)
      throw new PageRankError(`seed index ${seed} is not a node of the graph`);
    teleport[seed] = 1 / unique.length;
  }
  return teleport;
}
