/**
 * The shapes the propagation engines share (docs/COMMUNITIES.md), and the two small readings of them every
 * stage needs. Plain data and typed arrays:
 * nothing here touches the database, so the engines, the bootstrap, the bands and the evaluation
 * are pure functions tested on graphs built in memory.
 */

/** Seeds placed on graph nodes: `nodes[k]` is a seed of community column `columns[k]` (0 … K−1). */
export interface SeedAssignment {
  readonly communityCount: number;
  readonly nodes: Int32Array;
  readonly columns: Int32Array;
}

/**
 * One propagation's answer: a row per node of K + 1 weights, row-major — columns 0 … K−1 are the
 * communities, column K is "none of these". Every row sums to 1.
 */
export interface Memberships {
  readonly nodeCount: number;
  readonly communityCount: number;
  /** nodeCount × (communityCount + 1). */
  readonly weights: Float64Array;
  readonly converged: boolean;
  /** Solver iterations (CG or power iterations; the largest over the columns). */
  readonly iterations: number;
  /** The largest relative residual (harmonic) or L1 change (ppr-lift) at the end. */
  readonly residual: number;
}

/**
 * Columns [from, from + count) of a matrix with a row per graph node, row-major: the value of node i in
 * column c is `values[i * count + c − from]`. What an engine solves a range of columns into, and how the
 * columns travel between the worker threads and the main thread.
 */
export interface ColumnBlock {
  readonly from: number;
  readonly count: number;
  readonly values: Float64Array;
}

/** A solved block, with how each column's solve ended. */
export interface SolvedColumns extends ColumnBlock {
  /** Per column: iterations until it met the tolerance (the cap when it did not). */
  readonly iterations: Int32Array;
  /** Per column: its residual at the end (relative residual, or L1 change). */
  readonly residuals: Float64Array;
  readonly converged: boolean;
}

export type EngineName = 'harmonic' | 'ppr-lift';

/** How sure we are of an account's place (docs/COMMUNITIES.md, "Bands"), most certain first. */
export const BANDS = ['exemplar', 'specialist', 'bridge', 'frontier', 'unclassified'] as const;
export type Band = (typeof BANDS)[number];

/** A count per band, all 0. */
export function emptyBandCounts(): Record<Band, number> {
  return { exemplar: 0, specialist: 0, bridge: 0, frontier: 0, unclassified: 0 };
}

/** The top column of a node's row of K + 1 weights ("none" included); the first one on a tie. */
export function topColumn(weights: Float64Array, node: number, columns: number): number {
  const row = node * columns;
  let best = 0;
  for (let c = 1; c < columns; c++) if (weights[row + c]! > weights[row + best]!) best = c;
  return best;
}
