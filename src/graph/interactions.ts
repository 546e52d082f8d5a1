/**
 * The interaction layer (docs/ARCHITECTURE.md, "Interaction signals"): who talks with whom, as one
 * weighted, undirected adjacency beside the follow CSR, over the same dense node indexes.
 *
 * A stored interaction row says "A did `count` of `kind` towards B, the newest at `last_at`". A pair's
 * weight is the sum over its rows, in both directions, of
 *
 *     kindWeight[kind] · ln(1 + count) · ½^(age / halfLifeDays)
 *
 * where age is the row's `last_at` before the newest `last_at` of all rows (so the same cache gives the
 * same weights on any day; likes carry no time and are not decayed). The logarithm keeps one prolific
 * pair from drowning the rest; the kind weights say a reply is more of a conversation than a like.
 * Rows whose accounts are not both nodes of the graph are left out and counted.
 */
import { INTERACTION_KINDS, type InteractionKind, type InteractionRow } from '../db/graph-store.js';
import { INTERACTION_DEFAULTS } from './defaults.js';
import { sqliteUtcMs } from '../time.js';

export interface InteractionLayer {
  /** Symmetric CSR over the graph's nodes: the partners of i are `partners[offsets[i] … offsets[i+1])`, sorted. */
  readonly offsets: Int32Array;
  readonly partners: Int32Array;
  /** The pair's weight (the same in both rows of the pair). */
  readonly weights: Float64Array;
  /** Per entry, a bit per kind seen between the pair in either direction (bit k = INTERACTION_KINDS[k]). */
  readonly kinds: Uint8Array;
  /** Pairs (each once). */
  readonly pairCount: number;
}

export interface InteractionWeights {
  kindWeights: Readonly<Record<InteractionKind, number>>;
  halfLifeDays: number;
}

const KIND_BIT = new Map<string, number>(INTERACTION_KINDS.map((kind, k) => [kind, 1 << k]));
const DAY_MS = 86_400_000;

/** The bits of kind names ("mention+reply" split), unknown names ignored: the inverse of `kindNames`. */
export function kindBits(names: readonly string[]): number {
  return names.reduce((bits, name) => bits | (KIND_BIT.get(name) ?? 0), 0);
}

/** The kinds a `kinds` entry holds, in INTERACTION_KINDS order. */
export function kindNames(bits: number): InteractionKind[] {
  return INTERACTION_KINDS.filter((_, k) => bits & (1 << k));
}

/**
 * The layer over `index` (account id → node), and how many rows were left out because an account is not
 * a node (or the kind is unknown). Rows come as the cache stores them (db/graph-store.ts
 * `readInteractions`); a self-pair cannot occur there, and is left out if it does.
 */
export function interactionLayer(
  index: ReadonlyMap<string, number>,
  nodeCount: number,
  rows: Iterable<InteractionRow>,
  weights: InteractionWeights = INTERACTION_DEFAULTS,
): { layer: InteractionLayer; outside: number } {
  const sources: number[] = [];
  const targets: number[] = [];
  const rowWeights: number[] = [];
  const rowKinds: number[] = [];
  const times: (number | null)[] = [];
  let outside = 0;
  let newest = -Infinity;
  for (const [source, target, kind, count, lastAt] of rows) {
    const u = index.get(source);
    const v = index.get(target);
    const bit = KIND_BIT.get(kind);
    if (u === undefined || v === undefined || u === v || bit === undefined) {
      outside++;
      continue;
    }
    const parsed = lastAt === null ? NaN : sqliteUtcMs(lastAt);
    const time = Number.isFinite(parsed) ? parsed : null;
    if (time !== null && time > newest) newest = time;
    sources.push(u);
    targets.push(v);
    rowWeights.push(weights.kindWeights[kind as InteractionKind] * Math.log1p(count));
    rowKinds.push(bit);
    times.push(time);
  }
  const halfLifeMs = weights.halfLifeDays * DAY_MS;
  for (let r = 0; r < rowWeights.length; r++) {
    const time = times[r]!;
    if (time !== null) rowWeights[r]! *= 0.5 ** ((newest - time) / halfLifeMs);
  }
  return { layer: layerFromPairs(nodeCount, sources, targets, rowWeights, rowKinds), outside };
}

/**
 * The layer from weighted pairs (a snapshot's stored pairs, or stored rows): each pair in both endpoints'
 * rows; entries of one pair summed (weights) and OR-ed (kinds).
 */
export function layerFromPairs(
  n: number,
  sources: ArrayLike<number>,
  targets: ArrayLike<number>,
  rowWeights: ArrayLike<number>,
  rowKinds: ArrayLike<number>,
): InteractionLayer {
  const counts = new Int32Array(n + 1);
  for (let r = 0; r < sources.length; r++) {
    counts[sources[r]! + 1]!++;
    counts[targets[r]! + 1]!++;
  }
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const cursor = counts.slice(0, n);
  const rawPartner = new Int32Array(counts[n]!);
  const rawRow = new Int32Array(counts[n]!);
  for (let r = 0; r < sources.length; r++) {
    const u = sources[r]!;
    const v = targets[r]!;
    rawPartner[cursor[u]!] = v;
    rawRow[cursor[u]!++] = r;
    rawPartner[cursor[v]!] = u;
    rawRow[cursor[v]!++] = r;
  }
  const offsets = new Int32Array(n + 1);
  const partners = new Int32Array(rawPartner.length);
  const weights = new Float64Array(rawPartner.length);
  const kinds = new Uint8Array(rawPartner.length);
  let write = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = write;
    const start = counts[i]!;
    const entries = Array.from({ length: counts[i + 1]! - start }, (_, k) => start + k).sort(
      (a, b) => rawPartner[a]! - rawPartner[b]!,
    );
    for (const e of entries) {
      const r = rawRow[e]!;
      if (write > offsets[i]! && partners[write - 1] === rawPartner[e]) {
        weights[write - 1]! += rowWeights[r]!;
        kinds[write - 1]! |= rowKinds[r]!;
      } else {
        partners[write] = rawPartner[e]!;
        weights[write] = rowWeights[r]!;
        kinds[write] = rowKinds[r]!;
        write++;
      }
    }
  }
  offsets[n] = write;
  return {
    offsets,
    partners: partners.slice(0, write),
    weights: weights.slice(0, write),
    kinds: kinds.slice(0, write),
    pairCount: write / 2,
  };
}

/** The pairs as aligned columns (u < v, in CSR order): the form the snapshot and graph-data store. */
export function pairColumns(layer: InteractionLayer): {
  sources: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  kinds: Uint8Array;
} {
  const sources = new Int32Array(layer.pairCount);
  const targets = new Int32Array(layer.pairCount);
  const weights = new Float64Array(layer.pairCount);
  const kinds = new Uint8Array(layer.pairCount);
  let k = 0;
  forEachPair(layer, (u, v, weight, bits) => {
    sources[k] = u;
    targets[k] = v;
    weights[k] = weight;
    kinds[k++] = bits;
  });
  return { sources, targets, weights, kinds };
}

/** Calls `visit` once per pair (u < v), in CSR order. */
export function forEachPair(
  layer: InteractionLayer,
  visit: (u: number, v: number, weight: number, kinds: number) => void,
): void {
  const n = layer.offsets.length - 1;
  for (let u = 0; u < n; u++) {
    for (let e = layer.offsets[u]!; e < layer.offsets[u + 1]!; e++) {
      const v = layer.partners[e]!;
      if (u < v) visit(u, v, layer.weights[e]!, layer.kinds[e]!);
    }
  }
}

/** Each node's interaction strength: the sum of its pairs' weights. */
export function interactionStrength(layer: InteractionLayer): Float64Array {
  const nodeCount = layer.offsets.length - 1;
  const strength = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    for (let e = layer.offsets[i]!; e < layer.offsets[i + 1]!; e++) strength[i]! += layer.weights[e]!;
  }
  return strength;
}

/** The weight between u and v (0 when they do not interact), by binary search in u's sorted row. */
export function interactionWeight(layer: InteractionLayer, u: number, v: number): number {
  let lo = layer.offsets[u]!;
  let hi = layer.offsets[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = layer.partners[mid]!;
    if (w === v) return layer.weights[mid]!;
    if (w < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}
