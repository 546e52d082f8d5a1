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
 * The K community walks and the global walk (column K) are independent power iterations, solved one
 * after the other; a caller may solve any range of them (the worker pool gives each thread one).
 */
import type { PprLiftParams } from './defaults.js';
import { FOLLOWED_BY, FOLLOWS, type SolverGraph } from './propagation-graph.js';
import type { ColumnBlock, SeedAssignment, SolvedColumns } from './types.js';

/**
 * Solves walks [from, to) of the K + 1 (column K is the global PageRank). `warm`, when it holds a column, is
 * that walk's starting point.
 */
export function solvePprColumns(
  graph: SolverGraph,
  seeds: SeedAssignment,
  params: PprLiftParams,
  from: number,
  to: number,
  warm?: ColumnBlock,
): SolvedColumns {
  const n = graph.nodeCount;
  const K = seeds.communityCount;
  const { teleport: alpha, followedWeight, tolerance, maxIterations } = params;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`teleport must be between 0 and 1, got ${alpha}`);
  const { offsets, neighbours, relation } = graph;

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
  // Accounts with no step out: their mass goes back to the teleport.
  const danglingList: number[] = [];
  for (let u = 0; u < n; u++) if (outTotal[u] === 0) danglingList.push(u);
  const dangling = Int32Array.from(danglingList);

  const seedCounts = new Float64Array(K);
  for (let k = 0; k < seeds.nodes.length; k++) seedCounts[seeds.columns[k]!]!++;
  const count = to - from;
  const out = new Float64Array(n * count);
  const iterations = new Int32Array(count);
  const residuals = new Float64Array(count);
  const teleportTo = new Float64Array(n);
  let x = new Float64Array(n);
  let next = new Float64Array(n);
  for (let c = from; c < to; c++) {
    if (c < K) {
      teleportTo.fill(0);
      for (let k = 0; k < seeds.nodes.length; k++)
        if (seeds.columns[k] === c) teleportTo[seeds.nodes[k]!] = 1 / seedCounts[c]!;
    } else teleportTo.fill(1 / n);
    if (warm && c >= warm.from && c < warm.from + warm.count)
      for (let i = 0; i < n; i++) x[i] = warm.values[i * warm.count + c - warm.from]!;
    else x.set(teleportTo);
    let change = Infinity;
    let k = 0;
    while (change >= tolerance && k < maxIterations) {
      k++;
      let lost = 0;
      for (let d = 0; d < dangling.length; d++) lost += x[dangling[d]!]!;
      const jump = alpha + (1 - alpha) * lost;
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
    iterations[c - from] = k;
    residuals[c - from] = change;
    for (let i = 0; i < n; i++) out[i * count + c - from] = x[i]!;
  }
  return { from, count, values: out, iterations, residuals, converged: residuals.every((v) => v < tolerance) };
}

/**
 * Every node's K + 1 weights from the K + 1 walks (`state`, nodeCount × (K + 1)): the lifts, shrunk and made a
 * distribution.
 */
export function pprMemberships(
  graph: SolverGraph,
  seeds: SeedAssignment,
  params: Pick<PprLiftParams, 'evidencePrior'>,
  state: Float64Array,
): Float64Array {
  const n = graph.nodeCount;
  const K = seeds.communityCount;
  const C = K + 1;
  if (state.length !== n * C) throw new RangeError('the memberships need every walk');
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
    const evidence = graph.degree[i]! / (graph.degree[i]! + params.evidencePrior);
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
  return weights;
}
