import { describe, expect, it } from 'vitest';
import { graphFromEdges } from '../graph/graph.js';
import { bootstrap, resampleSeeds } from './bootstrap.js';
import { BOOTSTRAP_DEFAULTS, PROPAGATION_DEFAULTS } from './defaults.js';
import { propagate } from './engine.js';
import { propagationGraph } from './propagation-graph.js';
import { createPropagator } from './propagation-pool.js';
import type { SeedAssignment } from './types.js';

describe('seed resampling', () => {
  const seeds: SeedAssignment = {
    communityCount: 2,
    nodes: Int32Array.from([0, 1, 2, 3, 4, 5, 6]),
    columns: Int32Array.from([0, 0, 0, 0, 0, 1, 1]),
  };

  it('keeps the share asked for in each community, at least one, and is the same for the same seed', () => {
    const sample = resampleSeeds(seeds, 0.4, 3);
    expect([...sample.columns].filter((c) => c === 0)).toHaveLength(2);
    expect([...sample.columns].filter((c) => c === 1)).toHaveLength(1);
    expect(resampleSeeds(seeds, 0.4, 3)).toEqual(sample);
    expect(resampleSeeds(seeds, 0.01, 3).nodes).toHaveLength(2);
  });
});

describe('bootstrap', () => {
  it('is more uncertain about an account that hangs on one seed than about one inside a community', async () => {
    // Two cliques of six with three seeds each; seed 13 of community 0 hangs off the first clique, and x (12)
    // hangs off seed 13 alone: whether 13 is kept decides x's weight.
    const edges: [number, number][] = [];
    for (const base of [0, 6])
      for (let a = base; a < base + 6; a++) for (let b = base; b < base + 6; b++) if (a !== b) edges.push([a, b]);
    edges.push([13, 0], [12, 13]);
    const ids = Array.from({ length: 14 }, (_, i) => `n${i}`);
    const graph = propagationGraph(
      graphFromEdges(
        ids,
        edges.map((e) => e[0]),
        edges.map((e) => e[1]),
      ),
      { mutualWeight: 2 },
    );
    const seeds: SeedAssignment = {
      communityCount: 2,
      nodes: Int32Array.from([0, 1, 2, 13, 6, 7, 8]),
      columns: Int32Array.from([0, 0, 0, 0, 1, 1, 1]),
    };
    const params = { ...PROPAGATION_DEFAULTS, harmonic: { ...PROPAGATION_DEFAULTS.harmonic, balance: 0 } };
    const full = propagate(graph, seeds, params);
    const result = await bootstrap(createPropagator(graph, 0), seeds, params, full, {
      ...BOOTSTRAP_DEFAULTS,
      samples: 12,
      keep: 0.5,
    });
    expect(result.samples).toBe(12);
    expect(result.uncertainty[4]).toBeLessThan(result.uncertainty[12]!);
    expect(result.agreement[4]).toBe(1);
    // every sample was warm-started from the full run
    expect(Math.max(...result.iterations)).toBeLessThan(full.iterations + 5);
  });
});
