/**
 * `tpot status [--json]` (docs/OPERATIONS.md, "Health checks"): the whole system on one screen. Exit 1 without a
 * database.
 */
import { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { configFrom, openForReportIfPresent } from '../context.js';

export function statusCommand(): Command {
  return new Command('status')
    .option('--json', 'the same as JSON (what GET /api/status answers)')
    .addHelpText('after', '\nExamples:\n  $ tpot status\n  $ tpot status --json | jq .scrapes_7d')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const db = await openForReportIfPresent(config);
      try {
        const { collectStatus, formatStatus } = await import('../../ops/status.js');
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
