/**
 * Personalised PageRank per community, normalised by global PageRank ("lift"), the original's
 * second engine (docs/COMMUNITIES.md, "Engines"), with its three flaws fixed:
 *
 * - The walk follows who points at a community: from an account it steps to one of its followers
 *   (weight 1) or to an account it follows (weight `followedWeight`), so accounts known only as
 *   followed — most of the graph — are reachable too. Mass at an account with no ties at all goes
 *   back to the teleport vector instead of leaking away.
 * - A lift is shrunk toward 1 by the account's evidence, d / (d + evidencePrior) with d its weighted
 *   degree, so a leaf whose single tie is a seed no longer tops its community.
 * - Lifts are turned into a distribution: the excess lift e_c = max(0, lift_c − 1) is evidence for
 *   community c above the background, and "none" is the background itself (its lift is 1 by
 *   definition), so p_c = e_c / (1 + Σ e) and p_none = 1 / (1 + Σ e). An account no more reachable
 *   from a community's seeds than from anywhere is "none".
 *
 * The K community walks and the global walk are solved one after the other by power iteration.
 */
import type { PprLiftParams } from './defaults.js';
import { FOLLOWED_BY, FOLLOWS, type PropagationGraph } from './propagation-graph.js';
import type { Memberships, SeedAssignment } from './types.js';

export interface PprLiftSolution extends Memberships {
  /** The raw walks (n × (K + 1), column K the global PageRank): the warm start of the next solve. */
  readonly state: Float64Array;
}

export function solvePprLift(
  graph: PropagationGraph,
  seeds: SeedAssignment,
  params: PprLiftParams,
  warm?: Float64Array,
): PprLiftSolution {
  const n = graph.nodeCount;
  const K = seeds.communityCount;
  const C = K + 1;
  const { teleport: alpha, followedWeight, evidencePrior, tolerance, maxIterations } = params;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`teleport must be between 0 and 1, got ${alpha}`);
  const { offsets, neighbours, relation, degree } = graph;

  // Transition weight of a step from the neighbour of an entry to the entry's row account.
  const stepWeight = (bits: number): number => (bits & FOLLOWS ? 1 : 0) + (bits & FOLLOWED_BY ? followedWeight : 0);
  const outTotal = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let total = 0;
    // From u: to its followers (FOLLOWED_BY in u's row) with 1, to whom it follows with followedWeight.
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const bits = relation[e]!;
      total += (bits & FOLLOWED_BY ? 1 : 0) + (bits & FOLLOWS ? followedWeight : 0);
    }
    outTotal[u] = total;
  }
  const coefficient = new Float64Array(neighbours.length);
  for (let v = 0; v < n; v++) {
    for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
      const u = neighbours[e]!;
      coefficient[e] = outTotal[u]! > 0 ? stepWeight(relation[e]!) / outTotal[u]! : 0;
    }
  }

  const seedCounts = new Float64Array(K);
  for (let k = 0; k < seeds.nodes.length; k++) seedCounts[seeds.columns[k]!]!++;
  const state = new Float64Array(n * C);
  const teleportTo = new Float64Array(n);
  let x = new Float64Array(n);
  let next = new Float64Array(n);
  let iterations = 0;
  let residual = 0;
  let converged = true;
  // One column at a time: a column stays in the processor's cache (see harmonic.ts).
  for (let c = 0; c < C; c++) {
    if (c < K) {
      teleportTo.fill(0);
      for (let k = 0; k < seeds.nodes.length; k++)
        if (seeds.columns[k] === c) teleportTo[seeds.nodes[k]!] = 1 / seedCounts[c]!;
    } else teleportTo.fill(1 / n);
    if (warm) for (let i = 0; i < n; i++) x[i] = warm[i * C + c]!;
    else x.set(teleportTo);
    let change = Infinity;
    let k = 0;
    while (change >= tolerance && k < maxIterations) {
      k++;
      let dangling = 0;
      for (let u = 0; u < n; u++) if (outTotal[u] === 0) dangling += x[u]!;
      const jump = alpha + (1 - alpha) * dangling;
      change = 0;
      for (let v = 0; v < n; v++) {
        let incoming = 0;
        for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) incoming += coefficient[e]! * x[neighbours[e]!]!;
        const value = (1 - alpha) * incoming + jump * teleportTo[v]!;
        next[v] = value;
        change += Math.abs(value - x[v]!);
      }
      [x, next] = [next, x];
    }
    iterations = Math.max(iterations, k);
    residual = Math.max(residual, change);
    if (change >= tolerance) converged = false;
    for (let i = 0; i < n; i++) state[i * C + c] = x[i]!;
  }

  const weights = new Float64Array(n * C);
  const seedColumn = new Int32Array(n).fill(-1);
  for (let k = 0; k < seeds.nodes.length; k++) seedColumn[seeds.nodes[k]!] = seeds.columns[k]!;
  for (let i = 0; i < n; i++) {
    const row = i * C;
    if (seedColumn[i]! >= 0) {
      weights[row + seedColumn[i]!] = 1;
      continue;
    }
    const background = state[row + K]!;
    const evidence = degree[i]! / (degree[i]! + evidencePrior);
    let total = 1;
    for (let c = 0; c < K; c++) {
      const lift = background > 0 ? state[row + c]! / background : 0;
      const excess = Math.max(0, (lift - 1) * evidence);
      weights[row + c] = excess;
      total += excess;
    }
    for (let c = 0; c < K; c++) weights[row + c]! /= total;
    weights[row + K] = 1 / total;
  }
  return {
    nodeCount: n,
    communityCount: K,
    weights,
    converged,
    iterations,
    residual,
    state,
  };
}
