/** Snapshot refresh, load and verify on the demo community (docs/DATA-MODEL.md, "Snapshot files"). */
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DataType, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveImporter } from '../archive/importer.js';
import { DirectoryArchiveSource } from '../archive/sources/directory-source.js';
import { formatChecks } from '../checks.js';
import { openDatabase, type Db } from '../db/database.js';
import { saveRun } from '../db/membership-store.js';
import { writeDemoCommunity } from '../demo/generator.js';
import { tempDir } from '../testing/fixtures.js';
import type { AnalysisOutput } from './analysis-output.js';
import { baseMetrics, seedMetrics } from './analysis.js';
import { buildGraph } from './build.js';
import { GRAPH_DEFAULTS } from './params.js';
import { refreshSnapshot, type RefreshOptions } from './refresh.js';
import { graphFromSnapshot, loadSnapshot } from './snapshot.js';
import { readManifest, SNAPSHOT_FILES, type SnapshotManifest } from './snapshot-manifest.js';
import { verifySnapshot } from './snapshot-verify.js';

describe('graph snapshots', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let options: RefreshOptions;
  const snapshotDir = () => join(dir.path, 'snap');

  beforeAll(async () => {
    dir = tempDir();
    const manifest = await writeDemoCommunity(join(dir.path, 'demo'), { accounts: 30 });
    db = openDatabase(join(dir.path, 'cache.db'));
    await new ArchiveImporter({
      db,
      source: new DirectoryArchiveSource(join(dir.path, 'demo')),
      parsers: 0,
    }).importAll();
    options = { ...GRAPH_DEFAULTS, seeds: [manifest.accounts[0]!.username] };
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  it('writes Arrow IPC files, the analysis and a manifest, in six reported steps, atomically', () => {
    const steps: string[] = [];
    const { manifest } = refreshSnapshot(db, snapshotDir(), options, (step, total, name) =>
      steps.push(`[${step}/${total}] ${name}`),
    );
    expect(steps).toHaveLength(6);
    expect(steps[0]).toBe('[1/6] Building the graph');
    const { interactions: _interactions, ...written } = SNAPSHOT_FILES;
    expect(readdirSync(snapshotDir()).sort()).toEqual(Object.values(written).sort());
    for (const file of [SNAPSHOT_FILES.nodes, SNAPSHOT_FILES.edges]) {
      const bytes = readFileSync(join(snapshotDir(), file));
      // The Arrow IPC file format opens and closes with the magic "ARROW1".
      expect([bytes.subarray(0, 6).toString(), bytes.subarray(-6).toString()]).toEqual(['ARROW1', 'ARROW1']);
    }
    expect(manifest.counts.nodes).toBe(buildGraph(db, { includeShadow: true }).graph.nodeCount);
    expect(manifest.parameters.resolved_seeds).toHaveLength(1);
    expect(manifest.source_row_counts.archive_profiles).toBe(30);
    const analysis = JSON.parse(readFileSync(join(snapshotDir(), SNAPSHOT_FILES.analysis), 'utf8')) as AnalysisOutput;
    expect(analysis.graph.directed_nodes).toBe(manifest.counts.nodes);
    // No propagation run stored: the named columns are there, all null.
    expect(manifest.named_communities).toBeNull();
    const { nodes } = loadSnapshot(snapshotDir());
    for (const name of ['named_community', 'community_confidence', 'community_band'])
      expect(nodes.getChild(name)!.nullCount).toBe(manifest.counts.nodes);
  });

  it('loads back the same accounts, metrics, communities and positions', () => {
    const { nodes, edges, manifest } = loadSnapshot(snapshotDir());
    const built = buildGraph(db, { includeShadow: true });
    const base = baseMetrics(built);
    const seeded = seedMetrics(built, base, options);
    expect(nodes.getChild('id')!.toArray()).toEqual(built.graph.ids);
    expect(Float64Array.from(nodes.getChild('pagerank')!.toArray() as Float64Array)).toEqual(seeded.pagerank);
    expect(Int32Array.from(nodes.getChild('community')!.toArray() as Int32Array)).toEqual(base.communities.membership);
    expect((nodes.getChild('x')!.toArray() as Float64Array).some((x) => x !== 0)).toBe(true);
    expect(edges.numRows).toBe(manifest.counts.edges);
    expect(typeof edges.get(0)!.toJSON().source).toBe('string');
  });

  it('rebuilds the engine graph from the files alone: edges, flags, nodes and seed-independent metrics', () => {
    const fromFiles = graphFromSnapshot(loadSnapshot(snapshotDir()));
    const built = buildGraph(db, { includeShadow: true });
    const base = baseMetrics(built);
    expect(fromFiles.built.graph.outOffsets).toEqual(built.graph.outOffsets);
    expect(fromFiles.built.graph.outTargets).toEqual(built.graph.outTargets);
    expect(fromFiles.built.edgeShadow).toEqual(built.edgeShadow);
    expect(fromFiles.built.nodes).toEqual(built.nodes);
    expect(fromFiles.base.betweenness.scores).toEqual(base.betweenness.scores);
    expect(fromFiles.base.communities).toMatchObject({
      membership: base.communities.membership,
      count: base.communities.count,
      modularity: base.communities.modularity,
    });
    expect(fromFiles.base.undirectedEdges).toBe(base.undirectedEdges);
    expect(fromFiles.positions.x).toHaveLength(built.graph.nodeCount);
  });

  it('gives the same files for the same graph', () => {
    const before = readFileSync(join(snapshotDir(), SNAPSHOT_FILES.nodes));
    refreshSnapshot(db, snapshotDir(), options);
    expect(readFileSync(join(snapshotDir(), SNAPSHOT_FILES.nodes)).equals(before)).toBe(true);
  });

  it("writes the latest run's placement as named columns, and the run in the manifest", () => {
    const ids = buildGraph(db, { includeShadow: true }).graph.ids;
    const communities = [
      { id: 7, short: 'rat', name: 'Rationalists', color: '#4e79a7' },
      { id: 9, short: 'build', name: 'Builders', color: '#f28e2b' },
    ];
    const row = { noneWeight: 0.1, uncertainty: null, seedDegree: 0 };
    const runId = saveRun(
      db,
      {
        startedAt: '2026-02-01 10:00:00',
        engine: 'ppr-lift',
        parameters: {},
        seedHash: 'x',
        versionName: null,
        durationMs: 1,
        converged: true,
        iterations: 1,
        residual: 0,
        nodeCount: 3,
        seedCount: 1,
        bootstrapSamples: 0,
        communities,
        summary: null,
      },
      [
        { ...row, accountId: ids[0]!, topCommunityId: 9, confidence: 0.8, band: 'exemplar', weights: { '9': 0.8 } },
        { ...row, accountId: ids[1]!, topCommunityId: 7, confidence: 0.5, band: 'bridge', weights: { '7': 0.5 } },
        { ...row, accountId: ids[2]!, topCommunityId: null, confidence: 0, band: 'unclassified', weights: {} },
      ],
    );
    const { manifest } = refreshSnapshot(db, snapshotDir(), options);
    expect(manifest.named_communities).toEqual({
      run_id: runId,
      engine: 'ppr-lift',
      started_at: '2026-02-01 10:00:00',
    });
    const { nodes } = loadSnapshot(snapshotDir());
    const values = (name: string) => Array.from(nodes.getChild(name)!, (v: unknown) => v);
    const field = nodes.schema.fields.find((f) => f.name === 'named_community')!;
    // A dictionary column: a categorical in pandas.
    expect(DataType.isDictionary(field.type)).toBe(true);
    expect(values('named_community').slice(0, 4)).toEqual(['build', 'rat', null, null]);
    expect(values('community_confidence').slice(0, 4)).toEqual([0.8, 0.5, null, null]);
    // Accounts the run did not see are unclassified.
    expect(values('community_band').slice(0, 4)).toEqual(['exemplar', 'bridge', 'unclassified', 'unclassified']);
    expect(values('named_community').filter((v) => v !== null)).toHaveLength(2);
  });

  it('loads a snapshot written before named communities (no named columns, no manifest entry)', () => {
    const nodesFile = join(snapshotDir(), SNAPSHOT_FILES.nodes);
    const current = tableFromIPC(readFileSync(nodesFile));
    const older = current.select(
      current.schema.fields.map((f) => f.name).filter((name) => !/^(named_community|community_)/.test(name)),
    );
    expect(older.numCols).toBe(current.numCols - 3);
    const bytes = tableToIPC(older, 'file');
    writeFileSync(nodesFile, bytes);
    const { named_communities: _dropped, ...manifest } = readManifest(snapshotDir());
    const rewritten: SnapshotManifest = {
      ...manifest,
      files: {
        ...manifest.files,
        nodes: {
          ...manifest.files.nodes,
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        },
      },
    };
    writeFileSync(join(snapshotDir(), SNAPSHOT_FILES.manifest), JSON.stringify(rewritten));
    const loaded = loadSnapshot(snapshotDir());
    expect(loaded.nodes.getChild('named_community')).toBeNull();
    expect(loaded.manifest.named_communities).toBeUndefined();
    const fromFiles = graphFromSnapshot(loaded);
    expect(fromFiles.built.graph.ids).toEqual(buildGraph(db, { includeShadow: true }).graph.ids);
    expect(formatChecks(verifySnapshot(snapshotDir(), db, 7))).toMatchObject({ passed: true });
    refreshSnapshot(db, snapshotDir(), options);
  });

  it('with interactions: writes the pairs, reads back the same layer and engagement, and drops them without', () => {
    const withLayer = { ...options, includeInteractions: true };
    const { manifest } = refreshSnapshot(db, snapshotDir(), withLayer);
    const built = buildGraph(db, withLayer);
    const layer = built.interactions!;
    // The demo's archives mention, reply to and retweet the accounts their owners follow.
    expect(layer.pairCount).toBeGreaterThan(20);
    expect(manifest.counts.interaction_pairs).toBe(layer.pairCount);
    expect(manifest.parameters.include_interactions).toBe(true);
    const fromFiles = graphFromSnapshot(loadSnapshot(snapshotDir()));
    expect(fromFiles.built.interactions).toEqual(layer);
    expect(fromFiles.built.options.includeInteractions).toBe(true);
    expect(fromFiles.base.engagement).toEqual(baseMetrics(built).engagement);
    const pairs = tableFromIPC(readFileSync(join(snapshotDir(), SNAPSHOT_FILES.interactions)));
    expect(pairs.numRows).toBe(layer.pairCount);
    expect(pairs.get(0)!.toJSON()).toMatchObject({
      source: expect.stringMatching(/^\d+$/) as unknown,
      kinds: expect.stringMatching(
        /^(mention|reply|quote|retweet|like)(\+(mention|reply|quote|retweet|like))*$/,
      ) as unknown,
    });
    expect(formatChecks(verifySnapshot(snapshotDir(), db, 7))).toMatchObject({ passed: true });

    refreshSnapshot(db, snapshotDir(), options);
    expect(existsSync(join(snapshotDir(), SNAPSHOT_FILES.interactions))).toBe(false);
    expect(graphFromSnapshot(loadSnapshot(snapshotDir())).built.interactions).toBeNull();
  });

  it('verify passes on a fresh snapshot and names what is wrong with a stale, damaged or missing one', () => {
    expect(formatChecks(verifySnapshot(snapshotDir(), db, 7))).toMatchObject({ passed: true });

    db.prepare(
      "INSERT INTO shadow_account (account_id, username, source_channel, fetched_at) VALUES ('5', 'newcomer', " +
        "'test', '2025-01-01 00:00:00')",
    ).run();
    const stale = verifySnapshot(snapshotDir(), db, 7);
    expect(stale.find((c) => c.name === 'Freshness')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('shadow_account 0 → 1') as unknown,
    });
    db.prepare("DELETE FROM shadow_account WHERE account_id = '5'").run();

    const nodesFile = join(snapshotDir(), SNAPSHOT_FILES.nodes);
    const good = readFileSync(nodesFile);
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    writeFileSync(nodesFile, flipped);
    const damaged = formatChecks(verifySnapshot(snapshotDir(), db, 7));
    expect(damaged.passed).toBe(false);
    expect(damaged.text).toMatch(
      /✗ Checksums match: graph_snapshot\.nodes\.arrow changed since it was written.*npx tpot snapshot refresh/,
    );
    expect(damaged.text).toMatch(/✗ Snapshot loads: .*does not match the checksum/);
    writeFileSync(nodesFile, good);

    truncateSync(join(snapshotDir(), SNAPSHOT_FILES.edges), 100);
    expect(() => loadSnapshot(snapshotDir())).toThrow(
      /graph_snapshot\.edges\.arrow does not match the checksum.*snapshot refresh/,
    );
    appendFileSync(join(snapshotDir(), 'ignored'), '');
    rmSync(join(snapshotDir(), SNAPSHOT_FILES.manifest));
    const missing = formatChecks(verifySnapshot(snapshotDir(), db, 7));
    expect(missing.text).toMatch(/✗ Files present: missing graph_snapshot\.meta\.json/);
    expect(missing.text).toContain('RESULT: 0/2 checks passed');
    expect(existsSync(join(snapshotDir(), `${SNAPSHOT_FILES.nodes}.tmp`))).toBe(false);
  });
});
