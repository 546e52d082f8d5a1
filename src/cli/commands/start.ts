/**
 * `tpot start` — what `npm start` runs (SPEC §2): on an empty cache it first loads the demo
 * community through the real importer; when there is no snapshot it writes one (the map needs its
 * layout); then it serves the API and the explorer like `tpot serve`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { openDatabase } from '../../db/database.js';
import { formatSummary, isEmptyDatabase, summariseDatabase } from '../../db/summary.js';
import { SNAPSHOT_FILES } from '../../graph/snapshot.js';
import { GRAPH_SETTINGS_FILE, readSeedState } from '../../seed-lists.js';
import { configFrom, loggerFor } from '../context.js';
import { writeAndLoadDemo } from './demo.js';
import { addServeOptions, serveUntilStopped, type ServeFlags } from './serve.js';
import { writeSnapshotFromFlags } from './snapshot.js';

export function startCommand(): Command {
  return addServeOptions(new Command('start'))
    .description(
      'Load the demo community into an empty cache, write the snapshot when there is none, and serve the API and explorer.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ npm start                # the same as: npx tpot start\n  $ npx tpot start --port 8080',
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const config = configFrom(command, { host: flags.host, port: flags.port });
      const log = loggerFor(config, 'start');
      const db = openDatabase(config.dbPath);
      const empty = isEmptyDatabase(db);
      db.close();
      if (empty) {
        log.info(
          `The cache ${config.dbPath} is empty: loading the demo community (synthetic data, not the real archive).`,
        );
        await writeAndLoadDemo(config, log);
        log.info(
          'This is DEMO data. To import the real Community Archive: see "Importing real data" in README.md (tpot import --source …).',
        );
      } else {
        const existing = openDatabase(config.dbPath, { readonly: true });
        try {
          log.info(formatSummary(summariseDatabase(existing), config.dbPath));
        } finally {
          existing.close();
        }
      }
      if (!existsSync(join(config.dataDir, SNAPSHOT_FILES.manifest))) {
        log.info('No graph snapshot yet: writing one with the saved settings (the map needs its layout).');
        const { settings } = readSeedState(resolve(GRAPH_SETTINGS_FILE));
        writeSnapshotFromFlags(
          config,
          {
            includeShadow: settings.include_shadow,
            mutualOnly: settings.mutual_only,
            minFollowers: settings.min_followers,
            alpha: settings.alpha,
            weights: settings.weights,
            resolution: settings.resolution,
          },
          log,
        );
      }
      await serveUntilStopped(config, log);
    });
}
