/**
 * `tpot start` — what `npm start` runs: on an empty cache it first loads the demo community
 * through the real importer; when there is no snapshot it writes one with the saved settings (the
 * map needs its layout); then it serves the API and the explorer like `tpot serve`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { CONFIG_FILES } from '../../config.js';
import type { GraphParams } from '../../graph/params.js';
import { SNAPSHOT_FILES } from '../../graph/snapshot-manifest.js';
import { configFrom, loggerFor } from '../context.js';
import { addServeOptions, type ServeFlags } from '../serve-options.js';

export function startCommand(): Command {
  return addServeOptions(new Command('start'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ npm start                # the same as: npx tpot start\n  $ npx tpot start --port 8080',
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const config = configFrom(command, { host: flags.host, port: flags.port });
      const log = await loggerFor(config, 'start');
      const [{ openDatabase }, { formatSummary, isEmptyDatabase, summariseDatabase, topArchiveAccounts }] =
        await Promise.all([import('../../db/database.js'), import('../../db/summary.js')]);
      const db = openDatabase(config.dbPath);
      const empty = isEmptyDatabase(db);
      db.close();
      if (empty) {
        log.info(
          `The cache ${config.dbPath} is empty: loading the demo community (synthetic data, not the real archive).`,
        );
        const { writeAndLoadDemo } = await import('../../demo/load.js');
        await writeAndLoadDemo(config, log);
        log.info(
          'This is DEMO data. To import the real Community Archive: ' +
            'see "Importing real data" in README.md (tpot import --source …).',
        );
      } else {
        const existing = openDatabase(config.dbPath, { readonly: true });
        try {
          log.info(formatSummary(summariseDatabase(existing), topArchiveAccounts(existing), config.dbPath));
        } finally {
          existing.close();
        }
      }
      if (!existsSync(join(config.dataDir, SNAPSHOT_FILES.manifest))) {
        log.info('No graph snapshot yet: writing one with the saved settings (the map needs its layout).');
        const [{ activeSeeds, readSeedState }, { fromWire }, { refreshSnapshotFromCache }] = await Promise.all([
          import('../../seed-lists.js'),
          import('../../graph/params.js'),
          import('../../graph/refresh.js'),
        ]);
        const path = resolve(CONFIG_FILES.graphSettings);
        const params = fromWire<GraphParams>(readSeedState(path).settings);
        refreshSnapshotFromCache(config, { ...params, seeds: activeSeeds(path) }, log);
      }
      const { serveUntilStopped } = await import('../../api/serve.js');
      await serveUntilStopped(config, log);
    });
}
