/** The analysis of a real cache: the demo community imported through the importer. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveImporter } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import { openDatabase, type Db } from '../db/database.js';
import { writeDemoCommunity, type DemoManifest } from '../demo/generator.js';
import { tempDir } from '../testing/fixtures.js';
import { analysisOutput, baseMetrics, resolveSeeds, seedMetrics, top, TOP_COUNT } from './analysis.js';
import { createRng } from '../rng.js';
import { buildGraph, type BuiltGraph } from './build.js';

describe('analysis of the demo community', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let manifest: DemoManifest;
  let built: BuiltGraph;

  beforeAll(async () => {
    dir = tempDir();
    manifest = await writeDemoCommunity(join(dir.path, 'demo'), { accounts: 40 });
    db = openDatabase(join(dir.path, 'cache.db'));
    await new ArchiveImporter({
      db,
      source: new DirectoryArchiveSource(join(dir.path, 'demo')),
      parsers: 0,
    }).importAll();
    built = buildGraph(db);
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  it('builds a graph of every archive account and every account their follows reach, with string ids', () => {
    const archive = built.nodes.filter((n) => n.provenance === 'archive');
    expect(new Set(archive.map((n) => n.accountId))).toEqual(new Set(manifest.accounts.map((a) => a.accountId)));
    // The rest are accounts the archives know only by id (the demo's wider population), most named by their mentions.
    const mentioned = built.nodes.filter((n) => n.provenance === 'mentioned');
    const unnamed = built.nodes.filter((n) => n.provenance === 'id');
    expect(mentioned.length + unnamed.length).toBe(built.graph.nodeCount - 40);
    expect(mentioned.length).toBeGreaterThan(unnamed.length);
    expect(mentioned.every((n) => n.username !== null) && unnamed.every((n) => n.username === null)).toBe(true);
    expect(built.graph.nodeCount).toBeLessThanOrEqual(manifest.population);
    expect(built.graph.edgeCount).toBeGreaterThan(100);
    expect(built.graph.ids.every((id) => /^\d+$/.test(id))).toBe(true);
  });

  it('gives the original analysis_output.json shape with consistent values', () => {
    const base = baseMetrics(built);
    const [first, second] = manifest.accounts;
    const seeded = seedMetrics(built, base, {
      seeds: [`@${first!.username.toUpperCase()}`, second!.accountId, 'not_an_account'],
    });
    const output = analysisOutput(built, base, seeded);
    expect(output.resolved_seeds).toEqual([first!.accountId, second!.accountId]);
    expect(output.unknown_seeds).toEqual(['not_an_account']);
    expect(Object.keys(output.metrics)).toEqual(['pagerank', 'betweenness', 'engagement', 'composite', 'communities']);
    expect(Object.values(output.metrics.pagerank).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    for (const value of Object.values(output.metrics.composite)) expect(value).toBeGreaterThanOrEqual(0);
    expect(Math.max(...Object.values(output.metrics.composite))).toBeLessThanOrEqual(1);
    for (const list of Object.values(output.top)) {
      expect(list).toHaveLength(TOP_COUNT);
      expect(list.map(([, score]) => score)).toEqual([...list.map(([, score]) => score)].sort((a, b) => b - a));
    }
    const n = built.graph.nodeCount;
    expect(output.graph).toEqual({
      nodes: n,
      edges: base.undirectedEdges,
      directed_nodes: n,
      directed_edges: built.graph.edgeCount,
    });
    expect(new Set(Object.values(output.metrics.communities)).size).toBe(base.communities.count);
  });

  it('moves PageRank toward the seeds, and recomputes only the seed-dependent metrics', () => {
    const base = baseMetrics(built);
    const plain = seedMetrics(built, base);
    const seed = manifest.accounts[5]!.accountId;
    const seeded = seedMetrics(built, base, { seeds: [seed] });
    const i = built.graph.index.get(seed)!;
    expect(seeded.pagerank[i]).toBeGreaterThan(plain.pagerank[i]!);
    expect(plain.seeds.resolved).toEqual([]);
  });

  it('is deterministic: the same graph gives the same communities and betweenness', () => {
    const a = baseMetrics(built);
    const b = baseMetrics(buildGraph(db));
    expect(b.communities.membership).toEqual(a.communities.membership);
    expect(b.betweenness.scores).toEqual(a.betweenness.scores);
    expect(a.communities.count).toBeGreaterThanOrEqual(2);
  });

  it('resolves seeds by id or handle, once each', () => {
    const { username, accountId } = manifest.accounts[0]!;
    expect(resolveSeeds(built, [username, accountId, ` @${username} `]).resolved).toEqual([accountId]);
  });
});

describe('top', () => {
  it('gives what a full sort gives: highest first, ties by id, at most count', () => {
    const rng = createRng(5);
    const ids = Array.from({ length: 500 }, (_, i) => String(1_000_000 + ((i * 7919) % 500)));
    // Few distinct values, so ties are everywhere.
    const scores = Float64Array.from({ length: 500 }, () => rng.int(0, 30) / 30);
    const sorted = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || (ids[a]! < ids[b]! ? -1 : 1));
    for (const count of [1, 20, 499, 500, 600]) {
      expect(top(ids, scores, count)).toEqual(sorted.slice(0, count).map((i) => [ids[i], scores[i]]));
    }
    expect(top([], new Float64Array(0))).toEqual([]);
  });
});
