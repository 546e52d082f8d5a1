import { describe, expect, it } from 'vitest';
import { graphFromEdges } from '../graph/graph.js';
import { layerFromPairs } from '../graph/interactions.js';
import { PROPAGATION_DEFAULTS, type PropagationParams } from './defaults.js';
import { propagate, PropagationError } from './engine.js';
import { propagationGraph } from './propagation-graph.js';
import type { SeedAssignment } from './types.js';

/** A graph from "a>b" (a follows b) strings over single-letter ids. */
function graphOf(ids: string, edges: string[]) {
  const list = ids.split('');
  const at = (id: string) => list.indexOf(id);
  const sources = edges.map((e) => at(e[0]!));
  const targets = edges.map((e) => at(e[2]!));
  return propagationGraph(graphFromEdges(list, sources, targets), { mutualWeight: 2 });
}

/** The same, with interactions: "a-b:w" pairs of weight w, counted `interactionWeight` times beside a follow's 1. */
function talkingGraphOf(ids: string, edges: string[], pairs: string[], interactionWeight = 1) {
  const list = ids.split('');
  const at = (id: string) => list.indexOf(id);
  const follows = graphFromEdges(
    list,
    edges.map((e) => at(e[0]!)),
    edges.map((e) => at(e[2]!)),
  );
  const interactions = layerFromPairs(
    list.length,
    pairs.map((p) => at(p[0]!)),
    pairs.map((p) => at(p[2]!)),
    pairs.map((p) => Number(p.slice(4))),
    pairs.map(() => 1),
  );
  return propagationGraph(follows, { mutualWeight: 2, interactions, interactionWeight });
}

function seedsOf(communityCount: number, pairs: [node: number, column: number][]): SeedAssignment {
  return {
    communityCount,
    nodes: Int32Array.from(pairs.map(([node]) => node)),
    columns: Int32Array.from(pairs.map(([, column]) => column)),
  };
}

const harmonic = (overrides: Partial<PropagationParams['harmonic']> = {}): PropagationParams => ({
  ...PROPAGATION_DEFAULTS,
  engine: 'harmonic',
  harmonic: { ...PROPAGATION_DEFAULTS.harmonic, absorption: 1, balance: 0, temperature: 1, ...overrides },
});

const row = (weights: Float64Array, node: number, C: number) => Array.from(weights.subarray(node * C, node * C + C));

describe('harmonic engine', () => {
  it('gives the absorption probabilities of a path between two seeds, with the ground as "none"', () => {
    // A — x — y — B, one-way follows (weight 1), absorption 1:
    //   3·f_x = [A] + f_y, 3·f_y = f_x + [B], and 3·f = f' + 1 for "none":
    //   x: c0 3/8, c1 1/8, none 1/2;  y: c0 1/8, c1 3/8, none 1/2.
    const graph = graphOf('AxyB', ['A>x', 'x>y', 'y>B']);
    const result = propagate(
      graph,
      seedsOf(2, [
        [0, 0],
        [3, 1],
      ]),
      harmonic(),
    );
    const x = row(result.weights, 1, 3);
    const y = row(result.weights, 2, 3);
    [3 / 8, 1 / 8, 1 / 2].forEach((value, c) => expect(x[c]).toBeCloseTo(value, 6));
    [1 / 8, 3 / 8, 1 / 2].forEach((value, c) => expect(y[c]).toBeCloseTo(value, 6));
    expect(row(result.weights, 0, 3)).toEqual([1, 0, 0]);
    expect(result.converged).toBe(true);
  });

  it('counts a mutual follow more than a one-way follow', () => {
    // x is tied to A both ways and to B one way: A pulls twice as hard.
    const graph = graphOf('AxB', ['A>x', 'x>A', 'x>B']);
    const [a, b] = row(
      propagate(
        graph,
        seedsOf(2, [
          [0, 0],
          [2, 1],
        ]),
        harmonic(),
      ).weights,
      1,
      3,
    );
    expect(a! / b!).toBeCloseTo(2, 6);
  });

  it('adds interaction weight to a follow, and makes a pair that only talks neighbours', () => {
    // x follows A and B one way each, and talks with A at weight 1.5: A pulls (1 + 1.5) / 1 as hard.
    // z follows nobody and talks only with B, at weight 1: the same to the harmonic engine as following B.
    const seeds = seedsOf(2, [
      [0, 0],
      [2, 1],
    ]);
    const graph = talkingGraphOf('AxBz', ['x>A', 'x>B'], ['x-A:1.5', 'z-B:1']);
    const result = propagate(graph, seeds, harmonic());
    const [a, b] = row(result.weights, 1, 3);
    expect(a! / b!).toBeCloseTo(2.5, 6);
    const following = propagate(talkingGraphOf('AxBz', ['x>A', 'x>B', 'z>B'], ['x-A:1.5']), seeds, harmonic());
    const z = row(result.weights, 3, 3);
    row(following.weights, 3, 3).forEach((value, c) => expect(z[c]).toBeCloseTo(value, 9));
    expect(z[1]).toBeGreaterThan(0);
    expect(z[0]).toBe(0);
    // Weighted 0, the interactions are not there at all.
    const plain = propagate(talkingGraphOf('AxBz', ['x>A', 'x>B'], ['x-A:1.5', 'z-B:1'], 0), seeds, harmonic());
    expect(row(plain.weights, 1, 3)[0]).toBeCloseTo(row(plain.weights, 1, 3)[1]!, 9);
    expect(row(plain.weights, 3, 3)).toEqual([0, 0, 1]);
  });

  it('does not force accounts far from every seed into a community', () => {
    // p — q — r is a component without seeds; z hangs off the end of a long chain.
    const graph = graphOf('Aabcdzpqr', ['a>A', 'b>a', 'c>b', 'd>c', 'z>d', 'p>q', 'q>r']);
    const result = propagate(graph, seedsOf(1, [[0, 0]]), harmonic());
    for (const node of [6, 7, 8]) expect(row(result.weights, node, 2)).toEqual([0, 1]);
    const near = row(result.weights, 1, 2)[0]!;
    const far = row(result.weights, 5, 2)[0]!;
    expect(far).toBeLessThan(0.25);
    expect(near).toBeGreaterThan(far * 2);
  });

  it('rows sum to 1 and are never negative', () => {
    const graph = graphOf('ABCDEFGH', ['A>B', 'B>C', 'C>A', 'D>E', 'E>D', 'C>D', 'F>G', 'G>H', 'H>F', 'E>F']);
    const result = propagate(
      graph,
      seedsOf(3, [
        [0, 0],
        [3, 1],
        [5, 2],
      ]),
      harmonic(),
    );
    for (let i = 0; i < 8; i++) {
      const values = row(result.weights, i, 4);
      expect(values.every((v) => v >= 0)).toBe(true);
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    }
  });

  it('matches a direct solve of its equations, leaves solved out included', () => {
    // A hub h with leaves on it and on a seed, a short cycle, and a leaf pair on its own.
    const graph = graphOf('ABhlmnopqrs', ['h>A', 'h>B', 'l>h', 'm>h', 'n>A', 'h>o', 'o>p', 'p>h', 'q>p', 'r>s']);
    const seeds = seedsOf(2, [
      [0, 0],
      [1, 1],
    ]);
    const result = propagate(graph, seeds, harmonic({ absorption: 0.7, tolerance: 1e-12 }));
    // Gauss–Seidel on (d_i + γ_i)·f_i = Σ_j w_ij·f_j + γ_i·[none], seeds clamped, γ_i as the engine sets it.
    const n = graph.nodeCount;
    let seedDegree = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += graph.degree[i]!;
      if (i < 2) seedDegree += graph.degree[i]!;
    }
    const gamma = (i: number) => ((0.7 * seedDegree) / total) * (graph.degree[i]! + 1);
    const f = Array.from({ length: n }, (_, i) => [i === 0 ? 1 : 0, i === 1 ? 1 : 0, 0]);
    for (let sweep = 0; sweep < 5000; sweep++)
      for (let i = 2; i < n; i++)
        for (let c = 0; c < 3; c++) {
          let sum = c === 2 ? gamma(i) : 0;
          for (let e = graph.offsets[i]!; e < graph.offsets[i + 1]!; e++)
            sum += graph.weights[e]! * f[graph.neighbours[e]!]![c]!;
          f[i]![c] = sum / (graph.degree[i]! + gamma(i));
        }
    for (let i = 0; i < n; i++) row(result.weights, i, 3).forEach((v, c) => expect(v).toBeCloseTo(f[i]![c]!, 8));
  });

  it('says so, and answers nothing, when it does not converge', () => {
    const graph = graphOf('AxyzB', ['A>x', 'x>y', 'y>z', 'z>B']);
    expect(() =>
      propagate(
        graph,
        seedsOf(2, [
          [0, 0],
          [4, 1],
        ]),
        harmonic({ maxIterations: 1, tolerance: 1e-12 }),
      ),
    ).toThrow(PropagationError);
  });

  it('reaches the same answer from a warm start, in fewer iterations', () => {
    const graph = graphOf('ABCDEFGH', ['A>B', 'B>C', 'C>A', 'D>E', 'E>D', 'C>D', 'F>G', 'G>H', 'H>F', 'E>F']);
    const seeds = seedsOf(2, [
      [0, 0],
      [5, 1],
    ]);
    const cold = propagate(graph, seeds, harmonic());
    const warm = propagate(graph, seeds, harmonic(), { warm: cold.state });
    expect(warm.iterations).toBeLessThanOrEqual(1);
    cold.weights.forEach((value, k) => expect(warm.weights[k]).toBeCloseTo(value, 5));
  });

  it('balances a community with many seeds against one with few', () => {
    // x sits between one seed of c0 and four seeds of c1 that all tie to it: balance 1 evens the pull.
    const graph = graphOf('Axbcde', ['A>x', 'b>x', 'c>x', 'd>x', 'e>x']);
    const seeds = seedsOf(2, [
      [0, 0],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
    ]);
    const plain = row(propagate(graph, seeds, harmonic({ balance: 0 })).weights, 1, 3);
    const balanced = row(propagate(graph, seeds, harmonic({ balance: 1 })).weights, 1, 3);
    expect(plain[1]! / plain[0]!).toBeCloseTo(4, 6);
    expect(balanced[1]! / balanced[0]!).toBeCloseTo(1, 6);
    expect(balanced[2]).toBeCloseTo(plain[2]!, 9); // "none" is untouched
  });

  it('rejects a community without a seed and an empty graph', () => {
    const graph = graphOf('AB', ['A>B']);
    expect(() => propagate(graph, seedsOf(2, [[0, 0]]), harmonic())).toThrow(/column 1 has no seed/);
    expect(() => propagate(graphOf('', []), seedsOf(1, []), harmonic())).toThrow(/graph is empty/);
  });
});

describe('ppr-lift engine', () => {
  const ppr: PropagationParams = { ...PROPAGATION_DEFAULTS, engine: 'ppr-lift' };

  it('ranks a well-tied member above a leaf whose only tie is a seed', () => {
    // Community c0: seeds A, B, C; m follows all three and they follow m back; leaf l follows A only.
    // Community c1: seeds X, Y; k follows both. Plenty of background so lifts mean something.
    const graph = graphOf('ABCmlXYkpqrs', [
      'm>A',
      'm>B',
      'm>C',
      'A>m',
      'B>m',
      'C>m',
      'l>A',
      'A>B',
      'B>C',
      'k>X',
      'k>Y',
      'X>Y',
      'p>q',
      'q>r',
      'r>s',
      's>p',
      'p>X',
      'q>A',
    ]);
    const seeds = seedsOf(2, [
      [0, 0],
      [1, 0],
      [2, 0],
      [5, 1],
      [6, 1],
    ]);
    const result = propagate(graph, seeds, ppr);
    const member = row(result.weights, 3, 3);
    const leaf = row(result.weights, 4, 3);
    expect(member[0]).toBeGreaterThan(leaf[0]!);
    expect(member[0]).toBeGreaterThan(member[1]!);
    const k = row(result.weights, 7, 3);
    expect(k[1]).toBeGreaterThan(k[0]!);
    for (let i = 0; i < 12; i++) expect(row(result.weights, i, 3).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
  });

  it('walks interactions too: an account that talks with one community leans to it', () => {
    const edges = ['x>A', 'x>B', 'A>B', 'B>A', 'p>q', 'q>p', 'p>A', 'q>B'];
    const seeds = seedsOf(2, [
      [0, 0],
      [1, 1],
    ]);
    const plain = row(propagate(graphOf('ABxpq', edges), seeds, ppr).weights, 2, 3);
    const talking = row(propagate(talkingGraphOf('ABxpq', edges, ['x-A:3']), seeds, ppr).weights, 2, 3);
    expect(talking[0]! - talking[1]!).toBeGreaterThan(plain[0]! - plain[1]!);
    expect(talking[0]).toBeGreaterThan(talking[1]!);
  });

  it('leaves an account with no ties as "none"', () => {
    const graph = graphOf('ABz', ['A>B']);
    const result = propagate(graph, seedsOf(1, [[0, 0]]), ppr);
    expect(row(result.weights, 2, 2)).toEqual([0, 1]);
  });
});
