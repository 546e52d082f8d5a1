/** Louvain communities on graphs whose partition is known: who is together, and how they are numbered. */
import { describe, expect, it } from 'vitest';
import { communities } from './communities.js';
import { graphFromEdges, undirected } from './graph.js';

/** Mutual follows among each group of node indexes, plus the given single follows. */
function cliques(n: number, groups: number[][], extra: [number, number][] = []) {
  const sources: number[] = [];
  const targets: number[] = [];
  for (const group of groups)
    for (const u of group)
      for (const v of group)
        if (u !== v) {
          sources.push(u);
          targets.push(v);
        }
  for (const [u, v] of extra) {
    sources.push(u);
    targets.push(v);
  }
  const ids = Array.from({ length: n }, (_, i) => String(1_700_000_000_000_000_000n + BigInt(i)));
  return undirected(graphFromEdges(ids, sources, targets));
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('communities', () => {
  it('finds the cliques and numbers them by size, largest first, whatever their node order', () => {
    // A triangle first, then a six-clique, then a four-clique, joined in a chain by single follows.
    const view = cliques(
      13,
      [range(0, 3), range(3, 9), range(9, 13)],
      [
        [2, 3],
        [8, 9],
      ],
    );
    const { membership, count, modularity } = communities(view);
    expect(count).toBe(3);
    expect(range(3, 9).map((i) => membership[i])).toEqual(Array(6).fill(0));
    expect(range(9, 13).map((i) => membership[i])).toEqual(Array(4).fill(1));
    expect(range(0, 3).map((i) => membership[i])).toEqual(Array(3).fill(2));
    expect(modularity).toBeGreaterThan(0.4);
  });

  it('breaks a tie in size by the smallest member, and gives the same answer every time', () => {
    const view = cliques(
      8,
      [
        [1, 3, 5, 7],
        [0, 2, 4, 6],
      ],
      [[7, 6]],
    );
    const first = communities(view);
    expect(first.count).toBe(2);
    expect([0, 2, 4, 6].map((i) => first.membership[i])).toEqual([0, 0, 0, 0]);
    expect([1, 3, 5, 7].map((i) => first.membership[i])).toEqual([1, 1, 1, 1]);
    expect(communities(view).membership).toEqual(first.membership);
  });

  it('refuses a resolution that is not above 0', () => {
    expect(() => communities(cliques(3, [[0, 1, 2]]), { resolution: 0 })).toThrow(/resolution/);
  });
});
