/** `tpot sync` (docs/FORMATS.md, "REST tables"): flags to CacheSync, the per-table summary to an exit status. */
import { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { DEFAULT_SYNC_TABLES, SYNC_TABLES, selectTables } from '../../sync/tables.js';
import { configFrom, loggerFor } from '../context.js';

interface SyncFlags {
  tables?: string;
  force?: boolean;
}

export function syncCommand(): Command {
  return new Command('sync')
    .option(
      '--tables <a,b,c>',
      `tables to sync: ${SYNC_TABLES.map((t) => t.name).join(', ')} (default: ${DEFAULT_SYNC_TABLES.join(', ')})`,
    )
    .option('--force', 'sync tables even when they are younger than CACHE_MAX_AGE_DAYS')
    .addHelpText(
      'after',
      `
Needs SUPABASE_KEY: the public anon key from the Community Archive's API docs (see .env.example).
A table is replaced only when its sync completed; an interrupted sync continues where it stopped.

Examples:
  $ tpot sync                                  # account, profile, followers, following, mentioned_users
  $ tpot sync --tables followers,following --force
  $ tpot sync --tables tweets                  # large: ~15,000 pages
Exit status: 0 when every table synced or was fresh, 1 when one failed, 2 for a usage error.`,
    )
    .action(async (flags: SyncFlags, command: Command) => {
      const config = configFrom(command);
      const tables = selectTables(flags.tables?.split(',').filter((name) => name.trim() !== ''));
      const log = await loggerFor(config, 'sync');
      const [{ restClient }, { openDatabase }, { CacheSync }] = await Promise.all([
        import('../../sync/postgrest-client.js'),
        import('../../db/database.js'),
        import('../../sync/syncer.js'),
      ]);
      const client = restClient(config, (message, attempt, delay) =>
        log.warn(`${message}; retry ${attempt} in ${(delay / 1000).toFixed(1)} s`),
      );
      const db = openDatabase(config.dbPath);
      try {
        const sync = new CacheSync({ db, client, logger: log, maxAgeDays: config.cacheMaxAgeDays });
        const summary = await sync.syncTables(tables, { force: flags.force ?? false });
        process.exitCode = summary.failed > 0 ? EXIT.failed : EXIT.ok;
      } finally {
        db.close();
        await client.close();
      }
    });
}
