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
 * The K community walks and the global walk (column K) are independent power iterations, four
 * advanced side by side over the graph in breadth-first numbering; a caller may solve any range of
 * them (the worker pool gives each thread one).
 */
import type { PprLiftParams } from './defaults.js';
import { breadthFirstOrder, FOLLOWED_BY, FOLLOWS, type SolverGraph } from './propagation-graph.js';
import type { ColumnBlock, SeedAssignment, SolvedColumns } from './types.js';

/** Walks advanced side by side: one pass over the adjacency serves four (as in harmonic.ts). */
const LANES = 4;

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
  const { offsets, neighbours, relation, interaction } = graph;

  // Transition weight of a step from the neighbour of entry e to the entry's row account. Interactions
  // weigh the same both ways.
  const stepWeight = (e: number): number => {
    const bits = relation[e]!;
    return (bits & FOLLOWS ? 1 : 0) + (bits & FOLLOWED_BY ? followedWeight : 0) + interaction[e]!;
  };
  const outTotal = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let total = 0;
    // From u: to its followers (FOLLOWED_BY in u's row) with 1, to whom it follows with followedWeight.
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const bits = relation[e]!;
      total += (bits & FOLLOWED_BY ? 1 : 0) + (bits & FOLLOWS ? followedWeight : 0) + interaction[e]!;
    }
    outTotal[u] = total;
  }
  const coefficient = new Float64Array(neighbours.length);
  for (let v = 0; v < n; v++) {
    for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
      const u = neighbours[e]!;
      coefficient[e] = outTotal[u]! > 0 ? stepWeight(e) / outTotal[u]! : 0;
    }
  }
  // The walks run in breadth-first numbering (position p is node order[p]), so a row's neighbours are near it.
  const order = breadthFirstOrder(graph, () => true);
  const position = new Int32Array(n);
  for (let at = 0; at < n; at++) position[order[at]!] = at;
  const rowStart = new Int32Array(n + 1);
  const column = new Int32Array(neighbours.length);
  const weight = new Float64Array(neighbours.length);
  for (let at = 0, k = 0; at < n; at++) {
    const v = order[at]!;
    for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++, k++) {
      column[k] = position[neighbours[e]!]! * LANES;
      weight[k] = coefficient[e]!;
    }
    rowStart[at + 1] = k;
  }
  // Accounts with no step out: their mass goes back to the teleport.
  const danglingList: number[] = [];
  for (let u = 0; u < n; u++) if (outTotal[u] === 0) danglingList.push(position[u]! * LANES);
  const dangling = Int32Array.from(danglingList);

  const seedCounts = new Float64Array(K);
  for (let k = 0; k < seeds.nodes.length; k++) seedCounts[seeds.columns[k]!]!++;
  const count = to - from;
  const out = new Float64Array(n * count);
  const iterations = new Int32Array(count);
  const residuals = new Float64Array(count);
  // Lane-interleaved: position p of lane l at p · LANES + l.
  const teleportTo = new Float64Array(n * LANES);
  let x = new Float64Array(n * LANES);
  let next = new Float64Array(n * LANES);
  const jumps = new Float64Array(LANES);
  const changes = new Float64Array(LANES);
  const change = new Float64Array(LANES);
  const active = new Uint8Array(LANES);
  for (let first = from; first < to; first += LANES) {
    const width = Math.min(LANES, to - first);
    teleportTo.fill(0);
    x.fill(0);
    active.fill(0);
    for (let lane = 0; lane < width; lane++) {
      const c = first + lane;
      if (c < K) {
        for (let k = 0; k < seeds.nodes.length; k++)
          if (seeds.columns[k] === c) teleportTo[position[seeds.nodes[k]!]! * LANES + lane] = 1 / seedCounts[c]!;
      } else for (let at = 0; at < n; at++) teleportTo[at * LANES + lane] = 1 / n;
      const warmed = warm && c >= warm.from && c < warm.from + warm.count;
      for (let at = 0; at < n; at++)
        x[at * LANES + lane] = warmed
          ? warm.values[order[at]! * warm.count + c - warm.from]!
          : teleportTo[at * LANES + lane]!;
      change[lane] = Infinity;
      active[lane] = 1;
    }
    for (let k = 1; k <= maxIterations && active.includes(1); k++) {
      for (let lane = 0; lane < LANES; lane++) {
        let lost = 0;
        for (let d = 0; d < dangling.length; d++) lost += x[dangling[d]! + lane]!;
        jumps[lane] = alpha + (1 - alpha) * lost;
      }
      walk(rowStart, column, weight, 1 - alpha, x, next, teleportTo, jumps, active, changes);
      [x, next] = [next, x];
      for (let lane = 0; lane < LANES; lane++) {
        if (!active[lane]) continue;
        change[lane] = changes[lane]!;
        iterations[first - from + lane] = k;
        if (changes[lane]! < tolerance) active[lane] = 0;
      }
    }
    for (let lane = 0; lane < width; lane++) {
      residuals[first - from + lane] = change[lane]!;
      for (let at = 0; at < n; at++) out[order[at]! * count + first - from + lane] = x[at * LANES + lane]!;
    }
  }
  return { from, count, values: out, iterations, residuals, converged: residuals.every((v) => v < tolerance) };
}

/**
 * One step of four walks: next = (1 − α)·P·x + jump·teleport in each lane still active (a lane that has converged
 * keeps its walk), and each lane's L1 change. `column` holds a neighbour's position × LANES. A function of its
 * own, so the compiler optimises it on its first calls rather than deep inside a long loop.
 */
function walk(
  rowStart: Int32Array,
  column: Int32Array,
  weight: Float64Array,
  stay: number,
  x: Float64Array,
  next: Float64Array,
  teleportTo: Float64Array,
  jumps: Float64Array,
  active: Uint8Array,
  changes: Float64Array,
): void {
  const j0 = jumps[0]!;
  const j1 = jumps[1]!;
  const j2 = jumps[2]!;
  const j3 = jumps[3]!;
  const on0 = active[0] === 1;
  const on1 = active[1] === 1;
  const on2 = active[2] === 1;
  const on3 = active[3] === 1;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  const n = rowStart.length - 1;
  for (let at = 0, o = 0; at < n; at++, o += LANES) {
    let i0 = 0;
    let i1 = 0;
    let i2 = 0;
    let i3 = 0;
    for (let e = rowStart[at]!, end = rowStart[at + 1]!; e < end; e++) {
      const w = weight[e]!;
      const j = column[e]!;
      i0 += w * x[j]!;
      i1 += w * x[j + 1]!;
      i2 += w * x[j + 2]!;
      i3 += w * x[j + 3]!;
    }
    const v0 = stay * i0 + j0 * teleportTo[o]!;
    const v1 = stay * i1 + j1 * teleportTo[o + 1]!;
    const v2 = stay * i2 + j2 * teleportTo[o + 2]!;
    const v3 = stay * i3 + j3 * teleportTo[o + 3]!;
    c0 += Math.abs(v0 - x[o]!);
    c1 += Math.abs(v1 - x[o + 1]!);
    c2 += Math.abs(v2 - x[o + 2]!);
    c3 += Math.abs(v3 - x[o + 3]!);
    next[o] = on0 ? v0 : x[o]!;
    next[o + 1] = on1 ? v1 : x[o + 1]!;
    next[o + 2] = on2 ? v2 : x[o + 2]!;
    next[o + 3] = on3 ? v3 : x[o + 3]!;
  }
  changes[0] = c0;
  changes[1] = c1;
  changes[2] = c2;
  changes[3] = c3;
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
