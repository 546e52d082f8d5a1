import { describe, expect, it } from 'vitest';
import type { FollowGraph } from '../graph/graph.js';
import { plantedPartition, structureless, type PlantedOptions } from './planted-graph.js';

const BASE: PlantedOptions = {
  nodes: 3000,
  communities: 5,
  edges: 15_000,
  mixing: 0.15,
  degreeExponent: 2.5,
  reciprocity: 0.3,
  seedsPerCommunity: 20,
  seed: 11,
};

function crossShare(follows: FollowGraph, truth: Int32Array): number {
  let cross = 0;
  for (let u = 0; u < follows.nodeCount; u++) {
    for (let e = follows.outOffsets[u]!; e < follows.outOffsets[u + 1]!; e++) {
      if (truth[u] !== truth[follows.outTargets[e]!]) cross++;
    }
  }
  return cross / follows.edgeCount;
}

function degrees(follows: FollowGraph): number[] {
  return Array.from(
    { length: follows.nodeCount },
    (_, i) => follows.outOffsets[i + 1]! - follows.outOffsets[i]! + follows.inOffsets[i + 1]! - follows.inOffsets[i]!,
  );
}

function reciprocated(follows: FollowGraph): number {
  let mutual = 0;
  const has = (u: number, v: number) =>
    follows.outTargets.subarray(follows.outOffsets[u], follows.outOffsets[u + 1]).includes(v);
  for (let u = 0; u < follows.nodeCount; u++) {
    for (let e = follows.outOffsets[u]!; e < follows.outOffsets[u + 1]!; e++)
      if (has(follows.outTargets[e]!, u)) mutual++;
  }
  return mutual / follows.edgeCount;
}

describe('plantedPartition', () => {
  it('has the requested nodes, communities, edges and seeds', () => {
    const { follows, truth, sizes, seeds } = plantedPartition(BASE);
    expect(follows.nodeCount).toBe(3000);
    expect(Math.abs(follows.edgeCount - 15_000) / 15_000).toBeLessThan(0.03);
    expect(Array.from(sizes)).toEqual([600, 600, 600, 600, 600]);
    expect(new Set(truth).size).toBe(5);
    expect(seeds.communityCount).toBe(5);
    expect(seeds.nodes.length).toBe(100);
    expect(new Set(seeds.nodes).size).toBe(100);
    for (let k = 0; k < seeds.nodes.length; k++) expect(truth[seeds.nodes[k]!]).toBe(seeds.columns[k]);
    for (let c = 0; c < 5; c++) expect(seeds.columns.filter((column) => column === c).length).toBe(20);
  });

  it('crosses communities in about the requested share of follows', () => {
    for (const mixing of [0.05, 0.15, 0.4]) {
      const { follows, truth } = plantedPartition({ ...BASE, mixing });
      expect(crossShare(follows, truth)).toBeGreaterThan(mixing - 0.02);
      expect(crossShare(follows, truth)).toBeLessThan(mixing + 0.02);
    }
  });

  it('returns about the requested share of follows', () => {
    const { follows } = plantedPartition(BASE);
    // A follow returned counts both ways: r returned per drawn follow → 2r / (1 + r) of follows are mutual.
    expect(reciprocated(follows)).toBeCloseTo((2 * 0.3) / 1.3, 1);
  });

  it('has heavy-tailed degrees: hubs far above the median', () => {
    const sorted = degrees(plantedPartition(BASE).follows).sort((a, b) => b - a);
    const median = sorted[sorted.length >> 1]!;
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    expect(mean).toBeGreaterThan(median * 1.3);
    expect(sorted[0]!).toBeGreaterThan(20 * median);
    // the top 1% of accounts hold well over 1% of the follow ends
    const top = sorted.slice(0, 30).reduce((a, b) => a + b, 0);
    expect(top / (mean * sorted.length)).toBeGreaterThan(0.08);
  });

  it('draws seeds among the better-connected members of their community', () => {
    const { follows, truth, seeds } = plantedPartition(BASE);
    const degree = degrees(follows);
    const seedMean = Array.from(seeds.nodes, (node) => degree[node]!).reduce((a, b) => a + b, 0) / seeds.nodes.length;
    const allMean = degree.reduce((a, b) => a + b, 0) / degree.length;
    expect(seedMean).toBeGreaterThan(3 * allMean);
    expect(truth.length).toBe(3000);
  });

  it('makes skewed community sizes on request', () => {
    const { sizes } = plantedPartition({ ...BASE, communitySizes: 'skewed' });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3000);
    for (let c = 1; c < 5; c++) expect(sizes[c]!).toBeLessThan(sizes[c - 1]!);
    expect(sizes[0]! / sizes[4]!).toBeGreaterThan(3);
  });

  it('is deterministic for a seed, and differs between seeds', () => {
    const a = plantedPartition(BASE);
    const b = plantedPartition(BASE);
    const c = plantedPartition({ ...BASE, seed: 12 });
    expect(Array.from(a.follows.outTargets)).toEqual(Array.from(b.follows.outTargets));
    expect(Array.from(a.truth)).toEqual(Array.from(b.truth));
    expect(Array.from(a.seeds.nodes)).toEqual(Array.from(b.seeds.nodes));
    expect(Array.from(a.truth)).not.toEqual(Array.from(c.truth));
  });

  it('rejects impossible requests', () => {
    expect(() => plantedPartition({ ...BASE, mixing: 1.5 })).toThrow(/mixing/);
    expect(() => plantedPartition({ ...BASE, communities: 1, mixing: 0.1 })).toThrow(/single community/);
    expect(() => plantedPartition({ ...BASE, seedsPerCommunity: 700 })).toThrow(/seeds/);
    expect(() => plantedPartition({ ...BASE, nodes: 20, edges: 300 })).toThrow(/edges/);
  });

  it('generates the benchmark size (200,000 nodes, 450,000 edges) in a few seconds', () => {
    const started = performance.now();
    const { follows, seeds } = plantedPartition({
      ...BASE,
      nodes: 200_000,
      communities: 15,
      edges: 450_000,
      seedsPerCommunity: 20,
    });
    const ms = performance.now() - started;
    expect(follows.edgeCount).toBe(450_000);
    expect(seeds.nodes.length).toBe(300);
    // About 0.6–0.9 s alone on the 2-core machine; the bound leaves room for a busy neighbour test.
    expect(ms).toBeLessThan(5000);
  });
});

describe('structureless', () => {
  it('keeps the degrees but crosses communities as often as random labels would', () => {
    const { mixing: _mixing, ...options } = BASE;
    const { follows, truth, seeds } = structureless(options);
    expect(follows.edgeCount).toBe(15_000);
    // Five equal communities: a random pair of endpoints is in different ones 4/5 of the time.
    expect(crossShare(follows, truth)).toBeGreaterThan(0.77);
    expect(crossShare(follows, truth)).toBeLessThan(0.83);
    expect(seeds.nodes.length).toBe(100);
    const sorted = degrees(follows).sort((a, b) => b - a);
    expect(sorted[0]!).toBeGreaterThan(20 * sorted[sorted.length >> 1]!);
  });
});
