import { afterAll, describe, expect, it } from 'vitest';
import { layerFromPairs } from '../graph/interactions.js';
import { createRng } from '../rng.js';
import { plantedPartition } from '../testing/planted-graph.js';
import { bootstrap } from './bootstrap.js';
import { BOOTSTRAP_DEFAULTS, PROPAGATION_DEFAULTS, type PropagationParams } from './defaults.js';
import { propagate, PropagationError } from './engine.js';
import { propagationGraph } from './propagation-graph.js';
import { createPropagator } from './propagation-pool.js';

// Small enough to be quick, large enough that each thread gets several columns of real work.
const planted = plantedPartition({
  nodes: 3_000,
  edges: 9_000,
  communities: 5,
  mixing: 0.2,
  degreeExponent: 2.5,
  reciprocity: 0.3,
  seedsPerCommunity: 6,
  communitySizes: 'skewed',
  seed: 11,
});
// Interactions on a third of the follows and between 2,000 random pairs, so the threads read that share too.
const rng = createRng(5);
const pairs: [number, number][] = [];
for (let u = 0; u < planted.follows.nodeCount; u += 3)
  for (let k = planted.follows.outOffsets[u]!; k < planted.follows.outOffsets[u + 1]!; k++)
    pairs.push([u, planted.follows.outTargets[k]!]);
for (let r = 0; r < 2_000; r++) {
  const u = rng.int(0, planted.follows.nodeCount - 1);
  const v = rng.int(0, planted.follows.nodeCount - 1);
  if (u !== v) pairs.push([u, v]);
}
const interactions = layerFromPairs(
  planted.follows.nodeCount,
  pairs.map(([u]) => u),
  pairs.map(([, v]) => v),
  pairs.map(() => 0.2 + rng.next()),
  pairs.map(() => 1),
);
const graph = propagationGraph(planted.follows, {
  mutualWeight: PROPAGATION_DEFAULTS.mutualWeight,
  interactions,
  interactionWeight: PROPAGATION_DEFAULTS.interactionWeight,
});
const pool = createPropagator(graph, 2);
afterAll(() => pool.close());

const engines: PropagationParams[] = [PROPAGATION_DEFAULTS, { ...PROPAGATION_DEFAULTS, engine: 'ppr-lift' }];

describe('the propagation pool', () => {
  it.each(engines.map((params) => [params.engine, params] as const))(
    '%s: gives the same answer to the bit as one thread, cold and warm-started',
    async (_engine, params) => {
      const here = propagate(graph, planted.seeds, params);
      const there = await pool.propagate(planted.seeds, params);
      expect(pool.threads).toBe(2);
      expect(Buffer.from(there.weights.buffer).equals(Buffer.from(here.weights.buffer))).toBe(true);
      expect(Buffer.from(there.state.buffer).equals(Buffer.from(here.state.buffer))).toBe(true);
      expect(there.iterations).toBe(here.iterations);
      const warmHere = propagate(graph, planted.seeds, params, { warm: here.state });
      const warmThere = await pool.propagate(planted.seeds, params, { warm: here.state });
      expect(warmThere.iterations).toBeLessThan(here.iterations);
      expect(Buffer.from(warmThere.weights.buffer).equals(Buffer.from(warmHere.weights.buffer))).toBe(true);
    },
  );

  it('gives the same bootstrap as one thread', async () => {
    const full = propagate(graph, planted.seeds, PROPAGATION_DEFAULTS);
    const options = { ...BOOTSTRAP_DEFAULTS, samples: 5 };
    const here = await bootstrap(createPropagator(graph, 0), planted.seeds, PROPAGATION_DEFAULTS, full, options);
    const there = await bootstrap(pool, planted.seeds, PROPAGATION_DEFAULTS, full, options);
    expect(Array.from(there.uncertainty)).toEqual(Array.from(here.uncertainty));
    expect(Array.from(there.agreement)).toEqual(Array.from(here.agreement));
    expect(Math.max(...here.uncertainty)).toBeGreaterThan(0);
  });

  it('reports a thread’s error and a run that does not converge, and keeps working after both', async () => {
    const broken = { ...PROPAGATION_DEFAULTS, harmonic: { ...PROPAGATION_DEFAULTS.harmonic, absorption: 0 } };
    await expect(pool.propagate(planted.seeds, broken)).rejects.toThrow(/absorption must be above 0/);
    const capped = { ...PROPAGATION_DEFAULTS, harmonic: { ...PROPAGATION_DEFAULTS.harmonic, maxIterations: 2 } };
    await expect(pool.propagate(planted.seeds, capped)).rejects.toThrow(PropagationError);
    const empty = { ...planted.seeds, communityCount: planted.seeds.communityCount + 1 };
    await expect(pool.propagate(empty, PROPAGATION_DEFAULTS)).rejects.toThrow(/has no seed/);
    const after = await pool.propagate(planted.seeds, PROPAGATION_DEFAULTS);
    expect(after.converged).toBe(true);
  });

  it('refuses work once closed', async () => {
    const closing = createPropagator(graph, 1);
    await closing.propagate(planted.seeds, PROPAGATION_DEFAULTS);
    await closing.close();
    await expect(closing.propagate(planted.seeds, PROPAGATION_DEFAULTS)).rejects.toThrow(/closed/);
  });
});
