/**
 * The follow graph in compressed sparse row form: accounts get dense integer indexes,
 * edges live in typed arrays — out-neighbours and in-neighbours of node i are the slices
 * `[offsets[i], offsets[i + 1])` of the target/source arrays. No per-edge objects, so 95,000
 * nodes and 322,000 edges take a few megabytes and every metric walks flat arrays.
 *
 * An edge u → v means "u follows v".
 */

export interface FollowGraph {
  /** Dense index → X account id (a string: ids exceed 2^53). */
  readonly ids: readonly string[];
  /** X account id → dense index. */
  readonly index: ReadonlyMap<string, number>;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Out-adjacency: whom each node follows, sorted. */
  readonly outOffsets: Int32Array;
  readonly outTargets: Int32Array;
  /** In-adjacency: who follows each node, sorted. */
  readonly inOffsets: Int32Array;
  readonly inSources: Int32Array;
}

/** The undirected view (u — v when either follows the other), for betweenness. */
export interface UndirectedView {
  readonly nodeCount: number;
  readonly offsets: Int32Array;
  readonly neighbours: Int32Array;
}

/**
 * Builds a FollowGraph from account ids and (follower, followed) index pairs. Self-loops and
 * repeated pairs are dropped; `sources[k] → targets[k]` is one edge.
 */
export function graphFromEdges(
  ids: readonly string[],
  sources: ArrayLike<number>,
  targets: ArrayLike<number>,
): FollowGraph {
  const n = ids.length;
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (index.has(id)) throw new Error(`graphFromEdges: account id ${id} appears twice`);
    index.set(id, i);
  });
  const { offsets: outOffsets, values: outTargets } = toCsr(n, sources, targets);
  const { offsets: inOffsets, values: inSources } = toCsr(n, targets, sources);
  return { ids, index, nodeCount: n, edgeCount: outTargets.length, outOffsets, outTargets, inOffsets, inSources };
}

/** Groups `to` by `from` into CSR, each row sorted and deduplicated, self-loops dropped. */
function toCsr(n: number, from: ArrayLike<number>, to: ArrayLike<number>): { offsets: Int32Array; values: Int32Array } {
  const counts = new Int32Array(n + 1);
  for (let k = 0; k < from.length; k++) {
    const u = from[k]!;
    const v = to[k]!;
    if (u < 0 || u >= n || v < 0 || v >= n) {
      throw new Error(`graphFromEdges: edge ${u} → ${v} is outside 0..${n - 1}`);
    }
    if (u !== v) counts[u + 1]!++;
  }
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const cursor = counts.slice(0, n);
  const raw = new Int32Array(counts[n]!);
  for (let k = 0; k < from.length; k++) {
    const u = from[k]!;
    const v = to[k]!;
    if (u !== v) raw[cursor[u]!++] = v;
  }
  // Sort each row and squeeze out repeats.
  const offsets = new Int32Array(n + 1);
  let write = 0;
  for (let i = 0; i < n; i++) {
    const row = raw.subarray(counts[i], counts[i + 1]).sort();
    offsets[i] = write;
    for (let j = 0; j < row.length; j++) {
      if (j === 0 || row[j] !== row[j - 1]) raw[write++] = row[j]!;
    }
  }
  offsets[n] = write;
  return { offsets, values: raw.slice(0, write) };
}

export function inDegree(graph: FollowGraph, node: number): number {
  return graph.inOffsets[node + 1]! - graph.inOffsets[node]!;
}

/** Whether `u` follows `v` (binary search in u's sorted row). */
export function hasEdge(graph: FollowGraph, u: number, v: number): boolean {
  let lo = graph.outOffsets[u]!;
  let hi = graph.outOffsets[u + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = graph.outTargets[mid]!;
    if (value === v) return true;
    if (value < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Each node's neighbours in either direction, merged from the two sorted rows. */
export function undirected(graph: FollowGraph): UndirectedView {
  const n = graph.nodeCount;
  const offsets = new Int32Array(n + 1);
  const neighbours = new Int32Array(graph.edgeCount * 2);
  let write = 0;
  for (let u = 0; u < n; u++) {
    offsets[u] = write;
    let a = graph.outOffsets[u]!;
    const aEnd = graph.outOffsets[u + 1]!;
    let b = graph.inOffsets[u]!;
    const bEnd = graph.inOffsets[u + 1]!;
    while (a < aEnd || b < bEnd) {
      const x = a < aEnd ? graph.outTargets[a]! : Infinity;
      const y = b < bEnd ? graph.inSources[b]! : Infinity;
      const next = Math.min(x, y);
      neighbours[write++] = next;
      if (x === next) a++;
      if (y === next) b++;
    }
  }
  offsets[n] = write;
  return { nodeCount: n, offsets, neighbours: neighbours.slice(0, write) };
}
