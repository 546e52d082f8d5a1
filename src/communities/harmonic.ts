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
 *   (d_i + γ_i) f_i(c) − Σ_{j unseeded} w_ij f_j(c) = Σ_{j seed} w_ij [seed j ∈ c] + γ_i [c = none]
 *
 * a symmetric, strictly diagonally dominant (so positive definite) system, solved one column at a
 * time by Jacobi-preconditioned conjugate gradients. A column at a time, not all K + 1 interleaved:
 * one column of 200,000 doubles stays in the processor's cache while the adjacency is walked in
 * random order, which measured 2.3× faster (docs/BENCHMARKS.md, "Community propagation").
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
  const { absorption, tolerance, maxIterations } = params;
  if (!(absorption > 0)) throw new RangeError(`absorption must be above 0, got ${absorption}`);
  const { offsets, neighbours, weights } = graph;

  const seedColumn = new Int32Array(n).fill(-1);
  for (let k = 0; k < seeds.nodes.length; k++) seedColumn[seeds.nodes[k]!] = seeds.columns[k]!;
  const ground = groundWeights(graph, seedColumn, absorption);
  const { leafOf, diagonal, leafPull } = eliminateLeaves(graph, seedColumn, ground);
  // Seeds and leaves are not unknowns of the system: their inverse diagonal is 0.
  const inverseDiagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) if (seedColumn[i]! < 0 && leafOf[i]! < 0) inverseDiagonal[i] = 1 / diagonal[i]!;

  /**
   * to = A·from over the unknowns. Seed and leaf rows of `from` are always 0 (they are not unknowns), so a
   * neighbour's term needs no test: one random read per entry fewer.
   */
  const multiply = (from: Float64Array, to: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      if (inverseDiagonal[i] === 0) {
        to[i] = 0;
        continue;
      }
      let sum = diagonal[i]! * from[i]!;
      for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++) sum -= weights[e]! * from[neighbours[e]!]!;
      to[i] = sum;
    }
  };

  const out = new Float64Array(n * C);
  const b = new Float64Array(n);
  const x = new Float64Array(n);
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  const columnIterations = new Int32Array(C);
  let converged = true;
  let iterations = 0;
  let residual = 0;
  for (let c = 0; c < C; c++) {
    // Right-hand side: the pull of this community's neighbouring seeds, or the ground's pull on "none".
    for (let i = 0; i < n; i++) {
      if (inverseDiagonal[i] === 0) {
        b[i] = 0;
        continue;
      }
      let pull = c === K ? ground[i]! + leafPull[i]! : 0;
      if (c < K)
        for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++)
          if (seedColumn[neighbours[e]!] === c) pull += weights[e]!;
      b[i] = pull;
    }
    const bNorm = Math.sqrt(dot(b, b));
    // r = b − A·x0: keep the warm start only when it is closer than zero.
    x.fill(0);
    r.set(b);
    if (warm) {
      for (let i = 0; i < n; i++) x[i] = inverseDiagonal[i] === 0 ? 0 : warm[i * C + c]!;
      multiply(x, q);
      for (let i = 0; i < n; i++) r[i] = b[i]! - q[i]!;
      if (Math.sqrt(dot(r, r)) >= bNorm) {
        x.fill(0);
        r.set(b);
      }
    }
    for (let i = 0; i < n; i++) z[i] = r[i]! * inverseDiagonal[i]!;
    p.set(z);
    let rz = dot(r, z);
    let relative = bNorm === 0 ? 0 : Math.sqrt(dot(r, r)) / bNorm;
    let k = 0;
    while (relative > tolerance && k < maxIterations) {
      k++;
      multiply(p, q);
      const pq = dot(p, q);
      const step = pq === 0 ? 0 : rz / pq;
      let rr = 0;
      for (let i = 0; i < n; i++) {
        x[i]! += step * p[i]!;
        const ri = r[i]! - step * q[i]!;
        r[i] = ri;
        z[i] = ri * inverseDiagonal[i]!;
        rr += ri * ri;
      }
      const rzNext = dot(r, z);
      const beta = rz === 0 ? 0 : rzNext / rz;
      rz = rzNext;
      for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
      relative = Math.sqrt(rr) / bNorm;
    }
    columnIterations[c] = k;
    iterations = Math.max(iterations, k);
    residual = Math.max(residual, relative);
    if (relative > tolerance) converged = false;
    for (let i = 0; i < n; i++) out[i * C + c] = x[i]!;
  }

  // A leaf is the weighted average of its one neighbour and the ground.
  for (let i = 0; i < n; i++) {
    const j = leafOf[i]!;
    if (j < 0) continue;
    const w = weights[offsets[i]!]!;
    const scale = 1 / (w + ground[i]!);
    const row = i * C;
    const column = seedColumn[j]!;
    for (let c = 0; c < C; c++) {
      const neighbour = column >= 0 ? (c === column ? 1 : 0) : out[j * C + c]!;
      out[row + c] = (w * neighbour + (c === K ? ground[i]! : 0)) * scale;
    }
  }
  // Seeds are their community; round-off can leave tiny negatives elsewhere.
  for (let i = 0; i < n; i++) {
    const row = i * C;
    const column = seedColumn[i]!;
    if (column >= 0) {
      out[row + column] = 1;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < C; c++) {
      if (out[row + c]! < 0) out[row + c] = 0;
      sum += out[row + c]!;
    }
    if (sum > 0) for (let c = 0; c < C; c++) out[row + c]! /= sum;
    else out[row + K] = 1;
  }
  return { nodeCount: n, communityCount: K, weights: out, converged, iterations, residual, columnIterations };
}

/**
 * Each account's tie to the ground: absorption · π_S · (d_i + 1), where π_S = Σ_{seeds} d / Σ d is the share of
 * a random walk's time spent on seeds. A walk needs about 1/π_S steps to meet a seed, so a per-step chance of
 * absorption · π_S leaves a typical account's "none" share the same on a demo of 3,000 accounts with 36 seeds as
 * on 200,000 with 300: a fixed weight made "none" win everywhere on large graphs (docs/COMMUNITIES.md,
 * "harmonic"). The + 1 keeps an account without ties at exactly "none".
 */
function groundWeights(graph: PropagationGraph, seedColumn: Int32Array, absorption: number): Float64Array {
  let seedDegree = 0;
  let totalDegree = 0;
  for (let i = 0; i < graph.nodeCount; i++) {
    totalDegree += graph.degree[i]!;
    if (seedColumn[i]! >= 0) seedDegree += graph.degree[i]!;
  }
  const perStep = absorption * (totalDegree > 0 ? seedDegree / totalDegree : 1);
  return Float64Array.from(graph.degree, (d) => perStep * (d + 1));
}

/**
 * Leaves — unseeded accounts with one neighbour, which is a seed or an account with more than one — are solved
 * out of the system before conjugate gradients: a leaf i on j is f_i = (w·f_j + γ_i·[none]) / (w + γ_i), so
 * j's row loses the leaf and gains w²/(w + γ_i) less on its diagonal and w·γ_i/(w + γ_i) more pull towards
 * "none" (a Schur complement: the answer is the same). Most accounts of a follow graph are such leaves (known
 * only because one account follows them), and they are the system's worst-conditioned rows: a leaf is barely
 * tied to the ground, so removing them cuts both the work per iteration and the iterations.
 */
function eliminateLeaves(
  graph: PropagationGraph,
  seedColumn: Int32Array,
  ground: Float64Array,
): { leafOf: Int32Array; diagonal: Float64Array; leafPull: Float64Array } {
  const { nodeCount: n, offsets, neighbours, weights, degree } = graph;
  const rowLength = (i: number) => offsets[i + 1]! - offsets[i]!;
  const leafOf = new Int32Array(n).fill(-1);
  const diagonal = Float64Array.from(degree, (d, i) => d + ground[i]!);
  const leafPull = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (seedColumn[i]! >= 0 || rowLength(i) !== 1) continue;
    const j = neighbours[offsets[i]!]!;
    if (seedColumn[j]! < 0 && rowLength(j) === 1) continue; // a pair of leaves: left to the solver
    leafOf[i] = j;
    if (seedColumn[j]! >= 0) continue;
    const w = weights[offsets[i]!]!;
    diagonal[j]! -= (w * w) / (w + ground[i]!);
    leafPull[j]! += (w * ground[i]!) / (w + ground[i]!);
  }
  return { leafOf, diagonal, leafPull };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
