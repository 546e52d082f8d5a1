/**
 * Defaults of the metrics' internals. The parameters a user sets (damping, weights, resolution)
 * are in params.ts, with the rest of the graph-view parameters.
 */
export const METRIC_DEFAULTS = {
  /** Stop when the L1 change between iterations is below this. */
  pagerankTolerance: 1e-10,
  pagerankMaxIterations: 10_000,
  /** Exact betweenness up to this many nodes; sampled above it. */
  exactBetweennessMaxNodes: 10_000,
  /** Sources sampled for betweenness on larger graphs. */
  betweennessSamples: 500,
  /** Seed of the sampling: the same graph gives the same betweenness. */
  betweennessSeed: 42,
} as const;

/**
 * How stored interactions become the weights of the interaction layer (graph/interactions.ts). A reply
 * is a conversation and a quote is commentary; a mention addresses someone; a retweet passes them on; a
 * like costs least. A year-old interaction counts half as much as today's.
 */
export const INTERACTION_DEFAULTS = Object.freeze({
  kindWeights: Object.freeze({ reply: 1, quote: 0.8, mention: 0.6, retweet: 0.5, like: 0.3 }),
  halfLifeDays: 365,
});
