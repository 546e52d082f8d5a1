/**
 * One propagation: seeds and a graph in, every account's distribution over the communities and
 * "none" out (docs/COMMUNITIES.md, "Engines"). Chooses the engine, applies the harmonic engine's
 * class balance and temperature, and refuses to answer when the solver did not converge — a run
 * that did not converge is not stored.
 */
import { TpotError } from '../errors.js';
import type { PropagationParams } from './defaults.js';
import { solveHarmonic } from './harmonic.js';
import { solvePprLift } from './ppr-lift.js';
import type { PropagationGraph } from './propagation-graph.js';
import type { Memberships, SeedAssignment } from './types.js';

export interface Propagation extends Memberships {
  /** The engine's raw solution, to warm-start the next solve on the same graph (bootstrap, folds, the next run). */
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
  graph: PropagationGraph,
  seeds: SeedAssignment,
  params: PropagationParams,
  options: { warm?: Float64Array } = {},
): Propagation {
  checkSeeds(graph, seeds);
  const C = seeds.communityCount + 1;
  const warm = options.warm?.length === graph.nodeCount * C ? options.warm : undefined;
  if (params.engine === 'ppr-lift') {
    const solved = solvePprLift(graph, seeds, params.pprLift, warm);
    if (!solved.converged)
      throw new PropagationError(
        `ppr-lift did not converge in ${solved.iterations} iterations (L1 change ${solved.residual.toExponential(2)})`,
      );
    return solved;
  }
  const solved = solveHarmonic(graph, seeds, params.harmonic, warm);
  if (!solved.converged)
    throw new PropagationError(
      `the harmonic solve did not converge in ${solved.iterations} iterations ` +
        `(relative residual ${solved.residual.toExponential(2)})`,
    );
  const state = solved.weights.slice();
  const weights = solved.weights;
  balanceAndSharpen(weights, seeds, params.harmonic.balance, params.harmonic.temperature);
  return { ...solved, weights, state };
}

/** Every community has a seed, every seed is a node and in one community. */
function checkSeeds(graph: PropagationGraph, seeds: SeedAssignment): void {
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
      const value = (weights[row + c]! * factor[c]!) ** exponent;
      weights[row + c] = value;
      after += value;
    }
    if (after === 0) continue;
    const scale = before / after;
    for (let c = 0; c < K; c++) weights[row + c]! *= scale;
  }
}
