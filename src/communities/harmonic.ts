/**
 * Harmonic label propagation with an explicit "none of these" ground (docs/COMMUNITIES.md,
 * "Engines"). After X. Zhu, Z. Ghahramani, J. Lafferty, "Semi-Supervised Learning Using Gaussian
 * Fields and Harmonic Functions", ICML 2003: seeds are clamped to their community, and every other
 * account takes the weighted average of its neighbours — the probability that a random walk from it
 * is absorbed by each community's seeds.
 *
 * Unlike the original, "none" is not seeded from the seeds' leftovers: every account is also tied,
 * with weight `absorption`, to a ground node that belongs to "none". A walk that wanders away from
 * every seed is absorbed there, so an account far from all seeds, or with a single weak tie, is
 * mostly "none" instead of being forced into a community, and the K + 1 columns of every row sum to
 * 1 by construction. For an unseeded account i with weighted degree d_i:
 *
 *   (d_i + γ) f_i(c) − Σ_{j unseeded} w_ij f_j(c) = Σ_{j seed} w_ij [seed j ∈ c] + γ [c = none]
 *
 * a symmetric, strictly diagonally dominant (so positive definite) system, solved for all K + 1
 * columns at once by Jacobi-preconditioned conjugate gradients: one pass over the adjacency per
 * iteration updates every column, with the columns interleaved in memory so a neighbour's K + 1
 * values are read together.
 */
import type { HarmonicParams } from './defaults.js';
import type { PropagationGraph } from './propagation-graph.js';
import type { Memberships, SeedAssignment } from './types.js';

export interface HarmonicSolution extends Memberships {
  /** Per column: CG iterations until its residual fell below the tolerance (the cap when it did not). */
  readonly columnIterations: Int32Array;
}

/**
 * Solves the K + 1 absorption probabilities. Seed rows are one-hot on their community. `warm` (the same
 * shape) is the starting point; a column whose warm start is worse than zero starts from zero.
 */
export function solveHarmonic(
  graph: PropagationGraph,
  seeds: SeedAssignment,
  params: Pick<HarmonicParams, 'absorption' | 'tolerance' | 'maxIterations'>,
  warm?: Float64Array,
): HarmonicSolution {
  const n = graph.nodeCount;
  const K = seeds.communityCount;
  const C = K + 1;
  const { absorption: gamma, tolerance, maxIterations } = params;
  if (!(gamma > 0)) throw new RangeError(`absorption must be above 0, got ${gamma}`);
  const { offsets, neighbours, weights, degree } = graph;

  const seedColumn = new Int32Array(n).fill(-1);
  for (let k = 0; k < seeds.nodes.length; k++) seedColumn[seeds.nodes[k]!] = seeds.columns[k]!;

  // Right-hand side: the pull of neighbouring seeds, plus the ground's pull on "none".
  const b = new Float64Array(n * C);
  const inverseDiagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (seedColumn[i]! >= 0) continue;
    inverseDiagonal[i] = 1 / (degree[i]! + gamma);
    const row = i * C;
    b[row + K] = gamma;
    for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++) {
      const column = seedColumn[neighbours[e]!]!;
      if (column >= 0) b[row + column]! += weights[e]!;
    }
  }

  const x = new Float64Array(n * C);
  const r = new Float64Array(n * C);
  const z = new Float64Array(n * C);
  const p = new Float64Array(n * C);
  const q = new Float64Array(n * C);
  const multiply = (from: Float64Array, to: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      const row = i * C;
      if (seedColumn[i]! >= 0) {
        for (let c = 0; c < C; c++) to[row + c] = 0;
        continue;
      }
      const diagonal = degree[i]! + gamma;
      for (let c = 0; c < C; c++) to[row + c] = diagonal * from[row + c]!;
      for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++) {
        const j = neighbours[e]!;
        if (seedColumn[j]! >= 0) continue;
        const w = weights[e]!;
        const other = j * C;
        for (let c = 0; c < C; c++) to[row + c]! -= w * from[other + c]!;
      }
    }
  };

  const bNorm = columnNorms(b, n, C);
  // r = b − A·x0, column by column: keep the warm start only where it helps.
  if (warm) {
    for (let i = 0; i < n; i++) if (seedColumn[i]! < 0) for (let c = 0; c < C; c++) x[i * C + c] = warm[i * C + c]!;
    multiply(x, q);
    for (let k = 0; k < n * C; k++) r[k] = b[k]! - q[k]!;
    const warmNorm = columnNorms(r, n, C);
    for (let c = 0; c < C; c++) {
      if (warmNorm[c]! < bNorm[c]!) continue;
      for (let i = 0; i < n; i++) {
        x[i * C + c] = 0;
        r[i * C + c] = b[i * C + c]!;
      }
    }
  } else r.set(b);

  for (let i = 0; i < n; i++) for (let c = 0, row = i * C; c < C; c++) z[row + c] = r[row + c]! * inverseDiagonal[i]!;
  p.set(z);
  const rz = columnDots(r, z, n, C);
  const done = new Uint8Array(C);
  const columnIterations = new Int32Array(C);
  const relative = new Float64Array(C);
  const updateDone = (iteration: number): boolean => {
    const norms = columnNorms(r, n, C);
    let all = true;
    for (let c = 0; c < C; c++) {
      relative[c] = bNorm[c]! === 0 ? 0 : norms[c]! / bNorm[c]!;
      if (!done[c] && relative[c]! <= tolerance) {
        done[c] = 1;
        columnIterations[c] = iteration;
      }
      if (!done[c]) all = false;
    }
    return all;
  };

  let iterations = 0;
  let converged = updateDone(0);
  while (!converged && iterations < maxIterations) {
    iterations++;
    multiply(p, q);
    const pq = columnDots(p, q, n, C);
    const step = new Float64Array(C);
    for (let c = 0; c < C; c++) step[c] = done[c] || pq[c] === 0 ? 0 : rz[c]! / pq[c]!;
    for (let i = 0; i < n; i++) {
      const scale = inverseDiagonal[i]!;
      for (let c = 0, k = i * C; c < C; c++, k++) {
        x[k]! += step[c]! * p[k]!;
        r[k]! -= step[c]! * q[k]!;
        z[k] = r[k]! * scale;
      }
    }
    const rzNext = columnDots(r, z, n, C);
    for (let c = 0; c < C; c++) {
      const beta = rz[c] === 0 ? 0 : rzNext[c]! / rz[c]!;
      rz[c] = rzNext[c]!;
      if (done[c]) continue;
      for (let i = 0; i < n; i++) p[i * C + c] = z[i * C + c]! + beta * p[i * C + c]!;
    }
    converged = updateDone(iterations);
  }
  for (let c = 0; c < C; c++) if (!done[c]) columnIterations[c] = iterations;

  // Seeds are their community; round-off can leave tiny negatives elsewhere.
  for (let i = 0; i < n; i++) {
    const row = i * C;
    const column = seedColumn[i]!;
    if (column >= 0) {
      for (let c = 0; c < C; c++) x[row + c] = c === column ? 1 : 0;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < C; c++) {
      if (x[row + c]! < 0) x[row + c] = 0;
      sum += x[row + c]!;
    }
    if (sum > 0) for (let c = 0; c < C; c++) x[row + c]! /= sum;
    else x[row + K] = 1;
  }
  let residual = 0;
  for (const value of relative) residual = Math.max(residual, value);
  return {
    nodeCount: n,
    communityCount: K,
    weights: x,
    converged,
    iterations,
    residual,
    columnIterations,
  };
}

function columnNorms(v: Float64Array, n: number, C: number): Float64Array {
  const out = columnDots(v, v, n, C);
  for (let c = 0; c < C; c++) out[c] = Math.sqrt(out[c]!);
  return out;
}

function columnDots(a: Float64Array, b: Float64Array, n: number, C: number): Float64Array {
  const out = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    const row = i * C;
    for (let c = 0; c < C; c++) out[c]! += a[row + c]! * b[row + c]!;
  }
  return out;
}
