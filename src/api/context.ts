/**
 * What every route is handed (STYLE: services passed in, not imported as globals): the config,
 * the live database, the graph service with its two caches, the analysis jobs, the performance
 * log, and where the seed lists live. Also the one place request parameters meet their defaults.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILES, type Config } from '../config.js';
import type { Logger } from '../log.js';
import { fromWire, type AnalysisParams, type GraphParams, type RankParams, type Wire } from '../graph/params.js';
import { mergedSeedState, normaliseHandle, type MergedSeedState } from '../seed-lists.js';
import type { AnalysisJobs } from './analysis-jobs.js';
import type { GraphService } from './graph-service.js';
import type { LiveDatabase } from './live-database.js';
import type { PerformanceLog } from './performance.js';
import type { MetricsBody } from './validation.js';

export interface ApiContext {
  config: Config;
  database: LiveDatabase;
  graphs: GraphService;
  /** The propagation or snapshot refresh started from the explorer, one at a time (docs/API.md, "Analysis jobs"). */
  jobs: AnalysisJobs;
  performance: PerformanceLog;
  settingsPath: string;
  presetsPath: string;
  /** Where the built explorer is, when it is built. */
  webRoot: string | null;
  log: Logger;
  startedAt: number;
}

export function defaultPaths(cwd = process.cwd()) {
  return {
    settingsPath: resolve(cwd, CONFIG_FILES.graphSettings),
    presetsPath: resolve(cwd, CONFIG_FILES.seedPresets),
  };
}

/** `web/dist` of this package, when the explorer has been built. */
export function findWebRoot(packageRoot: string): string | null {
  const root = join(packageRoot, 'web', 'dist');
  return existsSync(join(root, 'index.html')) ? root : null;
}

export interface MetricsRequest extends RankParams {
  /**
   * Normalised: handles lower-cased without '@', ids as given; deduplicated and sorted, so equal requests share a cache
   * entry.
   */
  seeds: string[];
  analysis: AnalysisParams;
}

const seedStates = new WeakMap<ApiContext, { stamp: string; state: MergedSeedState }>();

function fileStamp(path: string): string {
  if (!existsSync(path)) return 'none';
  const stat = statSync(path);
  return `${stat.mtimeMs}:${stat.size}`;
}

/**
 * The seed lists and settings, read again only when either file changed: nearly every request
 * needs them for its defaults, and /health is polled.
 */
export function seedState(context: ApiContext): MergedSeedState {
  const stamp = `${fileStamp(context.settingsPath)}|${fileStamp(context.presetsPath)}`;
  const cached = seedStates.get(context);
  if (cached?.stamp === stamp) return cached.state;
  const state = mergedSeedState(context.settingsPath, context.presetsPath);
  seedStates.set(context, { stamp, state });
  return state;
}

/** After the server writes the settings file itself (a same-size write within a millisecond keeps its stamp). */
export function forgetSeedState(context: ApiContext): void {
  seedStates.delete(context);
}

/** The saved settings, as the engine takes them. */
export function settings(context: ApiContext): GraphParams {
  return fromWire<GraphParams>(seedState(context).settings);
}

/** The analysis a request names: each parameter it gives (wire form), else the saved setting. */
export function analysisFrom(given: Partial<Wire<AnalysisParams>>, defaults: GraphParams): AnalysisParams {
  return {
    includeShadow: given.include_shadow ?? defaults.includeShadow,
    mutualOnly: given.mutual_only ?? defaults.mutualOnly,
    includeInteractions: given.include_interactions ?? defaults.includeInteractions,
    minFollowers: given.min_followers ?? defaults.minFollowers,
    resolution: given.resolution ?? defaults.resolution,
  };
}

/** A metrics body with every default filled in: the seeds of the active list, the saved settings. */
export function metricsRequest(context: ApiContext, body: MetricsBody | null | undefined): MetricsRequest {
  const state = seedState(context);
  const saved = settings(context);
  const given = body ?? {};
  const seeds = given.seeds ?? (state.active_list ? (state.lists[state.active_list] ?? []) : []);
  const normalised = seeds.map((seed) =>
    /^\d+$/.test(seed) || seed.startsWith('shadow:') ? seed : (normaliseHandle(seed) ?? seed),
  );
  return {
    seeds: [...new Set(normalised)].sort(),
    weights: [...(given.weights ?? saved.weights)] as [number, number, number],
    alpha: given.alpha ?? saved.alpha,
    analysis: analysisFrom(given, saved),
  };
}
