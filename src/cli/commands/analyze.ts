/** `tpot analyze` (SPEC §6.3): a one-off analysis of the follow graph, to the console and a file. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { openDatabase } from '../../db/database.js';
import { analysisOutput, baseMetrics, seedMetrics, top, type BaseMetrics, type SeedMetrics } from '../../graph/analysis.js';
import { buildGraph, type BuiltGraph } from '../../graph/build.js';
import { COMMUNITY_DEFAULTS } from '../../graph/communities.js';
import type { Weights } from '../../graph/composite.js';
import { METRIC_DEFAULTS } from '../../graph/defaults.js';
import { GRAPH_SETTINGS_FILE, readSeedLists, seedList } from '../../seed-lists.js';
import { configFrom, loggerFor } from '../context.js';
import { CliError, EXIT } from '../options.js';

interface AnalyzeFlags {
  seeds?: string;
  seedList?: string;
  includeShadow: boolean;
  mutualOnly?: boolean;
  minFollowers: number;
  alpha: number;
  weights?: number[];
  resolution: number;
  output?: string;
  summaryOnly?: boolean;
}

function number(name: string, check: (value: number) => boolean, rule: string) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new InvalidArgumentError(`${name} must be ${rule}.`);
    return value;
  };
}

function weight(text: string, previous: number[] = []): number[] {
  return [...previous, number('--weights', (v) => v >= 0, 'three numbers ≥ 0')(text)];
}

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('Build the follow graph and rank its accounts around the seeds: PageRank, betweenness, engagement, communities, composite.')
    .option('--seeds <handles>', 'comma-separated handles or account ids (default: the active seed list)')
    .option('--seed-list <name>', `a seed list from ${GRAPH_SETTINGS_FILE}`)
    .option('--include-shadow', 'include shadow accounts and edges (default)', true)
    .option('--no-include-shadow', 'archive and REST accounts only')
    .option('--mutual-only', 'keep only pairs that follow each other')
    .option('--min-followers <n>', 'drop accounts followed by fewer accounts of the graph', number('--min-followers', (v) => Number.isInteger(v) && v >= 0, 'a whole number ≥ 0'), 0)
    .option('--alpha <a>', 'PageRank damping', number('--alpha', (v) => v > 0 && v < 1, 'between 0 and 1'), METRIC_DEFAULTS.alpha)
    .option('--weights <w...>', 'composite weights: PageRank, betweenness, engagement (three numbers)', weight)
    .option('--resolution <r>', 'Louvain resolution', number('--resolution', (v) => v > 0, 'above 0'), COMMUNITY_DEFAULTS.resolution)
    .option('--output <file>', 'where to write the analysis JSON (default <data dir>/analysis_output.json)')
    .option('--summary-only', 'print the summary, write no file')
    .addHelpText(
      'after',
      `
Examples:
  $ tpot analyze --seeds visakanv,nosilverv --summary-only
  $ tpot analyze --seed-list adi_tpot --no-include-shadow --weights 0.5 0.3 0.2
  $ tpot analyze --mutual-only --min-followers 3 --output /tmp/analysis.json
Unknown seeds are reported, not dropped silently.`,
    )
    .action((flags: AnalyzeFlags, command: Command) => {
      const config = configFrom(command);
      if (flags.weights && flags.weights.length !== 3) throw new CliError('--weights takes three numbers: PageRank, betweenness, engagement.', EXIT.usage);
      const settingsPath = resolve(GRAPH_SETTINGS_FILE);
      const seeds = flags.seeds ? flags.seeds.split(',').map((s) => s.trim()).filter(Boolean) : seedList(readSeedLists(settingsPath), flags.seedList, settingsPath);
      const log = loggerFor(config, 'analyze');
      const db = openDatabase(config.dbPath, { readonly: true });
      let built: BuiltGraph;
      try {
        built = buildGraph(db, { includeShadow: flags.includeShadow, mutualOnly: flags.mutualOnly ?? false, minFollowers: flags.minFollowers });
      } finally {
        db.close();
      }
      const base = baseMetrics(built, { resolution: flags.resolution });
      const seeded = seedMetrics(built, base, { seeds, alpha: flags.alpha, ...(flags.weights ? { weights: flags.weights as unknown as Weights } : {}) });
      log.info(summary(built, base, seeded));
      if (seeded.seeds.unknown.length > 0) log.warn(`Seeds not in the graph (ignored): ${seeded.seeds.unknown.join(', ')}`);
      if (flags.summaryOnly) return;
      const output = resolve(flags.output ?? join(config.dataDir, 'analysis_output.json'));
      mkdirSync(dirname(output), { recursive: true });
      // Written to a temporary name and renamed, so a reader never sees half a file.
      writeFileSync(`${output}.tmp`, JSON.stringify(analysisOutput(built, base, seeded)));
      renameSync(`${output}.tmp`, output);
      log.info(`Wrote ${output}`);
    });
}

function summary(built: BuiltGraph, base: BaseMetrics, seeded: SeedMetrics): string {
  const { graph, nodes, options } = built;
  const name = (id: string) => {
    const node = nodes[graph.index.get(id)!]!;
    return node.username ? `@${node.username}` : id;
  };
  const lines = [
    `Graph: ${graph.nodeCount} accounts, ${graph.edgeCount} follows (${base.undirectedEdges} undirected), shadow ${options.includeShadow ? 'included' : 'excluded'}${options.mutualOnly ? ', mutual only' : ''}${options.minFollowers ? `, min followers ${options.minFollowers}` : ''}`,
    `Seeds: ${seeded.seeds.resolved.length ? seeded.seeds.resolved.map(name).join(', ') : 'none (plain PageRank)'}${seeded.seeds.unknown.length ? `; not in the graph: ${seeded.seeds.unknown.join(', ')}` : ''}`,
    `PageRank ${seeded.pagerankIterations} iterations (${seeded.seconds.pagerank.toFixed(3)} s); betweenness ${base.betweenness.mode} over ${base.betweenness.sources} sources (${base.seconds.betweenness.toFixed(2)} s); ${base.communities.count} communities, modularity ${base.communities.modularity.toFixed(3)} (${base.seconds.communities.toFixed(2)} s)`,
    'Top accounts by TPOT-ness (composite):',
  ];
  top(graph.ids, seeded.composite, 10).forEach(([id, score], rank) => {
    const i = graph.index.get(id)!;
    lines.push(
      `  ${String(rank + 1).padStart(2)}. ${name(id).padEnd(20)} composite ${score.toFixed(3)}  pagerank ${seeded.pagerank[i]!.toExponential(2)}  betweenness ${base.betweenness.scores[i]!.toFixed(4)}  community ${base.communities.membership[i]}`,
    );
  });
  return lines.join('\n');
}
