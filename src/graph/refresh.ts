/**
 * `tpot snapshot refresh` (docs/DATA-MODEL.md, "Snapshot files"): build the graph, compute every
 * metric and the layout, and write the snapshot — in six numbered steps, each reported as it
 * starts.
 */
import { namedView } from '../communities/named-view.js';
import { migrateIfPresent, openDatabase, type Db } from '../db/database.js';
import { sourceRowCounts } from '../db/graph-store.js';
import type { Logger } from '../log.js';
import { nowUtc } from '../time.js';
import { baseMetrics, seedMetrics, type BaseMetrics, type SeedMetrics } from './analysis.js';
import { buildGraph, type BuiltGraph } from './build.js';
import { undirected } from './graph.js';
import { layout } from './layout.js';
import type { AnalysisParams, RankParams } from './params.js';
import { loadSnapshot, writeSnapshot } from './snapshot.js';
import type { SnapshotManifest } from './snapshot-manifest.js';

export type RefreshOptions = AnalysisParams &
  RankParams & {
    seeds: readonly string[];
    layoutIterations?: number;
  };

export interface RefreshResult {
  manifest: SnapshotManifest;
  /** Seconds per step, in order. */
  steps: { name: string; seconds: number }[];
}

/** An analysis already computed (by `tpot analyze --refresh-snapshot`) is reused, not redone. */
export interface PrecomputedAnalysis {
  built: BuiltGraph;
  base: BaseMetrics;
  seeded: SeedMetrics;
}

export function refreshSnapshot(
  db: Db,
  dir: string,
  options: RefreshOptions,
  onStep: (step: number, total: number, name: string) => void = () => undefined,
  precomputed?: PrecomputedAnalysis,
): RefreshResult {
  const steps: RefreshResult['steps'] = [];
  const run = <T>(name: string, work: () => T): T => {
    onStep(steps.length + 1, 6, name);
    const started = performance.now();
    const result = work();
    steps.push({ name, seconds: (performance.now() - started) / 1000 });
    return result;
  };
  // The source row counts are read before the graph, so a change during the refresh shows as stale.
  const counts = sourceRowCounts(db);
  const built = run('Building the graph', () => precomputed?.built ?? buildGraph(db, options));
  const base = run(
    'Betweenness, communities, engagement',
    () => precomputed?.base ?? baseMetrics(built, { resolution: options.resolution }),
  );
  const seeded = run(
    'PageRank and composite',
    () =>
      precomputed?.seeded ??
      seedMetrics(built, base, { seeds: options.seeds, alpha: options.alpha, weights: options.weights }),
  );
  const positions = run('Layout (ForceAtlas2)', () =>
    layout(undirected(built.graph), {
      communities: base.communities.membership,
      ...(options.layoutIterations === undefined ? {} : { iterations: options.layoutIterations }),
    }),
  );
  const manifest = run('Writing the snapshot files', () =>
    writeSnapshot(dir, {
      built,
      base,
      seeded,
      layout: positions,
      parameters: { alpha: options.alpha, weights: options.weights, resolution: options.resolution },
      sourceRowCounts: counts,
      generatedAt: nowUtc(),
      named: namedView(db, built.graph),
    }),
  );
  run('Checking that the snapshot loads', () => loadSnapshot(dir));
  return { manifest, steps };
}

/**
 * `refreshSnapshot` over the cache file, read-only, logging each step and a summary: what
 * `tpot snapshot refresh`, `tpot analyze --refresh-snapshot`, `tpot enrich --refresh-snapshot` and
 * `tpot start` run.
 */
export function refreshSnapshotFromCache(
  paths: { dbPath: string; dataDir: string },
  options: RefreshOptions,
  log: Logger,
  precomputed?: PrecomputedAnalysis,
): RefreshResult {
  migrateIfPresent(paths.dbPath);
  const db = openDatabase(paths.dbPath, { readonly: true });
  try {
    const started = performance.now();
    const result = refreshSnapshot(
      db,
      paths.dataDir,
      options,
      (step, total, name) => log.info(`[${step}/${total}] ${name}...`),
      precomputed,
    );
    const { counts } = result.manifest;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const steps = result.steps.map((s) => `${s.name.toLowerCase()} ${s.seconds.toFixed(1)} s`).join(', ');
    log.info(
      `Snapshot written to ${paths.dataDir} in ${seconds} s: ${counts.nodes} nodes, ${counts.edges} edges, ` +
        `${counts.communities} communities; ${steps}`,
    );
    return result;
  } finally {
    db.close();
  }
}
