/**
 * The flags every graph command takes (SPEC §6.3) — which graph, which seeds, which weights — and
 * the one function that turns them into an analysis, shared by `tpot analyze` and `tpot export`.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { baseMetrics, seedMetrics, type BaseMetrics, type SeedMetrics } from '../graph/analysis.js';
import { buildGraph, type BuiltGraph } from '../graph/build.js';
import { COMMUNITY_DEFAULTS } from '../graph/communities.js';
import type { Weights } from '../graph/composite.js';
import { METRIC_DEFAULTS } from '../graph/defaults.js';
import { GRAPH_SETTINGS_FILE, readSeedLists, seedList } from '../seed-lists.js';
import { CliError, EXIT } from './options.js';

export interface GraphFlags {
  seeds?: string;
  seedList?: string;
  includeShadow: boolean;
  mutualOnly?: boolean;
  minFollowers: number;
  alpha: number;
  weights?: number[];
  resolution: number;
}

/** The graph flags' defaults: what `tpot enrich --refresh-snapshot` uses (the active seed list, shadow included). */
export const GRAPH_FLAG_DEFAULTS: GraphFlags = {
  includeShadow: true,
  minFollowers: 0,
  alpha: METRIC_DEFAULTS.alpha,
  resolution: COMMUNITY_DEFAULTS.resolution,
};

export interface Analysis {
  built: BuiltGraph;
  base: BaseMetrics;
  seeded: SeedMetrics;
}

function number(name: string, check: (value: number) => boolean, rule: string) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || !check(value))
      throw new InvalidArgumentError(`${name} must be ${rule}.`);
    return value;
  };
}

function weight(text: string, previous: number[] = []): number[] {
  return [...previous, number('--weights', (v) => v >= 0, 'three numbers ≥ 0')(text)];
}

export function addGraphOptions(command: Command): Command {
  return command
    .option('--seeds <handles>', 'comma-separated handles or account ids (default: the active seed list)')
    .option('--seed-list <name>', `a seed list from ${GRAPH_SETTINGS_FILE}`)
    .option('--include-shadow', 'include shadow accounts and edges (default)', GRAPH_FLAG_DEFAULTS.includeShadow)
    .option('--no-include-shadow', 'archive and REST accounts only')
    .option('--mutual-only', 'keep only pairs that follow each other')
    .option(
      '--min-followers <n>',
      'drop accounts followed by fewer accounts of the graph',
      number('--min-followers', (v) => Number.isInteger(v) && v >= 0, 'a whole number ≥ 0'),
      GRAPH_FLAG_DEFAULTS.minFollowers,
    )
    .option(
      '--alpha <a>',
      'PageRank damping',
      number('--alpha', (v) => v > 0 && v < 1, 'between 0 and 1'),
      GRAPH_FLAG_DEFAULTS.alpha,
    )
    .option('--weights <w...>', 'composite weights: PageRank, betweenness, engagement (three numbers)', weight)
    .option(
      '--resolution <r>',
      'Louvain resolution',
      number('--resolution', (v) => v > 0, 'above 0'),
      GRAPH_FLAG_DEFAULTS.resolution,
    );
}

/** The seeds named by --seeds, else by --seed-list, else the active seed list. */
export function seedsFromFlags(flags: GraphFlags): string[] {
  const settingsPath = resolve(GRAPH_SETTINGS_FILE);
  return flags.seeds
    ? flags.seeds
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : seedList(readSeedLists(settingsPath), flags.seedList, settingsPath);
}

export function weightsFromFlags(flags: GraphFlags): Weights {
  if (!flags.weights) return METRIC_DEFAULTS.weights;
  if (flags.weights.length !== 3)
    throw new CliError('--weights takes three numbers: PageRank, betweenness, engagement.', EXIT.usage);
  return [flags.weights[0]!, flags.weights[1]!, flags.weights[2]!];
}

export function analyseFromFlags(config: Config, flags: GraphFlags): Analysis {
  const weights = weightsFromFlags(flags);
  const seeds = seedsFromFlags(flags);
  const db = openDatabase(config.dbPath, { readonly: true });
  let built: BuiltGraph;
  try {
    built = buildGraph(db, {
      includeShadow: flags.includeShadow,
      mutualOnly: flags.mutualOnly ?? false,
      minFollowers: flags.minFollowers,
    });
  } finally {
    db.close();
  }
  const base = baseMetrics(built, { resolution: flags.resolution });
  const seeded = seedMetrics(built, base, { seeds, alpha: flags.alpha, weights });
  return { built, base, seeded };
}
