/**
 * The Focus view's accounts: the seeds plus the top N by TPOT-ness, kept connected —
 * an account with no path to a seed inside the set is joined to it through the fewest bridge
 * accounts (breadth-first over the whole graph's undirected follows), within a hop limit and a
 * budget, so the picture is one community rather than scattered islands.
 */
import type { GraphModel } from './graph-model';
import { topIndexes } from './ranking';

export interface FocusSet {
  members: number[];
  seeds: Set<number>;
  bridges: Set<number>;
  /** Accounts no path within the limits could join. */
  unjoined: Set<number>;
}

export const BRIDGE_LIMITS = { maxHops: 6, maxBridges: 400, maxVisited: 200_000 };

export function focusSet(model: GraphModel, scores: Float64Array, seeds: readonly number[], size: number): FocusSet {
  const { offsets, neighbours } = model;
  const seedSet = new Set(seeds);
  const inSet = new Set<number>(seeds);
  for (const i of topIndexes(scores, size, (i) => !seedSet.has(i))) inSet.add(i);
  const anchors = seeds.length > 0 ? [...seeds] : topIndexes(scores, 1);

  // Accounts already joined to an anchor through members of the set.
  const joined = new Set<number>();
  const grow = (from: number[]) => {
    const queue = [...from];
    for (const i of from) joined.add(i);
    while (queue.length > 0) {
      const u = queue.pop()!;
      for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
        const v = neighbours[k]!;
        if (inSet.has(v) && !joined.has(v)) {
          joined.add(v);
          queue.push(v);
        }
      }
    }
  };
  for (const anchor of anchors) inSet.add(anchor);
  grow(anchors);

  const bridges = new Set<number>();
  const unjoined = new Set<number>();
  // Best-ranked first, so the budget goes to the accounts that matter most.
  const orphans = [...inSet].filter((i) => !joined.has(i)).sort((a, b) => scores[b]! - scores[a]!);
  for (const orphan of orphans) {
    if (joined.has(orphan)) continue;
    const path = pathToJoined(model, orphan, joined);
    if (!path || bridges.size + path.length > BRIDGE_LIMITS.maxBridges) {
      unjoined.add(orphan);
      continue;
    }
    for (const b of path) {
      if (!inSet.has(b)) bridges.add(b);
      inSet.add(b);
    }
    grow([orphan, ...path]);
  }
  return { members: [...inSet], seeds: seedSet, bridges, unjoined };
}

/** The intermediate nodes of a shortest path from `start` to any joined node, or null. */
function pathToJoined(model: GraphModel, start: number, joined: Set<number>): number[] | null {
  const { offsets, neighbours } = model;
  const parent = new Map<number, number>([[start, -1]]);
  let frontier = [start];
  for (let hop = 0; hop < BRIDGE_LIMITS.maxHops && frontier.length > 0; hop++) {
    const next: number[] = [];
    for (const u of frontier) {
      for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
        const v = neighbours[k]!;
        if (parent.has(v)) continue;
        parent.set(v, u);
        if (joined.has(v)) {
          const path: number[] = [];
          for (let w = u; w !== start; w = parent.get(w)!) path.push(w);
          return path;
        }
        if (parent.size > BRIDGE_LIMITS.maxVisited) return null;
        next.push(v);
      }
    }
    frontier = next;
  }
  return null;
}
