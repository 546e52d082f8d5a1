/**
 * One propagation: seeds and a graph in, every account's distribution over the communities and
 * "none" out (docs/COMMUNITIES.md, "Engines"). Chooses the engine, applies the harmonic engine's
 * class balance and temperature, and refuses to answer when the solver did not converge — a run
 * that did not converge is not stored.
 *
 * An engine solves independent columns (harmonic: one per community; ppr-lift: one walk per
 * community and the global walk), then turns all of them into memberships. `propagate` solves every
 * column here; the worker pool (propagation-pool.ts) solves ranges of them on other threads and
 * combines them with the same `combineColumns`, so both give the same answer to the bit.
 */
import { TpotError } from '../errors.js';
import type { PropagationParams } from './defaults.js';
import { harmonicMemberships, solveHarmonicColumns } from './harmonic.js';
import { pprMemberships, solvePprColumns } from './ppr-lift.js';
import type { SolverGraph } from './propagation-graph.js';
import type { ColumnBlock, Memberships, SeedAssignment, SolvedColumns } from './types.js';

export interface Propagation extends Memberships {
  /**
   * The engine's raw solution (nodeCount × (K + 1)): harmonic's memberships before balance and temperature,
   * ppr-lift's walks. It warm-starts the next solve on the same graph (bootstrap, folds, the next run).
   */
  readonly state: Float64Array;
}

export class PropagationError extends TpotError {
  constructor(message: string) {
    super('input', message, {
      hint: 'Nothing was stored. Check the seeds (tpot communities list), or raise the iteration limit.',
    });
  }
}

export function propagate(
  graph: SolverGraph,
  seeds: SeedAssignment,
  params: PropagationParams,
  options: { warm?: Float64Array } = {},
): Propagation {
  checkSeeds(graph, seeds);
  const count = solvedColumnCount(params, seeds);
  const warm = warmColumns(graph, seeds, options.warm);
  return combineColumns(graph, seeds, params, [solveColumns(graph, seeds, params, 0, count, warm)]);
}

/** How many columns the engine solves: harmonic the K communities ("none" follows from them), ppr-lift K + 1 walks. */
export function solvedColumnCount(params: PropagationParams, seeds: SeedAssignment): number {
  return params.engine === 'ppr-lift' ? seeds.communityCount + 1 : seeds.communityCount;
}

/** Solves the engine's columns [from, to). */
export function solveColumns(
  graph: SolverGraph,
  seeds: SeedAssignment,
  params: PropagationParams,
  from: number,
  to: number,
  warm?: ColumnBlock,
): SolvedColumns {
  return params.engine === 'ppr-lift'
    ? solvePprColumns(graph, seeds, params.pprLift, from, to, warm)
    : solveHarmonicColumns(graph, seeds, params.harmonic, from, to, warm);
}

/** A previous run's state as the warm start of every column, when it has this run's shape. */
export function warmColumns(
  graph: SolverGraph,
  seeds: SeedAssignment,
  state: Float64Array | undefined,
): ColumnBlock | undefined {
  const C = seeds.communityCount + 1;
  return state?.length === graph.nodeCount * C ? { from: 0, count: C, values: state } : undefined;
}

/** The propagation from blocks that together hold every solved column; throws when a column did not converge. */
export function combineColumns(
  graph: SolverGraph,
  seeds: SeedAssignment,
  params: PropagationParams,
  blocks: readonly SolvedColumns[],
): Propagation {
  const n = graph.nodeCount;
  const K = seeds.communityCount;
  const count = solvedColumnCount(params, seeds);
  const sorted = [...blocks].sort((a, b) => a.from - b.from);
  let next = 0;
  for (const block of sorted) {
    if (block.from !== next) throw new RangeError(`solved columns ${next}… are missing`);
    next += block.count;
  }
  if (next !== count) throw new RangeError(`${count} columns are solved, not ${next}`);
  const iterations = Math.max(...sorted.flatMap((block) => [...block.iterations]));
  const residual = Math.max(...sorted.flatMap((block) => [...block.residuals]));
  const converged = sorted.every((block) => block.converged);
  if (!converged)
    throw new PropagationError(
      params.engine === 'ppr-lift'
        ? `ppr-lift did not converge in ${iterations} iterations (L1 change ${residual.toExponential(2)})`
        : `the harmonic solve did not converge in ${iterations} iterations ` +
            `(relative residual ${residual.toExponential(2)})`,
    );
  // Every engine's columns in one nodeCount × (K + 1) matrix: harmonic fills "none" (column K) itself.
  const matrix = joinColumns(n, K + 1, sorted);
  const summary = { nodeCount: n, communityCount: K, converged, iterations, residual };
  if (params.engine === 'ppr-lift')
    return { ...summary, weights: pprMemberships(graph, seeds, params.pprLift, matrix), state: matrix };
  harmonicMemberships(graph, seeds, params.harmonic, matrix);
  const weights = matrix.slice();
  balanceAndSharpen(weights, seeds, params.harmonic.balance, params.harmonic.temperature);
  return { ...summary, weights, state: matrix };
}

/** Every community has a seed, every seed is a node and in one community. */
export function checkSeeds(graph: SolverGraph, seeds: SeedAssignment): void {
  const K = seeds.communityCount;
  if (K < 1) throw new PropagationError('there are no communities to propagate');
  if (graph.nodeCount === 0) throw new PropagationError('the graph is empty');
  const counts = new Int32Array(K);
  const seen = new Set<number>();
  for (let k = 0; k < seeds.nodes.length; k++) {
    const node = seeds.nodes[k]!;
    const column = seeds.columns[k]!;
    if (node < 0 || node >= graph.nodeCount) throw new RangeError(`seed node ${node} is not in the graph`);
    if (column < 0 || column >= K) throw new RangeError(`seed column ${column} is not a community`);
    if (seen.has(node)) throw new RangeError(`seed node ${node} is given twice`);
    seen.add(node);
    counts[column]!++;
  }
  const empty = counts.findIndex((count) => count === 0);
  if (empty >= 0) throw new RangeError(`community column ${empty} has no seed in the graph`);
}

/** The blocks' columns side by side in a nodeCount × width matrix (row-major); columns no block holds stay 0. */
function joinColumns(n: number, width: number, blocks: readonly ColumnBlock[]): Float64Array {
  const matrix = new Float64Array(n * width);
  for (const { from, count, values } of blocks)
    for (let i = 0, row = from, at = 0; i < n; i++, row += width)
      for (let c = 0; c < count; c++) matrix[row + c] = values[at++]!;
  return matrix;
}

/**
 * Class balance, then temperature, over the community columns of each unseeded row; "none" keeps its
 * weight, so neither changes how likely an account is to be in TPOT at all, only where.
 */
function balanceAndSharpen(weights: Float64Array, seeds: SeedAssignment, balance: number, temperature: number): void {
  const K = seeds.communityCount;
  const C = K + 1;
  const counts = new Float64Array(K);
  for (let k = 0; k < seeds.columns.length; k++) counts[seeds.columns[k]!]!++;
  const fewest = Math.min(...counts);
  const factor = Float64Array.from(counts, (count) => (count / fewest) ** -balance);
  const exponent = 1 / temperature;
  if (balance === 0 && exponent === 1) return;
  const isSeed = new Uint8Array(weights.length / C);
  for (const node of seeds.nodes) isSeed[node] = 1;
  for (let i = 0, row = 0; i < isSeed.length; i++, row += C) {
    if (isSeed[i]) continue;
    let before = 0;
    let after = 0;
    for (let c = 0; c < K; c++) {
      before += weights[row + c]!;
      const scaled = weights[row + c]! * factor[c]!;
      // The default temperature, 0.5, squares: a multiplication instead of a call to pow.
      const value = exponent === 2 ? scaled * scaled : scaled ** exponent;
      weights[row + c] = value;
      after += value;
    }
    if (after === 0) continue;
    const scale = before / after;
    for (let c = 0; c < K; c++) weights[row + c]! *= scale;
  }
}
