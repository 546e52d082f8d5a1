/** The Focus view's account set on hand-made graphs: top N, seeds, and bridges for orphans. */
import { describe, expect, it } from 'vitest';
import type { GraphData } from './api';
import { BRIDGE_LIMITS, focusSet } from './focus';
import { buildModel } from './graph-model';

/** A graph-data payload of `n` nodes and the given follows (source → target). */
function payload(n: number, edges: [number, number][]): GraphData {
  const column = <T>(value: (i: number) => T) => Array.from({ length: n }, (_, i) => value(i));
  return {
    version: 'test',
    source: 'live_build',
    snapshot_generated_at: null,
    directed_nodes: n,
    directed_edges: edges.length,
    undirected_edges: edges.length,
    communities: 1,
    provenances: ['archive', 'shadow', 'mentioned', 'id'],
    has_layout: false,
    named_communities: null,
    bands: ['exemplar', 'specialist', 'bridge', 'frontier', 'unclassified'],
    filters: { include_shadow: true, mutual_only: false, include_interactions: false, min_followers: 0, resolution: 1 },
    interaction_kinds: ['mention', 'reply', 'quote', 'retweet', 'like'],
    interactions: null,
    nodes: {
      id: column((i) => String(1000 + i)),
      username: column((i) => `user${i}`),
      display_name: column(() => null),
      num_followers: column(() => null),
      num_following: column(() => null),
      num_tweets: column(() => null),
      num_likes: column(() => null),
      provenance: column(() => 0),
      shadow: column(() => 0),
      community: column(() => 0),
      in_degree: column(() => 0),
      out_degree: column(() => 0),
      x: null,
      y: null,
      named_community: null,
      community_confidence: null,
      community_band: null,
    },
    edges: {
      source: edges.map((e) => e[0]),
      target: edges.map((e) => e[1]),
      mutual: edges.map(() => 0),
      shadow: edges.map(() => 0),
    },
  };
}

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
