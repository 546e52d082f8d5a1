/** The `tpot` command line: global flags and one subcommand per module. Parsing only; the work is in the library. */
import { Command } from 'commander';
import { analyzeCommand } from './commands/analyze.js';
import { cacheCommand } from './commands/cache.js';
import { cookiesCommand } from './commands/cookies.js';
import { demoCommand } from './commands/demo.js';
import { enrichCommand } from './commands/enrich.js';
import { exportCommand } from './commands/export.js';
import { snapshotCommand } from './commands/snapshot.js';
import { importCommand } from './commands/import.js';
import { serveCommand } from './commands/serve.js';
import { startCommand } from './commands/start.js';
import { syncCommand } from './commands/sync.js';
import { verifyCommand } from './commands/verify.js';
import { accountsCommand } from './commands/accounts.js';
import { dbCommand } from './commands/db.js';
import { logsCommand } from './commands/logs.js';
import { metricsCommand } from './commands/metrics.js';
import { statusCommand } from './commands/status.js';

export function buildProgram(): Command {
  const program = new Command('tpot')
    .description('tpot-analyzer: map the TPOT community on X from the Community Archive.')
    .option('--data-dir <dir>', 'where the cache, snapshots and backups live (TPOT_DATA_DIR, default data)')
    .option('--db <file>', 'the SQLite cache (CACHE_DB_PATH, default <data dir>/cache.db)')
    .option('--log-dir <dir>', 'where log files go (TPOT_LOG_DIR, default logs)')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ npx tpot start                          # demo data into an empty cache, then serve http://127.0.0.1:5001
  $ npx tpot serve                          # serve the API and explorer over the cache as it is
  $ npx tpot import --source ./archives     # import archives from a directory
  $ npx tpot sync                           # mirror the Community Archive's REST tables (needs SUPABASE_KEY)
  $ npx tpot verify setup                   # is everything in place?
  $ npx tpot status                         # the whole system on one screen
  $ npx tpot db backup                      # an online backup to data/backups/
  $ npx tpot import --help                  # every import flag`,
    );
  for (const command of [
    startCommand(),
    serveCommand(),
    importCommand(),
    syncCommand(),
    analyzeCommand(),
    exportCommand(),
    snapshotCommand(),
    verifyCommand(),
    enrichCommand(),
    cookiesCommand(),
    statusCommand(),
    metricsCommand(),
    dbCommand(),
    accountsCommand(),
    logsCommand(),
    cacheCommand(),
    demoCommand(),
  ]) {
    program.addCommand(command.showHelpAfterError('(add --help for usage)'));
  }
  throwInsteadOfExiting(program);
  return program;
}

/** Commander throws its usage errors instead of exiting, so main.ts gives them the usage status (2). */
function throwInsteadOfExiting(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) throwInsteadOfExiting(sub);
}
