/** `tpot status [--json]` (SPEC §8): the whole system on one screen. Exit 1 when there is no database. */
import { Command } from 'commander';
import { DatabaseMissingError } from '../../db/database.js';
import { collectStatus, formatStatus } from '../../ops/status.js';
import { configFrom, openForReport } from '../context.js';
import { EXIT } from '../options.js';

export function statusCommand(): Command {
  return new Command('status')
    .description(
      'Row counts, REST freshness, last import, shadow graph, enrichment success and coverage (7 days), snapshot age, free disk — on one screen.',
    )
    .option('--json', 'the same as JSON (what GET /api/status answers)')
    .addHelpText('after', '\nExamples:\n  $ tpot status\n  $ tpot status --json | jq .scrapes_7d')
    .action((flags: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      let db = null;
      try {
        db = openForReport(config);
      } catch (error) {
        if (!(error instanceof DatabaseMissingError)) throw error;
      }
      try {
        const status = collectStatus({
          db,
          dbPath: config.dbPath,
          dataDir: config.dataDir,
          cacheMaxAgeDays: config.cacheMaxAgeDays,
        });
        process.stdout.write(`${flags.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`);
        process.exitCode = db ? EXIT.ok : EXIT.failed;
      } finally {
        db?.close();
      }
    });
}
