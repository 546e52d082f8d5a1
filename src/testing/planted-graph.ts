/**
 * Follow graphs with known communities, to test and benchmark community propagation against a truth
 * (docs/COMMUNITIES.md). A degree-corrected stochastic block model (B. Karrer, M. E. J. Newman,
 * "Stochastic blockmodels and community structure in networks", Phys. Rev. E 83, 016107, 2011), made
 * directed: every node has a power-law fitness, a follow's source is drawn by fitness, and its target
 * by fitness among the source's own community — or, with probability `mixing`, among everyone else.
 * A follow is returned with probability `reciprocity`. Hubs therefore exist inside every community,
 * as they do on X, and `mixing` is the share of follows that cross communities.
 *
 * `structureless` keeps the same degree machinery but draws every target from the whole graph, so the
 * labels (dealt at random) say nothing about the edges and seeds carry no signal: the control a
 * propagation must not beat by more than chance.
 *
 * Endpoints are drawn from alias tables (A. J. Walker 1977; M. D. Vose 1991) in O(1); edges are
 * deduplicated as they are drawn so the edge count is exact. Deterministic for a seed.
 */
import { graphFromEdges, type FollowGraph } from '../graph/graph.js';
import type { SeedAssignment } from '../communities/types.js';
import { createRng, type Rng } from '../rng.js';

export interface PlantedOptions {
  nodes: number;
  communities: number;
  /** Directed edges (follows) to draw, returned follows included. */
  edges: number;
  /** Share of follows whose endpoints are in different communities, 0 … 1. */
  mixing: number;
  /** Power-law tail of node fitness: P(fitness > x) ~ x^-(degreeExponent − 1), e.g. 2.5. */
  degreeExponent: number;
  /** Chance that a follow is returned. */
  reciprocity: number;
  seedsPerCommunity: number;
  /** 'equal' (default) or 'skewed': community r has size ∝ (r + 1)^-0.8. */
  communitySizes?: 'equal' | 'skewed';
  seed: number;
}

export interface PlantedGraph {
  follows: FollowGraph;
  /** The community of each node. */
  truth: Int32Array;
  /** Members per community. */
  sizes: Int32Array;
  /** `seedsPerCommunity` per community, drawn among its higher-degree members. */
  seeds: SeedAssignment;
}

export function plantedPartition(options: PlantedOptions): PlantedGraph {
  return generate(options, options.mixing);
}

/** The same degree sequence and labels, but every follow's endpoints independent of the labels. */
export function structureless(options: Omit<PlantedOptions, 'mixing'>): PlantedGraph {
  return generate(options, null);
}

const SKEW = 0.8;

function generate(options: Omit<PlantedOptions, 'mixing'>, mixing: number | null): PlantedGraph {
  const { nodes: n, communities: K, edges, degreeExponent, reciprocity, seedsPerCommunity } = options;
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`nodes must be an integer of at least 2, got ${n}`);
  if (!(Number.isInteger(K) && K >= 1 && K <= n)) throw new RangeError(`communities must be 1 … ${n}, got ${K}`);
  if (!(Number.isInteger(edges) && edges >= 0 && edges <= n * (n - 1) * 0.5)) {
    throw new RangeError(`edges must be an integer between 0 and half of all ${n * (n - 1)} pairs, got ${edges}`);
  }
  if (mixing !== null && !(mixing >= 0 && mixing <= 1)) throw new RangeError(`mixing must be 0 … 1, got ${mixing}`);
  if (mixing !== null && K === 1 && mixing > 0) throw new RangeError('mixing must be 0 with a single community');
  if (!(degreeExponent > 2)) throw new RangeError(`degreeExponent must be above 2, got ${degreeExponent}`);
  if (!(reciprocity >= 0 && reciprocity <= 1)) throw new RangeError(`reciprocity must be 0 … 1, got ${reciprocity}`);
  const rng = createRng(options.seed);

  // Labels: the community sizes, dealt to nodes in a random order.
  const sizes = communitySizes(n, K, options.communitySizes ?? 'equal');
  if (sizes.some((size) => size < seedsPerCommunity)) {
    throw new RangeError(`a community of ${Math.min(...sizes)} nodes cannot hold ${seedsPerCommunity} seeds`);
  }
  const truth = new Int32Array(n);
  for (let c = 0, i = 0; c < K; c++) for (let s = 0; s < sizes[c]!; s++) truth[i++] = c;
  shuffle(rng, truth);
  const memberOffsets = new Int32Array(K + 1);
  for (let i = 0; i < n; i++) memberOffsets[truth[i]! + 1]!++;
  for (let c = 0; c < K; c++) memberOffsets[c + 1]! += memberOffsets[c]!;
  const members = new Int32Array(n);
  const cursor = memberOffsets.slice(0, K);
  for (let i = 0; i < n; i++) members[cursor[truth[i]!]!++] = i;

  // Fitness: Pareto with tail exponent degreeExponent − 1, so expected degrees have the requested tail;
  // capped so that no node is expected to touch more than a fifth of the graph (draws would mostly repeat).
  const fitness = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += fitness[i] = rng.pareto(degreeExponent - 1);
  const cap = edges > 0 ? ((n / 5) * total) / (2 * edges) : Infinity;
  for (let i = 0; i < n; i++) if (fitness[i]! > cap) fitness[i] = cap;

  const everyone = aliasTable(fitness);
  const byCommunity = Array.from({ length: K }, (_, c) => {
    const slice = members.subarray(memberOffsets[c], memberOffsets[c + 1]);
    return aliasTable(Float64Array.from(slice, (node) => fitness[node]!));
  });

  const sources = new Int32Array(edges);
  const targets = new Int32Array(edges);
  const seen = new Set<number>();
  let count = 0;
  const add = (u: number, v: number): void => {
    const key = u * n + v;
    if (seen.has(key)) return;
    seen.add(key);
    sources[count] = u;
    targets[count] = v;
    count++;
  };
  const maxDraws = 50 * edges + 1000;
  for (let draws = 0; count < edges; draws++) {
    if (draws > maxDraws) throw new RangeError(`could not draw ${edges} distinct follows; the graph is too dense`);
    const u = sample(rng, everyone);
    const cu = truth[u]!;
    let v: number;
    if (mixing === null) v = sample(rng, everyone);
    else if (rng.next() < mixing) {
      do v = sample(rng, everyone);
      while (truth[v] === cu);
    } else v = members[memberOffsets[cu]! + sample(rng, byCommunity[cu]!)]!;
    if (u === v) continue;
    add(u, v);
    if (count < edges && rng.next() < reciprocity) add(v, u);
  }

  const ids = Array.from({ length: n }, (_, i) => String(i));
  const follows = graphFromEdges(ids, sources, targets);
  return { follows, truth, sizes, seeds: pickSeeds(rng, follows, members, memberOffsets, seedsPerCommunity) };
}

/** Sizes summing to n: equal, or ∝ (r + 1)^-SKEW, by largest remainder; every community gets at least one node. */
function communitySizes(n: number, K: number, shape: 'equal' | 'skewed'): Int32Array {
  const share = Float64Array.from({ length: K }, (_, r) => (shape === 'equal' ? 1 : (r + 1) ** -SKEW));
  const sum = share.reduce((a, b) => a + b, 0);
  const free = n - K;
  const sizes = Int32Array.from(share, (s) => 1 + Math.floor((s / sum) * free));
  let left = n - sizes.reduce((a, b) => a + b, 0);
  const order = Array.from({ length: K }, (_, r) => r).sort(
    (a, b) => (((share[b]! / sum) * free) % 1) - (((share[a]! / sum) * free) % 1) || a - b,
  );
  for (let k = 0; left > 0; k = (k + 1) % K, left--) sizes[order[k]!]!++;
  return sizes;
}

/**
 * Curators name accounts they know, which are the visible ones: each community's seeds are drawn at
 * random among its 3 × seedsPerCommunity members of highest degree (in + out).
 */
function pickSeeds(
  rng: Rng,
  follows: FollowGraph,
  members: Int32Array,
  memberOffsets: Int32Array,
  perCommunity: number,
): SeedAssignment {
  const K = memberOffsets.length - 1;
  const degree = (i: number) =>
    follows.outOffsets[i + 1]! - follows.outOffsets[i]! + follows.inOffsets[i + 1]! - follows.inOffsets[i]!;
  const nodes = new Int32Array(K * perCommunity);
  const columns = new Int32Array(K * perCommunity);
  for (let c = 0, k = 0; c < K; c++) {
    const ranked = Array.from(members.subarray(memberOffsets[c], memberOffsets[c + 1])).sort(
      (a, b) => degree(b) - degree(a) || a - b,
    );
    const pool = rng.shuffle(ranked.slice(0, Math.min(ranked.length, 3 * perCommunity)));
    for (let s = 0; s < perCommunity; s++, k++) {
      nodes[k] = pool[s]!;
      columns[k] = c;
    }
  }
  return { communityCount: K, nodes, columns };
}

interface AliasTable {
  readonly size: number;
  readonly probability: Float64Array;
  readonly alias: Int32Array;
}

/** Vose's alias method: O(n) to build, O(1) per draw of an index ∝ weights[i]. */
function aliasTable(weights: Float64Array): AliasTable {
  const size = weights.length;
  const probability = new Float64Array(size);
  const alias = new Int32Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += weights[i]!;
  const small = new Int32Array(size);
  const large = new Int32Array(size);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < size; i++) {
    const scaled = (probability[i] = (weights[i]! * size) / sum);
    if (scaled < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns]!;
    const l = large[nl - 1]!;
    alias[s] = l;
    probability[l] = probability[l]! + probability[s]! - 1;
    if (probability[l] < 1) {
      nl--;
      small[ns++] = l;
    }
  }
  // What is left is 1 up to rounding.
  while (nl > 0) probability[large[--nl]!] = 1;
  while (ns > 0) probability[small[--ns]!] = 1;
  return { size, probability, alias };
}

function sample(rng: Rng, table: AliasTable): number {
  const i = Math.floor(rng.next() * table.size);
  return rng.next() < table.probability[i]! ? i : table.alias[i]!;
}

function shuffle(rng: Rng, values: Int32Array): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = values[i]!;
    values[i] = values[j]!;
    values[j] = tmp;
  }
}
