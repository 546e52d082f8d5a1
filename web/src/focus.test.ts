/** The Focus view's account set on hand-made graphs: top N, seeds, and bridges for orphans. */
import { describe, expect, it } from 'vitest';
import { BRIDGE_LIMITS, focusSet } from './focus';
import { buildModel } from './graph-model';
import { payload } from './graph-data.fixture';

describe('focusSet', () => {
  // 0 is the seed; 1 and 2 follow it; 5 is ranked high but reaches the seed only through 3 and 4.
  const model = buildModel(
    payload(8, [
      [1, 0],
      [2, 0],
      [5, 4],
      [4, 3],
      [3, 0],
      [6, 7],
    ]),
    null,
  );
  const scores = Float64Array.from([0.1, 0.9, 0.8, 0.05, 0.04, 0.7, 0.6, 0.01]);

  it('takes the seeds and the top N, and joins an orphan through the fewest bridge accounts', () => {
    const focus = focusSet(model, scores, [0], 3);
    expect([...focus.seeds]).toEqual([0]);
    // Top 3 besides the seed: 1, 2, 5 — and 5 needs 4 and 3 as bridges.
    expect(focus.members.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...focus.bridges].sort()).toEqual([3, 4]);
    expect(focus.unjoined.size).toBe(0);
  });

  it('reports an account no path joins, and adds nothing for it', () => {
    const focus = focusSet(model, scores, [0], 4); // 6 is in the top 4; its part of the graph never meets the seed's
    expect(focus.members).toContain(6);
    expect([...focus.unjoined]).toEqual([6]);
    expect(focus.members).not.toContain(7);
  });

  it('anchors on the best account when there are no seeds', () => {
    const focus = focusSet(model, scores, [], 2);
    expect(focus.members.sort()).toEqual([0, 1, 2]); // 1 and 2 joined through 0
    expect([...focus.bridges]).toEqual([0]);
  });
});

describe('the bridge hop limit', () => {
  // Two chains leave the seed 0: one ends maxHops away, the other one hop further.
  const hops = BRIDGE_LIMITS.maxHops;
  const near = Array.from({ length: hops }, (_, k) => k + 1); // 1 … hops; its end is `hops` away
  const far = Array.from({ length: hops + 1 }, (_, k) => hops + 1 + k); // its end is hops + 1 away
  const chain = (nodes: number[]): [number, number][] => nodes.map((v, k) => [k === 0 ? 0 : nodes[k - 1]!, v]);
  const n = 1 + near.length + far.length;
  const model = buildModel(payload(n, [...chain(near), ...chain(far)]), null);
  const nearEnd = near.at(-1)!;
  const farEnd = far.at(-1)!;
  const scores = Float64Array.from({ length: n }, (_, i) => (i === nearEnd ? 0.9 : i === farEnd ? 0.8 : 0.01));

  it('joins an account maxHops away through the accounts between, and leaves one further away unjoined', () => {
    const focus = focusSet(model, scores, [0], 2);
    expect([...focus.bridges].sort((a, b) => a - b)).toEqual(near.slice(0, -1));
    expect([...focus.unjoined]).toEqual([farEnd]);
    for (const i of far.slice(0, -1)) expect(focus.members).not.toContain(i);
  });
});
