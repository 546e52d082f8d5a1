/**
 * Re-ranking in the browser: the composite "TPOT-ness" from the base metrics the
 * server sent and the weights of the sliders, without a round trip. The formula is the engine's
 * own (src/graph/composite.ts), imported, not copied.
 */
import { composite, minMaxNormalise } from '../../src/graph/composite';
import type { BaseMetrics } from './api';

export interface Ranking {
  composite: Float64Array;
  pagerank: Float64Array;
  betweenness: Float64Array;
  engagement: Float64Array;
}

export function rank(base: BaseMetrics, weights: readonly [number, number, number]): Ranking {
  const pagerank = Float64Array.from(base.metrics.pagerank);
  const betweenness = Float64Array.from(base.metrics.betweenness);
  const engagement = Float64Array.from(base.metrics.engagement);
  return { composite: composite(pagerank, betweenness, engagement, weights), pagerank, betweenness, engagement };
}

/** Indexes of the `count` highest scores (ties by index), optionally only those `keep` accepts. */
export function topIndexes(scores: Float64Array, count: number, keep: (i: number) => boolean = () => true): number[] {
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) if (keep(i)) out.push(i);
  out.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return out.slice(0, count);
}

/** Sizes for the map: 2–14 px by the square root of the normalised composite. */
export function nodeSizes(scores: Float64Array): Float64Array {
  const normalised = minMaxNormalise(scores);
  return normalised.map((value) => 2 + 12 * Math.sqrt(value));
}
