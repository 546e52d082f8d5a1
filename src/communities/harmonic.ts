/**
 * Harmonic label propagation with an explicit "none of these" ground (docs/COMMUNITIES.md,
 * "Engines"). After X. Zhu, Z. Ghahramani, J. Lafferty, "Semi-Supervised Learning Using Gaussian
 * Fields and Harmonic Functions", ICML 2003: seeds are clamped to their community, and every other
 * account takes the weighted average of its neighbours — the probability that a random walk from it
 * is absorbed by each community's seeds.
 *
 * Unlike the original, "none" is not seeded from the seeds' leftovers: every account is also tied,
 * with weight γ_i, to a ground node that belongs to "none". A walk that wanders away from every seed
 * is absorbed there, so an account far from all seeds, or with a single weak tie, is mostly "none"
 * instead of being forced into a community. For an unseeded account i with weighted degree d_i and a
 * community c:
 *
 *   (d_i + γ_i) f_i(c) − Σ_{j unseeded} w_ij f_j(c) = Σ_{j seed} w_ij [seed j ∈ c]
 *
 * a symmetric, strictly diagonally dominant (so positive definite) system, each column solved by
 * Jacobi-preconditioned conjugate gradients. The K community columns and "none" are
 * absorption probabilities of one walk, so they sum to 1: "none" is 1 − Σ f(c) and is not solved
 * (it was the slowest column: its right-hand side, the ground, is small everywhere).
 *
 * Four columns side by side (LANES), over a compact system numbered in breadth-first order, so the
 * vectors a row reads are mostly in the processor's cache: four in breadth-first order measured 1.3×
 * faster per column than one at a time (docs/BENCHMARKS.md). Columns are
 * independent, so a caller may solve any range of them — the worker pool (propagation-pool.ts)
 * gives each thread one.
 */
import type { HarmonicParams } from './defaults.js';
import { breadthFirstOrder, type SolverGraph } from './propagation-graph.js';
import type { ColumnBlock, SeedAssignment, SolvedColumns } from './types.js';

type HarmonicSolveParams = Pick<HarmonicParams, 'absorption' | 'tolerance' | 'maxIterations'>;

/** Who is an unknown of the system, the ground, and the leaves solved out: what the solve and the assembly share. */
interface Layout {
  /** Per node: its seed's community column, or −1. */
  readonly seedColumn: Int32Array;
  /** Per node: γ_i, its tie to the ground. */
  readonly ground: Float64Array;
  /** Per node: the neighbour a leaf hangs on, or −1 when it is not a leaf solved out. */
  readonly leafOf: Int32Array;
}

/** The system over the unknowns — unseeded accounts that are not leaves — renumbered 0 … m−1, in node order. */
interface HarmonicSystem {
  /** The node of each unknown. */
  readonly nodes: Int32Array;
  /** The off-diagonal entries between unknowns (CSR over unknown numbers) and the diagonal. */
  readonly offsets: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
  readonly diagonal: Float64Array;
  readonly inverseDiagonal: Float64Array;
  /** Each unknown's ties to seeds (CSR): the seed's community column and the tie's weight — the right-hand sides. */
  readonly pullOffsets: Int32Array;
  readonly pullColumn: Int32Array;
  readonly pullWeight: Float64Array;
}

/**
 * Columns solved side by side: one walk of the adjacency serves four columns, each its own conjugate-gradient
 * solve (a column's arithmetic is exactly what it would be alone). Reading a row's neighbours once for four
 * columns instead of once per column measured 1.3× faster per column (docs/BENCHMARKS.md).
 */
const LANES = 4;

/**
 * Solves community columns [from, to) of the absorption probabilities (0 ≤ from < to ≤ K). The block's rows are
 * the graph's nodes; only the system's unknowns are filled (seeds and leaves are filled by `harmonicMemberships`).
 * `warm`, when it holds a column, is that column's starting point; a start worse than zero is dropped.
 */
export function solveHarmonicColumns(
  graph: SolverGraph,
  seeds: SeedAssignment,
  params: HarmonicSolveParams,
  from: number,
  to: number,
  warm?: ColumnBlock,
): SolvedColumns {
  const { tolerance, maxIterations } = params;
  const system = harmonicSystem(graph, layoutOf(graph, seeds, params.absorption));
  const { nodes, offsets, columns, values, diagonal, inverseDiagonal, pullOffsets, pullColumn, pullWeight } = system;
  const m = nodes.length;
  const count = to - from;
  const out = new Float64Array(graph.nodeCount * count);
  const iterations = new Int32Array(count);
  const residuals = new Float64Array(count);
  // Lane-interleaved vectors: unknown u of lane l at u · LANES + l.
  const size = m * LANES;
  const b = new Float64Array(size);
  const x = new Float64Array(size);
  const r = new Float64Array(size);
  const z = new Float64Array(size);
  const p = new Float64Array(size);
  const q = new Float64Array(size);
  const pq = new Float64Array(LANES);
  const step = new Float64Array(LANES);
  const beta = new Float64Array(LANES);
  const rr = new Float64Array(LANES);
  const rz = new Float64Array(LANES);
  const rzNext = new Float64Array(LANES);
  const bNorm = new Float64Array(LANES);
  const relative = new Float64Array(LANES);
  const active = new Uint8Array(LANES);

  /** into = A·v in every lane; `products` gets each lane's v·(A·v), the step's denominator. */
  const multiply = (v: Float64Array, into: Float64Array, products: Float64Array): void => {
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    for (let u = 0, o = 0; u < m; u++, o += LANES) {
      const d = diagonal[u]!;
      let s0 = d * v[o]!;
      let s1 = d * v[o + 1]!;
      let s2 = d * v[o + 2]!;
      let s3 = d * v[o + 3]!;
      for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
        const w = values[e]!;
        const j = columns[e]! * LANES;
        s0 -= w * v[j]!;
        s1 -= w * v[j + 1]!;
        s2 -= w * v[j + 2]!;
        s3 -= w * v[j + 3]!;
      }
      into[o] = s0;
      into[o + 1] = s1;
      into[o + 2] = s2;
      into[o + 3] = s3;
      p0 += s0 * v[o]!;
      p1 += s1 * v[o + 1]!;
      p2 += s2 * v[o + 2]!;
      p3 += s3 * v[o + 3]!;
    }
    products[0] = p0;
    products[1] = p1;
    products[2] = p2;
    products[3] = p3;
  };

  /** x += step·p, r −= step·q, z = r / diagonal in every lane, with each lane's r·r and r·z. */
  const advance = (): void => {
    const a0 = step[0]!;
    const a1 = step[1]!;
    const a2 = step[2]!;
    const a3 = step[3]!;
    let rr0 = 0;
    let rr1 = 0;
    let rr2 = 0;
    let rr3 = 0;
    let rz0 = 0;
    let rz1 = 0;
    let rz2 = 0;
    let rz3 = 0;
    for (let u = 0, o = 0; u < m; u++, o += LANES) {
      const inverse = inverseDiagonal[u]!;
      x[o]! += a0 * p[o]!;
      x[o + 1]! += a1 * p[o + 1]!;
      x[o + 2]! += a2 * p[o + 2]!;
      x[o + 3]! += a3 * p[o + 3]!;
      const r0 = r[o]! - a0 * q[o]!;
      const r1 = r[o + 1]! - a1 * q[o + 1]!;
      const r2 = r[o + 2]! - a2 * q[o + 2]!;
      const r3 = r[o + 3]! - a3 * q[o + 3]!;
      r[o] = r0;
      r[o + 1] = r1;
      r[o + 2] = r2;
      r[o + 3] = r3;
      const z0 = r0 * inverse;
      const z1 = r1 * inverse;
      const z2 = r2 * inverse;
      const z3 = r3 * inverse;
      z[o] = z0;
      z[o + 1] = z1;
      z[o + 2] = z2;
      z[o + 3] = z3;
      rr0 += r0 * r0;
      rr1 += r1 * r1;
      rr2 += r2 * r2;
      rr3 += r3 * r3;
      rz0 += r0 * z0;
      rz1 += r1 * z1;
      rz2 += r2 * z2;
      rz3 += r3 * z3;
    }
    rr[0] = rr0;
    rr[1] = rr1;
    rr[2] = rr2;
    rr[3] = rr3;
    rzNext[0] = rz0;
    rzNext[1] = rz1;
    rzNext[2] = rz2;
    rzNext[3] = rz3;
  };

  for (let first = from; first < to; first += LANES) {
    const width = Math.min(LANES, to - first);
    // Right-hand sides: each lane's pull of its community's neighbouring seeds (lanes past `width` stay 0).
    b.fill(0);
    for (let u = 0; u < m; u++)
      for (let e = pullOffsets[u]!, end = pullOffsets[u + 1]!; e < end; e++) {
        const lane = pullColumn[e]! - first;
        if (lane >= 0 && lane < width) b[u * LANES + lane]! += pullWeight[e]!;
      }
    x.fill(0);
    const warmLanes: number[] = [];
    for (let lane = 0; lane < width; lane++) {
      const c = first + lane;
      if (!warm || c < warm.from || c >= warm.from + warm.count) continue;
      warmLanes.push(lane);
      for (let u = 0; u < m; u++) x[u * LANES + lane] = warm.values[nodes[u]! * warm.count + c - warm.from]!;
    }
    multiply(x, q, pq);
    for (let i = 0; i < size; i++) r[i] = b[i]! - q[i]!;
    for (let lane = 0; lane < LANES; lane++) {
      let bb = 0;
      let warmRr = 0;
      for (let i = lane; i < size; i += LANES) {
        bb += b[i]! * b[i]!;
        warmRr += r[i]! * r[i]!;
      }
      bNorm[lane] = Math.sqrt(bb);
      rr[lane] = warmRr;
      // Keep a warm start only when it is closer than zero.
      if (warmLanes.includes(lane) && warmRr >= bb) {
        for (let i = lane; i < size; i += LANES) {
          x[i] = 0;
          r[i] = b[i]!;
        }
        rr[lane] = bb;
      }
    }
    rz.fill(0);
    for (let i = 0; i < size; i++) {
      z[i] = r[i]! * inverseDiagonal[Math.floor(i / LANES)]!;
      p[i] = z[i]!;
      rz[i % LANES]! += r[i]! * z[i]!;
    }
    for (let lane = 0; lane < LANES; lane++) {
      relative[lane] = bNorm[lane] === 0 ? 0 : Math.sqrt(rr[lane]!) / bNorm[lane]!;
      active[lane] = lane < width && relative[lane]! > tolerance ? 1 : 0;
      if (lane < width) iterations[first - from + lane] = 0;
    }
    for (let k = 1; k <= maxIterations && active.includes(1); k++) {
      multiply(p, q, pq);
      for (let lane = 0; lane < LANES; lane++) step[lane] = active[lane] && pq[lane] !== 0 ? rz[lane]! / pq[lane]! : 0;
      advance();
      for (let lane = 0; lane < LANES; lane++) {
        if (!active[lane]) {
          beta[lane] = 0;
          continue;
        }
        beta[lane] = rz[lane] === 0 ? 0 : rzNext[lane]! / rz[lane]!;
        rz[lane] = rzNext[lane]!;
        relative[lane] = Math.sqrt(rr[lane]!) / bNorm[lane]!;
        iterations[first - from + lane] = k;
        if (relative[lane]! <= tolerance) active[lane] = 0;
      }
      const [b0, b1, b2, b3] = [beta[0]!, beta[1]!, beta[2]!, beta[3]!];
      for (let o = 0; o < size; o += LANES) {
        p[o] = z[o]! + b0 * p[o]!;
        p[o + 1] = z[o + 1]! + b1 * p[o + 1]!;
        p[o + 2] = z[o + 2]! + b2 * p[o + 2]!;
        p[o + 3] = z[o + 3]! + b3 * p[o + 3]!;
      }
    }
    for (let lane = 0; lane < width; lane++) {
      residuals[first - from + lane] = relative[lane]!;
      for (let u = 0; u < m; u++) out[nodes[u]! * count + first - from + lane] = x[u * LANES + lane]!;
    }
  }
  return { from, count, values: out, iterations, residuals, converged: residuals.every((v) => v <= tolerance) };
}

/**
 * Every node's K + 1 weights, in place: `matrix` (nodeCount × (K + 1)) holds the solved community columns of the
 * unknowns; seeds become their community, a leaf the weighted average of its neighbour and the ground, "none" what
 * the communities leave, and round-off (a tiny negative, a sum just above 1) is cleaned so each row sums to 1.
 */
export function harmonicMemberships(
  graph: SolverGraph,
  seeds: SeedAssignment,
  params: Pick<HarmonicParams, 'absorption'>,
  matrix: Float64Array,
): void {
  const n = graph.nodeCount;
  const K = seeds.communityCount;
  const C = K + 1;
  if (matrix.length !== n * C) throw new RangeError('the memberships need a row of K + 1 columns per node');
  const { seedColumn, ground, leafOf } = layoutOf(graph, seeds, params.absorption);
  for (let i = 0; i < n; i++) {
    const j = leafOf[i]!;
    if (j < 0) continue;
    const w = graph.weights[graph.offsets[i]!]!;
    const scale = w / (w + ground[i]!);
    const column = seedColumn[j]!;
    for (let c = 0; c < K; c++)
      matrix[i * C + c] = scale * (column >= 0 ? (c === column ? 1 : 0) : Math.max(0, matrix[j * C + c]!));
  }
  for (let i = 0, row = 0; i < n; i++, row += C) {
    const column = seedColumn[i]!;
    if (column >= 0) {
      for (let c = 0; c < C; c++) matrix[row + c] = c === column ? 1 : 0;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < K; c++) {
      const value = Math.max(0, matrix[row + c]!);
      matrix[row + c] = value;
      sum += value;
    }
    if (sum > 1) for (let c = 0; c < K; c++) matrix[row + c]! /= sum;
    matrix[row + K] = Math.max(0, 1 - sum);
  }
}

function layoutOf(graph: SolverGraph, seeds: SeedAssignment, absorption: number): Layout {
  if (!(absorption > 0)) throw new RangeError(`absorption must be above 0, got ${absorption}`);
  const seedColumn = new Int32Array(graph.nodeCount).fill(-1);
  for (let k = 0; k < seeds.nodes.length; k++) seedColumn[seeds.nodes[k]!] = seeds.columns[k]!;
  const ground = groundWeights(graph, seedColumn, absorption);
  return { seedColumn, ground, leafOf: leavesOf(graph, seedColumn) };
}

/**
 * Each account's tie to the ground: absorption · π_S · (d_i + 1), where π_S = Σ_{seeds} d / Σ d is the share of
 * a random walk's time spent on seeds. A walk needs about 1/π_S steps to meet a seed, so a per-step chance of
 * absorption · π_S leaves a typical account's "none" share the same on a demo of 3,000 accounts with 36 seeds as
 * on 200,000 with 300: a fixed weight made "none" win everywhere on large graphs (docs/COMMUNITIES.md,
 * "harmonic"). The + 1 keeps an account without ties at exactly "none".
 */
function groundWeights(graph: SolverGraph, seedColumn: Int32Array, absorption: number): Float64Array {
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
 * out of the system before conjugate gradients: a leaf i on j is f_i = w·f_j / (w + γ_i), so j's row loses the
 * leaf and w²/(w + γ_i) of its diagonal (a Schur complement: the answer is the same). Most accounts of a follow
 * graph are such leaves (known only because one account follows them), and they are the system's
 * worst-conditioned rows: a leaf is barely tied to the ground, so removing them cuts both the work per iteration
 * and the iterations.
 */
function leavesOf(graph: SolverGraph, seedColumn: Int32Array): Int32Array {
  const { nodeCount: n, offsets, neighbours } = graph;
  const rowLength = (i: number) => offsets[i + 1]! - offsets[i]!;
  const leafOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (seedColumn[i]! >= 0 || rowLength(i) !== 1) continue;
    const j = neighbours[offsets[i]!]!;
    if (seedColumn[j]! < 0 && rowLength(j) === 1) continue; // a pair of leaves: left to the solver
    leafOf[i] = j;
  }
  return leafOf;
}

/** The compact system: only unknowns, so the solver's loops have no seed or leaf rows to skip. */
function harmonicSystem(graph: SolverGraph, layout: Layout): HarmonicSystem {
  const { nodeCount: n, offsets: graphOffsets, neighbours, weights, degree } = graph;
  const { seedColumn, ground, leafOf } = layout;
  const isUnknown = (i: number) => seedColumn[i]! < 0 && leafOf[i]! < 0;
  const nodes = breadthFirstOrder(graph, isUnknown);
  const m = nodes.length;
  const unknownOf = new Int32Array(n).fill(-1);
  for (let u = 0; u < m; u++) unknownOf[nodes[u]!] = u;
  const diagonal = new Float64Array(m);
  const offsets = new Int32Array(m + 1);
  const pullOffsets = new Int32Array(m + 1);
  let entries = 0;
  let pulls = 0;
  for (let u = 0; u < m; u++) {
    const i = nodes[u]!;
    diagonal[u] = degree[i]! + ground[i]!;
    for (let e = graphOffsets[i]!, end = graphOffsets[i + 1]!; e < end; e++) {
      const j = neighbours[e]!;
      if (unknownOf[j]! >= 0) entries++;
      else if (seedColumn[j]! >= 0) pulls++;
      else {
        // j is a leaf on i: the Schur complement's share of i's diagonal.
        const w = weights[e]!;
        diagonal[u]! -= (w * w) / (w + ground[j]!);
      }
    }
    offsets[u + 1] = entries;
    pullOffsets[u + 1] = pulls;
  }
  const columns = new Int32Array(entries);
  const values = new Float64Array(entries);
  const pullColumn = new Int32Array(pulls);
  const pullWeight = new Float64Array(pulls);
  for (let u = 0, entry = 0, pull = 0; u < m; u++) {
    const i = nodes[u]!;
    for (let e = graphOffsets[i]!, end = graphOffsets[i + 1]!; e < end; e++) {
      const j = neighbours[e]!;
      if (unknownOf[j]! >= 0) {
        columns[entry] = unknownOf[j]!;
        values[entry++] = weights[e]!;
      } else if (seedColumn[j]! >= 0) {
        pullColumn[pull] = seedColumn[j]!;
        pullWeight[pull++] = weights[e]!;
      }
    }
  }
  const inverseDiagonal = Float64Array.from(diagonal, (d) => 1 / d);
  return { nodes, offsets, columns, values, diagonal, inverseDiagonal, pullOffsets, pullColumn, pullWeight };
}
