/**
 * The flags every graph command takes — which graph, which seeds, which weights — with the
 * defaults of graph/params.ts, and the functions that turn them into graph parameters and an
 * analysis, shared by `tpot analyze`, `tpot export` and `tpot snapshot refresh`. Values are checked
 * against the same schemas as the API's (graph/param-schemas.ts) when the command runs.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILES, type Config } from '../config.js';
import { UsageError } from '../errors.js';
import type { BaseMetrics, SeedMetrics } from '../graph/analysis.js';
import type { BuiltGraph } from '../graph/build.js';
import { GRAPH_DEFAULTS, type GraphParams } from '../graph/params.js';
import { numberArgument } from './options.js';

export interface GraphFlags {
  seeds?: string;
  seedList?: string;
  includeShadow: boolean;
  mutualOnly: boolean;
  interactions: boolean;
  minFollowers: number;
  alpha: number;
  weights?: number[];
  resolution: number;
}

export interface Analysis {
  built: BuiltGraph;
  base: BaseMetrics;
  seeded: SeedMetrics;
}

/** The flag that sets each parameter, for messages. */
const FLAG_OF = {
  includeShadow: '--include-shadow',
  mutualOnly: '--mutual-only',
  includeInteractions: '--interactions',
  minFollowers: '--min-followers',
  resolution: '--resolution',
  alpha: '--alpha',
  weights: '--weights',
} as const satisfies Partial<Record<keyof GraphParams, string>>;

function weight(text: string, previous: number[] = []): number[] {
  return [...previous, numberArgument('--weights')(text)];
}

export function addGraphOptions(command: Command): Command {
  const d = GRAPH_DEFAULTS;
  return command
    .option('--seeds <handles>', 'comma-separated handles or account ids (default: the active seed list)')
    .option('--seed-list <name>', `a seed list from ${CONFIG_FILES.graphSettings}`)
    .option(
      '--include-shadow',
      `include shadow accounts and edges${d.includeShadow ? ' (default)' : ''}`,
      d.includeShadow,
    )
    .option('--no-include-shadow', `archive and REST accounts only${d.includeShadow ? '' : ' (default)'}`)
    .option('--mutual-only', 'keep only pairs that follow each other', d.mutualOnly)
    .option(
      '--interactions',
      'add who talks with whom (mentions, replies, quotes, retweets, likes) as a weighted layer: ' +
        'engagement becomes interaction strength, exports carry the pairs',
      d.includeInteractions,
    )
    .option(
      '--min-followers <n>',
      'drop accounts followed by fewer accounts of the graph',
      numberArgument('--min-followers'),
      d.minFollowers,
    )
    .option('--alpha <a>', 'PageRank damping', numberArgument('--alpha'), d.alpha)
    .option(
      '--weights <w...>',
      `composite weights: PageRank, betweenness, engagement, each 0–1 (default: ${d.weights.join(' ')})`,
      weight,
    )
    .option('--resolution <r>', 'Louvain resolution', numberArgument('--resolution'), d.resolution);
}

/** The graph parameters the flags name, each checked against its range; a bad one is a usage error naming its flag. */
export async function graphParamsFromFlags(flags: GraphFlags): Promise<GraphParams> {
  if (flags.weights && flags.weights.length !== 3)
    throw new UsageError('--weights takes three numbers: PageRank, betweenness, engagement.');
  const { graphParamFields } = await import('../graph/param-schemas.js');
  const params: GraphParams = {
    ...GRAPH_DEFAULTS,
    includeShadow: flags.includeShadow,
    mutualOnly: flags.mutualOnly,
    includeInteractions: flags.interactions,
    minFollowers: flags.minFollowers,
    resolution: flags.resolution,
    alpha: flags.alpha,
    weights: flags.weights ? [flags.weights[0]!, flags.weights[1]!, flags.weights[2]!] : [...GRAPH_DEFAULTS.weights],
  };
  for (const [key, flag] of Object.entries(FLAG_OF) as [keyof typeof FLAG_OF, string][]) {
    const checked = graphParamFields[key].safeParse(params[key]);
    if (!checked.success)
      throw new UsageError(`${flag} ${checked.error.issues[0]!.message} (got ${JSON.stringify(params[key])}).`);
  }
  return params;
}

/** The seeds named by --seeds, else by --seed-list, else the active seed list. */
export async function seedsFromFlags(flags: GraphFlags): Promise<string[]> {
  if (flags.seeds)
    return flags.seeds
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const { readSeedLists, seedList } = await import('../seed-lists.js');
  const settingsPath = resolve(CONFIG_FILES.graphSettings);
  return seedList(readSeedLists(settingsPath), flags.seedList, settingsPath);
}

/** The graph the flags name, built from the cache, with every metric around the seeds. */
export async function analyseFromFlags(config: Config, flags: GraphFlags): Promise<Analysis> {
  const params = await graphParamsFromFlags(flags);
  const seeds = await seedsFromFlags(flags);
  const [{ openDatabase }, { buildGraph }, { baseMetrics, seedMetrics }] = await Promise.all([
    import('../db/database.js'),
    import('../graph/build.js'),
    import('../graph/analysis.js'),
  ]);
  const db = openDatabase(config.dbPath, { readonly: true });
  let built: BuiltGraph;
  try {
    built = buildGraph(db, params);
  } finally {
    db.close();
  }
  const base = baseMetrics(built, { resolution: params.resolution });
  const seeded = seedMetrics(built, base, { seeds, alpha: params.alpha, weights: params.weights });
  return { built, base, seeded };
}
