/**
 * `tpot accounts stale|deleted` (docs/OPERATIONS.md): shadow accounts due for a new read, and accounts X shows as gone.
 */
import { Command } from 'commander';
import { configFrom, withReportDb } from '../context.js';
import { positiveInteger } from '../options.js';

export function accountsCommand(): Command {
  const accounts = new Command('accounts').addHelpText(
    'after',
    '\nExamples:\n  $ tpot accounts stale --days 90\n  $ tpot accounts deleted',
  );
  accounts.addCommand(
    new Command('stale')
      .description('Shadow accounts not read for --days days, the oldest first.')
      .option('--days <n>', 'older than this many days', positiveInteger('--days', 36500), 180)
      .option('--limit <n>', 'at most this many', positiveInteger('--limit', 100_000), 50)
      .option('--json', 'as JSON')
      .addHelpText(
        'after',
        '\nExamples:\n  $ tpot accounts stale\n  $ tpot accounts stale --days 30 --limit 500 --json',
      )
      .action(async (flags: { days: number; limit: number; json?: boolean }, command: Command) => {
        const { formatStaleAccounts, staleAccounts } = await import('../../ops/accounts.js');
        const stale = await withReportDb(configFrom(command), (db) => staleAccounts(db, flags));
        process.stdout.write(
          `${flags.json ? JSON.stringify(stale, null, 2) : formatStaleAccounts(stale, flags.days)}\n`,
        );
      }),
  );
  accounts.addCommand(
    new Command('deleted')
      .description('Accounts marked deleted, suspended or protected when last read.')
      .option('--json', 'as JSON')
      .addHelpText('after', '\nExample:\n  $ tpot accounts deleted')
      .action(async (flags: { json?: boolean }, command: Command) => {
        const { formatGoneAccounts, goneAccounts } = await import('../../ops/accounts.js');
        const gone = await withReportDb(configFrom(command), goneAccounts);
        process.stdout.write(`${flags.json ? JSON.stringify(gone, null, 2) : formatGoneAccounts(gone)}\n`);
      }),
  );
  return accounts;
}
