/**
 * The metrics on hand-checkable graphs and against networkx (fixtures/graphs/, written by
 * scripts/networkx-expected.py): PageRank within 1e-6 per node with and without seeds, exact
 * betweenness within 1e-9, on graphs with dangling nodes, self-loops, disconnected parts and a
 * 2,000-node random graph.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../testing/fixtures.js';
import { betweenness, sampleSources } from './betweenness.js';
import { composite, minMaxNormalise, WeightsError } from './composite.js';
import { engagement } from './engagement.js';
import { graphFromEdges, hasEdge, undirected, type FollowGraph } from './graph.js';
import { pagerank, PageRankError } from './pagerank.js';

/** A graph from "a>b" strings over single-letter ids. */
function graphOf(nodes: string, ...edges: string[]): FollowGraph {
  const ids = nodes.split('');
  const at = (id: string) => ids.indexOf(id);
  return graphFromEdges(
    ids,
    edges.map((e) => at(e[0]!)),
    edges.map((e) => at(e[2]!)),
  );
}

const byId = (graph: FollowGraph, scores: Float64Array) =>
  Object.fromEntries(graph.ids.map((id, i) => [id, scores[i]!]));

describe('FollowGraph', () => {
  it('stores edges in sorted CSR rows without self-loops or repeats, both ways', () => {
    const graph = graphOf('abcd', 'a>c', 'a>b', 'a>b', 'b>b', 'c>a', 'd>a');
    expect(graph.edgeCount).toBe(4);
    expect([...graph.outTargets.subarray(graph.outOffsets[0], graph.outOffsets[1])]).toEqual([1, 2]);
    expect([...graph.inSources.subarray(graph.inOffsets[0], graph.inOffsets[1])]).toEqual([2, 3]);
    expect([hasEdge(graph, 0, 2), hasEdge(graph, 2, 0), hasEdge(graph, 1, 1), hasEdge(graph, 1, 0)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const view = undirected(graph);
    expect([...view.neighbours.subarray(view.offsets[0], view.offsets[1])]).toEqual([1, 2, 3]);
    expect(() => graphFromEdges(['x', 'x'], [], [])).toThrow(/appears twice/);
    expect(() => graphFromEdges(['x'], [0], [3])).toThrow(/outside/);
  });
});

describe('pagerank', () => {
  it('gives equal scores on a cycle and sums to 1', () => {
    const graph = graphOf('abc', 'a>b', 'b>c', 'c>a');
    const { scores } = pagerank(graph);
    for (const score of scores) expect(score).toBeCloseTo(1 / 3, 12);
  });

  it('ranks the centre of a star first, and moves mass toward the seeds', () => {
    const graph = graphOf('hxyz', 'x>h', 'y>h', 'z>h', 'h>x');
    const plain = byId(graph, pagerank(graph).scores);
    expect(plain.h).toBeGreaterThan(plain.x!);
    expect(plain.x).toBeGreaterThan(plain.y!);
    const seeded = byId(graph, pagerank(graph, { seeds: [2] }).scores);
    expect(seeded.y).toBeGreaterThan(plain.y!);
    expect(seeded.z).toBe(0); // nothing leads to z and it is not a seed
    expect(Object.values(seeded).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('reports its iterations and rejects bad input', () => {
    const graph = graphOf('ab', 'a>b');
    const result = pagerank(graph);
    expect(result.iterations).toBeGreaterThan(1);
    expect(result.delta).toBeLessThan(1e-10);
    expect(() => pagerank(graph, { alpha: 1 })).toThrow(PageRankError);
    expect(() => pagerank(graph, { seeds: [5] })).toThrow(/seed index 5/);
    expect(pagerank(graphFromEdges([], [], [])).scores).toHaveLength(0);
  });
});

describe('betweenness', () => {
  it('puts the middle of a path on every shortest path', () => {
    const graph = graphOf('abcde', 'a>b', 'b>c', 'c>d', 'd>e');
    const scores = byId(graph, betweenness(undirected(graph)).scores);
    // networkx, normalised: b and d lie on 3 of the 6 pairs, c on 4.
    expect(scores).toEqual({ a: 0, b: 0.5, c: 2 / 3, d: 0.5, e: 0 });
  });

  it('samples sources deterministically above the exact threshold', () => {
    const fixture = loadFixture('random-2000');
    const graph = fixtureGraph(fixture);
    const view = undirected(graph);
    const a = betweenness(view, { exactMaxNodes: 100, samples: 300, seed: 7 });
    const b = betweenness(view, { exactMaxNodes: 100, samples: 300, seed: 7 });
    expect(a.mode).toBe('sampled');
    expect(a.sources).toBe(300);
    expect(a.scores).toEqual(b.scores);
    expect(sampleSources(10, 10, 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The sample agrees with the exact ranking at the top.
    const top = (scores: Float64Array) => [...scores.keys()].sort((x, y) => scores[y]! - scores[x]!).slice(0, 20);
    const exactTop = top(new Float64Array(Object.values(fixture.expected.betweenness)));
    const overlap = top(a.scores).filter((node) => exactTop.includes(node)).length;
    expect(overlap).toBeGreaterThanOrEqual(15);
  });
});

describe('engagement and composite', () => {
  it('computes engagement, 0 when unknown', () => {
    expect([
      ...engagement([
        { numFollowers: 10, numTweets: 5, numLikes: 15 },
        { numFollowers: 0, numTweets: 3, numLikes: null },
        { numFollowers: 100, numTweets: null, numLikes: null },
      ]),
    ]).toEqual([2, 3, 0]);
  });

  it('normalises each metric and weights them, all-equal metrics at 0.5', () => {
    expect([...minMaxNormalise(new Float64Array([2, 4, 6]))]).toEqual([0, 0.5, 1]);
    expect([...minMaxNormalise(new Float64Array([3, 3]))]).toEqual([0.5, 0.5]);
    const score = composite(
      new Float64Array([0, 1]),
      new Float64Array([1, 0]),
      new Float64Array([5, 5]),
      [0.5, 0.25, 0.25],
    );
    expect([...score]).toEqual([0.25 + 0.125, 0.5 + 0.125]);
    expect(() => composite(new Float64Array(1), new Float64Array(1), new Float64Array(1), [1, -1, 0])).toThrow(
      WeightsError,
    );
  });
});

interface Fixture {
  nodes: string[];
  edges: [string, string][];
  seeds: string[];
  expected: {
    pagerank: Record<string, number>;
    pagerank_seeded: Record<string, number>;
    betweenness: Record<string, number>;
  };
}

function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES, 'graphs', `${name}.json`), 'utf8')) as Fixture;
}

function fixtureGraph(fixture: Fixture): FollowGraph {
  const at = new Map(fixture.nodes.map((id, i) => [id, i]));
  return graphFromEdges(
    fixture.nodes,
    fixture.edges.map(([s]) => at.get(s)!),
    fixture.edges.map(([, t]) => at.get(t)!),
  );
}

describe('agreement with networkx', () => {
  const names = readdirSync(join(FIXTURES, 'graphs'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));

  it('has the graphs the issue names', () => {
    expect(names.sort()).toEqual(['dangling', 'disconnected', 'random-2000', 'self-loops']);
  });

  it.each(names)('%s: PageRank within 1e-6 with and without seeds, exact betweenness within 1e-9', (name) => {
    const fixture = loadFixture(name);
    const graph = fixtureGraph(fixture);
    const plain = pagerank(graph).scores;
    const seeded = pagerank(graph, { seeds: fixture.seeds.map((id) => graph.index.get(id)!) }).scores;
    const between = betweenness(undirected(graph), { exactMaxNodes: Infinity });
    expect(between.mode).toBe('exact');
    let worstPr = 0;
    let worstBt = 0;
    graph.ids.forEach((id, i) => {
      worstPr = Math.max(
        worstPr,
        Math.abs(plain[i]! - fixture.expected.pagerank[id]!),
        Math.abs(seeded[i]! - fixture.expected.pagerank_seeded[id]!),
      );
      worstBt = Math.max(worstBt, Math.abs(between.scores[i]! - fixture.expected.betweenness[id]!));
    });
    expect(worstPr).toBeLessThan(1e-6);
    expect(worstBt).toBeLessThan(1e-9);
  });
});
