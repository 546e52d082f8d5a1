/** `tpot export`: the analysed graph as GEXF (Gephi), GraphML or a metrics CSV. */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { EXPORT_FORMATS, writeExport, type ExportFormat } from '../../graph/export.js';
import { configFrom, loggerFor } from '../context.js';
import { addGraphOptions, analyseFromFlags, type GraphFlags } from '../graph-options.js';

interface ExportFlags extends GraphFlags {
  format: ExportFormat;
  output?: string;
}

export function exportCommand(): Command {
  return addGraphOptions(new Command('export'))
    .addOption(
      new Option('--format <format>', 'gexf (Gephi), graphml, or csv (one row of metrics per account)')
        .choices(EXPORT_FORMATS)
        .makeOptionMandatory(),
    )
    .option('--output <file>', 'where to write it (default <data dir>/graph.<format>)')
    .addHelpText(
      'after',
      `
Examples:
  $ tpot export --format gexf                       # open data/graph.gexf in Gephi
  $ tpot export --format csv --seeds visakanv --output metrics.csv
  $ tpot export --format graphml --no-include-shadow --mutual-only`,
    )
    .action(async (flags: ExportFlags, command: Command) => {
      const config = configFrom(command);
      const log = await loggerFor(config, 'export');
      const analysis = await analyseFromFlags(config, flags);
      const output = resolve(flags.output ?? join(config.dataDir, `graph.${flags.format}`));
      mkdirSync(dirname(output), { recursive: true });
      writeExport(flags.format, analysis, output);
      log.info(
        `Wrote ${output}: ${analysis.built.graph.nodeCount} accounts, ${analysis.built.graph.edgeCount} follows`,
      );
    });
}
