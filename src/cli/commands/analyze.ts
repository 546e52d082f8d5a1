/** `tpot analyze`: a one-off analysis of the follow graph, to the console and a file. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import type { top as Top } from '../../graph/analysis.js';
import { configFrom, loggerFor } from '../context.js';
import {
  addGraphOptions,
  analyseFromFlags,
  graphParamsFromFlags,
  seedsFromFlags,
  type Analysis,
  type GraphFlags,
} from '../graph-options.js';

interface AnalyzeFlags extends GraphFlags {
  output?: string;
  summaryOnly?: boolean;
  refreshSnapshot?: boolean;
}

export function analyzeCommand(): Command {
  return addGraphOptions(new Command('analyze'))
    .option('--output <file>', 'where to write the analysis JSON (default <data dir>/analysis_output.json)')
    .option('--summary-only', 'print the summary, write no file')
    .option('--refresh-snapshot', 'also write the graph snapshot from this analysis (tpot snapshot refresh)')
    .addHelpText(
      'after',
      `
Examples:
  $ tpot analyze --seeds visakanv,nosilverv --summary-only
  $ tpot analyze --seed-list adi_tpot --no-include-shadow --weights 0.5 0.3 0.2
  $ tpot analyze --mutual-only --min-followers 3 --output /tmp/analysis.json
  $ tpot analyze --include-shadow --refresh-snapshot
Unknown seeds are reported, not dropped silently.`,
    )
    .action(async (flags: AnalyzeFlags, command: Command) => {
      const config = configFrom(command);
      const log = await loggerFor(config, 'analyze');
      const analysis = await analyseFromFlags(config, flags);
      const { analysisOutput, top } = await import('../../graph/analysis.js');
      const { seeded } = analysis;
      log.info(summary(analysis, top));
      if (seeded.seeds.unknown.length > 0)
        log.warn(`Seeds not in the graph (ignored): ${seeded.seeds.unknown.join(', ')}`);
      if (flags.refreshSnapshot) {
        const { refreshSnapshotFromCache } = await import('../../graph/refresh.js');
        const options = { ...(await graphParamsFromFlags(flags)), seeds: await seedsFromFlags(flags) };
        refreshSnapshotFromCache(config, options, log, analysis);
      }
      if (flags.summaryOnly) return;
      const output = resolve(flags.output ?? join(config.dataDir, 'analysis_output.json'));
      mkdirSync(dirname(output), { recursive: true });
      // Written to a temporary name and renamed, so a reader never sees half a file.
      writeFileSync(`${output}.tmp`, JSON.stringify(analysisOutput(analysis.built, analysis.base, seeded)));
      renameSync(`${output}.tmp`, output);
      log.info(`Wrote ${output}`);
    });
}

function summary({ built, base, seeded }: Analysis, top: typeof Top): string {
  const { graph, nodes, options } = built;
  const name = (id: string) => {
    const node = nodes[graph.index.get(id)!]!;
    return node.username ? `@${node.username}` : id;
  };
  const filters =
    `shadow ${options.includeShadow ? 'included' : 'excluded'}` +
    (options.mutualOnly ? ', mutual only' : '') +
    (built.interactions ? `, ${built.interactions.pairCount} interacting pairs` : '') +
    (options.minFollowers ? `, min followers ${options.minFollowers}` : '');
  const { resolved, unknown } = seeded.seeds;
  const seeds =
    (resolved.length ? resolved.map(name).join(', ') : 'none (plain PageRank)') +
    (unknown.length ? `; not in the graph: ${unknown.join(', ')}` : '');
  const { betweenness, communities, seconds } = base;
  const lines = [
    `Graph: ${graph.nodeCount} accounts, ${graph.edgeCount} follows (${base.undirectedEdges} undirected), ${filters}`,
    `Seeds: ${seeds}`,
    `PageRank ${seeded.pagerankIterations} iterations (${seeded.seconds.pagerank.toFixed(3)} s); ` +
      `betweenness ${betweenness.mode} over ${betweenness.sources} sources (${seconds.betweenness.toFixed(2)} s); ` +
      `${communities.count} communities, modularity ${communities.modularity.toFixed(3)} ` +
      `(${seconds.communities.toFixed(2)} s)`,
    'Top accounts by TPOT-ness (composite):',
  ];
  top(graph.ids, seeded.composite, 10).forEach(([id, score], rank) => {
    const i = graph.index.get(id)!;
    lines.push(
      `  ${String(rank + 1).padStart(2)}. ${name(id).padEnd(20)} composite ${score.toFixed(3)}  ` +
        `pagerank ${seeded.pagerank[i]!.toExponential(2)}  betweenness ${betweenness.scores[i]!.toFixed(4)}  ` +
        `community ${communities.membership[i]}`,
    );
  });
  return lines.join('\n');
}
