/**
 * `tpot start` — what `npm start` runs (SPEC §2). On an empty cache it first loads the demo
 * community through the real importer. The API server and explorer (`tpot serve`) are not built
 * yet, so for now it prints what the cache holds and how to import real data.
 */
import { Command } from 'commander';
import { openDatabase } from '../../db/database.js';
import { formatSummary, isEmptyDatabase, summariseDatabase } from '../../db/summary.js';
import { configFrom, loggerFor } from '../context.js';
import { writeAndLoadDemo } from './demo.js';

export function startCommand(): Command {
  return new Command('start')
    .description('Prepare the cache (loading the demo community when it is empty) and show what it holds.')
    .addHelpText('after', '\nExample:\n  $ npm start        # the same as: npx tpot start')
    .action(async (_flags: object, command: Command) => {
      const config = configFrom(command);
      const log = loggerFor(config, 'start');
      const db = openDatabase(config.dbPath);
      const empty = isEmptyDatabase(db);
      db.close();
      if (empty) {
        log.info(`The cache ${config.dbPath} is empty: loading the demo community (synthetic data, not the real archive).`);
        await writeAndLoadDemo(config, log);
        log.info('This is DEMO data. To import the real Community Archive: see "Importing real data" in README.md (tpot import --source …).');
        return;
      }
      const existing = openDatabase(config.dbPath, { readonly: true });
      try {
        log.info(formatSummary(summariseDatabase(existing), config.dbPath));
      } finally {
        existing.close();
      }
      log.info('The API server and explorer (tpot serve) are not part of this version yet.');
    });
}
