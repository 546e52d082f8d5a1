/** `tpot metrics summary` (docs/OPERATIONS.md): what the enrichment runs of the last days did. */
import { Command, Option } from 'commander';
import { configFrom, withReportDb } from '../context.js';
import { positiveInteger } from '../options.js';

interface SummaryFlags {
  days: number;
  last7Days?: boolean;
  json?: boolean;
}

export function metricsCommand(): Command {
  const metrics = new Command('metrics').addHelpText('after', '\nExample:\n  $ tpot metrics summary --last-7-days');
  metrics.addCommand(
    new Command('summary')
      .description(
        'Runs of the last N days: success / skipped / errors with %, error types, top skip reasons, averages, ' +
          'coverage, accounts per minute, recent errors.',
      )
      .addOption(
        new Option('--days <n>', 'how many days back')
          .argParser(positiveInteger('--days', 3650))
          .default(7)
          .conflicts('last7Days'),
      )
      .option('--last-7-days', 'the last 7 days (the default)')
      .option('--json', 'as JSON')
      .addHelpText('after', '\nExamples:\n  $ tpot metrics summary\n  $ tpot metrics summary --days 30 --json')
      .action(async (flags: SummaryFlags, command: Command) => {
        const { formatScrapeSummary, summariseScrapeRuns } = await import('../../ops/scrape-summary.js');
        const days = flags.last7Days ? 7 : flags.days;
        const summary = await withReportDb(configFrom(command), (db) => summariseScrapeRuns(db, days));
        process.stdout.write(`${flags.json ? JSON.stringify(summary, null, 2) : formatScrapeSummary(summary)}\n`);
      }),
  );
  return metrics;
}
