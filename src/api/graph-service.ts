/**
 * Where the server's graphs come from (docs/API.md, "Caches"). A request names filters; the
 * answer is an analysed graph — the built graph, its seed-independent metrics (betweenness,
 * communities, engagement) and layout positions — computed once per graph version and kept in the
 * graph cache, so a request with new seeds only runs PageRank and the composite.
 *
 * - The snapshot is used when its filters match the request's and it is fresh: the source tables
 *   hold exactly the rows they held when it was written. Loading it takes milliseconds.
 * - Otherwise the graph is built live from the database and analysed, on the analysis thread so
 *   the event loop keeps answering; its nodes borrow their positions from the snapshot when it
 *   has them (NaN otherwise), so the map keeps its shape after an import.
 * - Every request first calls `checkForChanges()`: when the database has commits from another
 *   connection, the file was replaced, or the snapshot's manifest changed, both caches are
 *   dropped and the next request sees the new data — no restart needed.
 * - The server's own curation writes (`write`) change no graph: when such a commit was the only one since the
 *   last check, the caches are kept. Community names and colours are read fresh by the communities routes;
 *   graph-data's named communities are the run's, as it stored them (docs/API.md, "Named communities").
 * - The named communities of the database's latest propagation run are lined up with the graph's
 *   nodes once per analysed graph and cached with it (docs/API.md, "Named communities"): read from
 *   the database, not the snapshot, so a run stored after the snapshot shows on the next request.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { sourceRowCounts } from '../db/graph-store.js';
import { importedArchiveDirectories } from '../db/summary.js';
import { namedView, type NamedView } from '../communities/named-view.js';
import { isDemoDirectory } from '../demo/generator.js';
import type { BaseMetrics } from '../graph/analysis.js';
import type { BuiltGraph } from '../graph/build.js';
import { sameAnalysis, type AnalysisParams } from '../graph/params.js';
import { graphFromSnapshot, loadSnapshot, type SnapshotGraph } from '../graph/snapshot.js';
import { SNAPSHOT_FILES, snapshotAnalysis, type SnapshotManifest } from '../graph/snapshot-manifest.js';
import type { Logger } from '../log.js';
import { AnalysisThread } from './analysis-thread.js';
import { ApiCache } from './caches.js';
import type { LiveDatabase } from './live-database.js';
import { errorMessage } from '../errors.js';

export interface AnalysedGraph {
  analysis: AnalysisParams;
  source: 'snapshot' | 'live_build';
  /** Changes whenever the graph may differ; clients use it to line arrays up with the node table. */
  version: string;
  built: BuiltGraph;
  base: BaseMetrics;
  /** Layout per node; NaN where the snapshot does not place the node. Null without a snapshot. */
  positions: { x: Float64Array; y: Float64Array } | null;
  snapshotGeneratedAt: string | null;
  /** The latest propagation run lined up with the nodes; null when no run is stored. */
  named: NamedView | null;
  seconds: number;
}

export interface SnapshotState {
  present: boolean;
  generated_at: string | null;
  /** Why the snapshot is not used, when it is not. */
  problem: string | null;
  /** What the snapshot was written with. */
  analysis: AnalysisParams | null;
}

/**
 * Bytes a cached value holds, roughly: an analysed graph's typed arrays plus ~200 bytes of objects
 * per node; a payload says its own size.
 */
function approximateBytes(value: object): number {
  if ('built' in value) {
    const { built } = value as AnalysedGraph;
    // Plus the named view's columns: 4 + 8 + 1 bytes per node.
    return built.graph.nodeCount * 313 + built.graph.edgeCount * 20;
  }
  if ('approxBytes' in value) return (value as { approxBytes: number }).approxBytes;
  return 1024;
}

interface LoadedSnapshotGraph {
  manifest: SnapshotManifest;
  graph: SnapshotGraph;
}

export class GraphService {
  private readonly bootId = randomBytes(3).toString('hex');
  private generation = 0;
  private lastToken: string | null = null;
  private snapshot: LoadedSnapshotGraph | { error: string } | null = null;
  private rowCounts: Record<string, number> | null = null;
  private demo: boolean | null = null;
  private readonly thread = new AnalysisThread();

  constructor(
    private readonly database: LiveDatabase,
    private readonly dataDir: string,
    readonly graphCache: ApiCache<object>,
    readonly responseCache: ApiCache<object>,
    private readonly log: Logger,
  ) {}

  /** The graph cache (docs/API.md, "Caches"): 100 entries, 1 h; also at most ~1 GiB. */
  static graphCacheFor(): ApiCache<object> {
    return new ApiCache<object>({ max: 100, ttlMs: 3_600_000, maxBytes: 1024 ** 3 }, approximateBytes);
  }

  /** The response cache: 100 entries, 5 min; a 95,000-node answer is ~15 MB, so also at most ~512 MiB. */
  static responseCacheFor(): ApiCache<object> {
    return new ApiCache<object>({ max: 100, ttlMs: 300_000, maxBytes: 512 * 1024 ** 2 }, approximateBytes);
  }

  private manifestStamp(): string {
    const path = join(this.dataDir, SNAPSHOT_FILES.manifest);
    if (!existsSync(path)) return 'none';
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}`;
  }

  /** Drops both caches when the database or the snapshot changed since the last call; true when it did. */
  checkForChanges(): boolean {
    const token = `${this.database.changeToken()}|${this.manifestStamp()}`;
    if (token === this.lastToken) return false;
    const first = this.lastToken === null;
    this.lastToken = token;
    this.generation++;
    this.snapshot = null;
    this.rowCounts = null;
    this.demo = null;
    const dropped = this.graphCache.invalidate() + this.responseCache.invalidate();
    if (!first) this.log.info(`The database or snapshot changed: ${dropped} cached entries dropped.`);
    return true;
  }

  /**
   * A curation write on the server's own connection (LiveDatabase.write). When nothing else had changed before it,
   * the caches stay: curation tables are not graph sources, and the named view changes only with a new run.
   */
  write<T>(change: (db: Db) => T): T {
    this.checkForChanges();
    const { value, before, after } = this.database.write(change);
    const stamp = this.manifestStamp();
    if (this.lastToken === `${before}|${stamp}`) this.lastToken = `${after}|${stamp}`;
    return value;
  }

  private loadedSnapshot(): LoadedSnapshotGraph | { error: string } {
    if (this.snapshot) return this.snapshot;
    try {
      const loaded = loadSnapshot(this.dataDir);
      this.snapshot = { manifest: loaded.manifest, graph: graphFromSnapshot(loaded) };
    } catch (error) {
      this.snapshot = { error: errorMessage(error) };
    }
    return this.snapshot;
  }

  /**
   * Whether the database holds the demo community (an archive imported from a demo directory): the explorer says so.
   */
  isDemo(): boolean {
    this.checkForChanges();
    const db = this.database.connection();
    if (!db) return false;
    this.demo ??= importedArchiveDirectories(db).some(isDemoDirectory);
    return this.demo;
  }

  private currentRowCounts(): Record<string, number> {
    this.rowCounts ??= sourceRowCounts(this.database.require());
    return this.rowCounts;
  }

  /** Without shadow rows in the database, includeShadow changes nothing: treat both alike. */
  private effective(analysis: AnalysisParams): AnalysisParams {
    const counts = this.currentRowCounts();
    const hasShadow = (counts.shadow_account ?? 0) + (counts.shadow_edge ?? 0) > 0;
    return { ...analysis, includeShadow: analysis.includeShadow && hasShadow };
  }

  /** Why the snapshot cannot serve this analysis, or null when it can. */
  private snapshotMismatch(snapshot: LoadedSnapshotGraph, analysis: AnalysisParams): string | null {
    if (!sameAnalysis(this.effective(snapshotAnalysis(snapshot.manifest)), this.effective(analysis))) {
      return 'it was written with other filters';
    }
    const current = this.currentRowCounts();
    const changed = Object.keys(current).filter(
      (table) => snapshot.manifest.source_row_counts[table] !== current[table],
    );
    return changed.length > 0 ? `the database changed since it was written (${changed.join(', ')})` : null;
  }

  snapshotState(analysis: AnalysisParams): SnapshotState {
    this.checkForChanges();
    const snapshot = this.loadedSnapshot();
    if ('error' in snapshot) return { present: false, generated_at: null, problem: snapshot.error, analysis: null };
    let problem: string | null;
    try {
      problem = this.snapshotMismatch(snapshot, analysis);
    } catch (error) {
      problem = errorMessage(error);
    }
    return {
      present: true,
      generated_at: snapshot.manifest.generated_at,
      problem,
      analysis: snapshotAnalysis(snapshot.manifest),
    };
  }

  /** The analysed graph for these parameters, from the cache, the snapshot or a live build (on the analysis thread). */
  async analysed(
    analysis: AnalysisParams,
    options: { forceRebuild?: boolean } = {},
  ): Promise<{ graph: AnalysedGraph; cache: 'HIT' | 'MISS' }> {
    this.checkForChanges();
    this.database.require();
    const key = this.effective(analysis);
    if (options.forceRebuild) this.graphCache.invalidate('graph');
    const { value, status } = await this.graphCache.getOrCompute('graph', key, () =>
      this.analyse(analysis, options.forceRebuild ?? false),
    );
    return { graph: value as AnalysedGraph, cache: status };
  }

  private async analyse(analysis: AnalysisParams, forceRebuild: boolean): Promise<AnalysedGraph> {
    const started = performance.now();
    const snapshot = this.loadedSnapshot();
    const version = `${this.bootId}.${this.generation}`;
    const generatedAt = 'error' in snapshot ? null : snapshot.manifest.generated_at;
    if (!('error' in snapshot) && !forceRebuild && this.snapshotMismatch(snapshot, analysis) === null) {
      const { built, base, positions } = snapshot.graph;
      return {
        analysis,
        source: 'snapshot',
        version,
        built,
        base,
        positions,
        snapshotGeneratedAt: generatedAt,
        named: this.named(built),
        seconds: (performance.now() - started) / 1000,
      };
    }
    const { built, base } = await this.thread.analyse(this.database.path, analysis);
    const positions = 'error' in snapshot ? null : borrowPositions(built, snapshot.graph);
    const named = this.named(built);
    const seconds = (performance.now() - started) / 1000;
    this.log.info(
      `Built the graph live (${built.graph.nodeCount} nodes, ${built.graph.edgeCount} edges) ` +
        `and its base metrics in ${seconds.toFixed(2)} s.`,
    );
    return {
      analysis,
      source: 'live_build',
      version,
      built,
      base,
      positions,
      snapshotGeneratedAt: generatedAt,
      named,
      seconds,
    };
  }

  /** The database's latest run on this graph's nodes. */
  private named(built: BuiltGraph): NamedView | null {
    return namedView(this.database.require(), built.graph);
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/** Positions of the snapshot's nodes, by account id; NaN for nodes it does not have. */
function borrowPositions(built: BuiltGraph, snapshot: SnapshotGraph): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(built.graph.nodeCount).fill(Number.NaN);
  const y = new Float64Array(built.graph.nodeCount).fill(Number.NaN);
  const index = snapshot.built.graph.index;
  built.graph.ids.forEach((id, i) => {
    const j = index.get(id);
    if (j !== undefined) {
      x[i] = snapshot.positions.x[j]!;
      y[i] = snapshot.positions.y[j]!;
    }
  });
  return { x, y };
}
