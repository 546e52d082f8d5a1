/** Defaults of the graph metrics (SPEC §6.2), in one place. */
export const METRIC_DEFAULTS = {
  /** PageRank damping. */
  alpha: 0.85,
  /** Stop when the L1 change between iterations is below this. */
  pagerankTolerance: 1e-10,
  pagerankMaxIterations: 10_000,
  /** Exact betweenness up to this many nodes; sampled above it. */
  exactBetweennessMaxNodes: 10_000,
  /** Sources sampled for betweenness on larger graphs. */
  betweennessSamples: 500,
  /** Seed of the sampling: the same graph gives the same betweenness. */
  betweennessSeed: 42,
  /** Composite weights: PageRank, betweenness, engagement. */
  weights: [0.4, 0.3, 0.3] as readonly [number, number, number],
} as const;
