/**
 * The composite "TPOT-ness" score: each metric min-max normalised to [0, 1] (a metric
 * whose values are all equal becomes 0.5 everywhere), then w_pr·PR + w_bt·BT + w_eng·ENG.
 */
import { GRAPH_DEFAULTS, type Weights } from './params.js';
import { TpotError } from '../errors.js';

export function minMaxNormalise(values: Float64Array): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const out = new Float64Array(values.length);
  if (!(max > min)) return out.fill(0.5);
  const range = max - min;
  for (let i = 0; i < values.length; i++) out[i] = (values[i]! - min) / range;
  return out;
}

export class WeightsError extends TpotError {
  constructor(message: string) {
    super('usage', message);
  }
}

export function composite(
  pagerank: Float64Array,
  betweenness: Float64Array,
  engagement: Float64Array,
  weights: Weights = GRAPH_DEFAULTS.weights,
): Float64Array {
  if (pagerank.length !== betweenness.length || pagerank.length !== engagement.length) {
    throw new WeightsError('composite: the three metrics must cover the same nodes');
  }
  if (weights.length !== 3 || weights.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new WeightsError(
      `weights must be three numbers ≥ 0 (PageRank, betweenness, engagement), got ${JSON.stringify(weights)}`,
    );
  }
  const [wp, wb, we] = weights;
  const p = minMaxNormalise(pagerank);
  const b = minMaxNormalise(betweenness);
  const e = minMaxNormalise(engagement);
  const out = new Float64Array(pagerank.length);
  for (let i = 0; i < out.length; i++) out[i] = wp * p[i]! + wb * b[i]! + we * e[i]!;
  return out;
}
